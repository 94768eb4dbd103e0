// Tunnels and the DNS header: VXLAN (RFC 7348), GENEVE (RFC 8926), GRE (RFC 2784/2890, PPTP
// RFC 2637), Teredo (RFC 4380), MPLS (RFC 3032), DNS (RFC 1035 §4.1, names with compression).
import { Ctx, base } from './context.js';
import { etherType } from './dispatch.js';
import { ipv4, ipv6 } from './ip.js';
import { ethernet, ppp } from './link.js';
import type { CmdLayer, DnsLayer, GeneveLayer, GreLayer, MplsLayer, TeredoLayer, VxlanLayer } from './types.js';

export function vxlan(c: Ctx, off: number, end: number): void {
  const L = c.push<VxlanLayer>({ type: 'vxlan', ...base(off, 8) });
  if (!c.has(L, off + 8, end)) return;
  L.flags = c.u16(off);
  L.vni = c.u32(off + 4) >>> 8;
  ethernet(c, off + 8, end);
}

export function geneve(c: Ctx, off: number, end: number): void {
  const L = c.push<GeneveLayer>({ type: 'geneve', ...base(off, 8) });
  if (!c.has(L, off + 8, end)) return;
  L.version = c.u8(off) >> 6;
  L.optionsLength = (c.u8(off) & 0x3f) * 4;
  L.protocol = c.u16(off + 2);
  L.vni = c.u32(off + 4) >>> 8;
  const h = 8 + L.optionsLength;
  L.headerLength = h;
  if (!c.has(L, off + h, end)) return;
  if (L.protocol === 0x6558) ethernet(c, off + h, end);
  else etherType(c, L.protocol, off + h, end);
}

export function gre(c: Ctx, off: number, end: number): void {
  const L = c.push<GreLayer>({ type: 'gre', ...base(off, 4) });
  if (!c.has(L, off + 4, end)) return;
  const f = (L.flags = c.u16(off));
  L.version = f & 7;
  const proto = (L.protocol = c.u16(off + 2));
  let o = off + 4;
  if (f & 0xc000) {
    if (!c.has(L, o + 4, end)) return;
    L.checksum = c.u16(o);
    o += 4;
  }
  if (f & 0x2000) {
    if (!c.has(L, o + 4, end)) return;
    L.key = c.u32(o);
    o += 4;
  }
  if (f & 0x1000) {
    if (!c.has(L, o + 4, end)) return;
    L.sequence = c.u32(o);
    o += 4;
  }
  if (L.version === 1 && f & 0x0080) o += 4; // PPTP acknowledgment number
  L.headerLength = o - off;
  if (!c.has(L, o, end)) return;
  switch (proto) {
    case 0x6558:
      return ethernet(c, o, end);
    case 0x880b:
      return ppp(c, o, end);
    case 0x8909:
      return cmd(c, o, end, true);
    case 0x883e: // WCCP redirect: a 4-byte header unless the payload already starts as IPv4
      if (o < c.cap && c.u8(o) >> 4 !== 4) o += 4;
      return ipv4(c, o, end, false);
    default:
      etherType(c, proto, o, end);
  }
}

export function teredo(c: Ctx, off: number, end: number): void {
  const L = c.push<TeredoLayer>({ type: 'teredo', ...base(off, 0) });
  let o = off;
  for (let i = 0; i < 2 && o + 2 <= Math.min(end, c.cap); i++) {
    const w = c.u16(o);
    if (w === 0x0001 && o + 4 <= c.cap) o += 4 + c.u8(o + 2) + c.u8(o + 3) + 9; // authentication
    else if (w === 0x0000) o += 8; // origin indication
    else break;
  }
  L.headerLength = o - off;
  if (o >= Math.min(end, c.cap) || c.u8(o) >> 4 !== 6) return c.payload(o, end);
  ipv6(c, o, end, false);
}

/**
 * Cisco MetaData, 8 bytes: after an Ethernet header version, length, options, SGT, EtherType;
 * inside GRE the EtherType comes first (as Wireshark decodes it).
 */
export function cmd(c: Ctx, off: number, end: number, inGre: boolean): void {
  const L = c.push<CmdLayer>({ type: 'cmd', ...base(off, 8) });
  if (!c.has(L, off + 8, end)) return;
  L.sgt = c.u16(inGre ? off + 6 : off + 4);
  L.etherType = c.u16(inGre ? off : off + 6);
  etherType(c, L.etherType, off + 8, end);
}

export function mpls(c: Ctx, off: number, end: number): void {
  let o = off;
  for (let i = 0; i < 16; i++) {
    const L = c.push<MplsLayer>({ type: 'mpls', ...base(o, 4) });
    if (!c.has(L, o + 4, end)) return;
    const w = c.u32(o);
    L.label = w >>> 12;
    L.bottom = (w & 0x100) !== 0;
    o += 4;
    if (L.bottom) break;
  }
  if (o >= Math.min(end, c.cap)) return c.payload(o, end);
  const v = c.u8(o) >> 4;
  if (v === 4) return ipv4(c, o, end, false);
  if (v === 6) return ipv6(c, o, end, false);
  c.payload(o, end);
}

/** DNS message header and question names. Over TCP the message follows a 2-byte length. */
/** Label/pointer steps allowed per message byte when reading DNS names. */
export const DNS_STEPS_PER_BYTE = 64;

export function dns(c: Ctx, off: number, end: number, overTcp: boolean): void {
  let o = off;
  if (overTcp) {
    if (Math.min(end, c.cap) - off < 2) return;
    const l = c.u16(off);
    o += 2;
    end = Math.min(end, o + l);
  }
  const L = c.push<DnsLayer>({ type: 'dns', questions: [], ...base(o, 12) });
  // Forward pointers are legal to tshark, so names can revisit bytes: bound the total work
  // per message (tshark's own limits, 255 pointers per name, make the worst case quadratic).
  c.dnsSteps = 0;
  c.dnsBudget = DNS_STEPS_PER_BYTE * Math.max(512, end - o);
  c.dnsMemo = undefined;
  if (!c.has(L, o + 2, end)) return;
  L.id = c.u16(o);
  if (!c.has(L, o + 12, end)) return;
  L.flags = c.u16(o + 2);
  L.qdcount = c.u16(o + 4);
  L.ancount = c.u16(o + 6);
  L.nscount = c.u16(o + 8);
  L.arcount = c.u16(o + 10);
  let p = o + 12;
  for (let i = 0; i < L.qdcount; i++) {
    const r = dnsName(c, o, p, end);
    if (r.error) {
      L.malformed = true;
      L.problem = r.error;
      c.stopped = true;
      return;
    }
    p = r.next;
    // Type and class are read before the question is shown (as tshark does).
    if (!c.has(L, p + 4, end)) return;
    L.questions.push({ name: r.name, qtype: c.u16(p), qclass: c.u16(p + 2) });
    p += 4;
  }
  L.headerLength = p - o;
  c.payload(p, end);
}

/**
 * Reads a (possibly compressed) name at `p` of the message at `msg`, the way Wireshark does:
 * at most 255 pointers are followed (more means a loop: "<Name contains a pointer that loops>"),
 * and a name of 254 or more characters reads as "<Name too long>". `next` is the offset after
 * the name in the original position; `error` is set when the bytes end mid-name.
 */
export function dnsName(c: Ctx, msg: number, p: number, end: number): { name: string; next: number; error?: string } {
  const lim = Math.min(end, c.cap);
  const start = p;
  let out = '';
  let room = 255;
  let first = true;
  let len = -1;
  let pointers = 0;
  let special: string | undefined;
  for (;;) {
    if (room <= 0 && len >= 0 && special === undefined) return finish(c, msg, p, lim, pointers, start + len);
    if (p >= lim) return { name: '', next: p, error: 'name runs past the end of the message' };
    if (++c.dnsSteps > c.dnsBudget) {
      return { name: '', next: p, error: `DNS names take more than ${c.dnsBudget} label/pointer steps (decoding budget; pointer loops)` };
    }
    const cl = c.u8(p++);
    if (cl === 0) break;
    const kind = cl & 0xc0;
    if (kind === 0) {
      if (!first) {
        if (room > 0) {
          out += '.';
          room--;
        }
      } else room--;
      first = false;
      if (p + cl > lim) return { name: '', next: p, error: 'label runs past the end of the message' };
      const take = Math.max(0, Math.min(cl, room));
      if (take > 0) out += label(c.b, p, p + take);
      room -= take;
      p += cl;
    } else if (kind === 0xc0) {
      if (p >= lim) return { name: '', next: p, error: 'compression pointer cut short' };
      const target = msg + (((cl & 0x3f) << 8) | c.u8(p));
      p++;
      pointers++;
      if (len < 0) len = p - start;
      if (target === p - 2 || pointers > 255) {
        special = '<Name contains a pointer that loops>';
        break;
      }
      p = target;
    } else if (cl === 0x41) {
      // RFC 2673 bit-string label, shown as \[x<hex>/<bits>].
      if (p >= lim) return { name: '', next: p, error: 'bit-string label cut short' };
      const bits = c.u8(p++);
      const n = bits === 0 ? 1 : ((bits - 1) >> 3) + 1;
      if (p + n > lim) return { name: '', next: p, error: 'bit-string label runs past the end of the message' };
      if (first) room--;
      else if (room > 0) room--;
      first = false;
      let t = '\\[x';
      for (let i = 0; i < n; i++) t += c.u8(p + i).toString(16).padStart(2, '0');
      t += `/${bits}]`;
      const take = Math.max(0, Math.min(t.length, room));
      out += (out.length ? '.' : '') + t.slice(0, take);
      room -= take;
      p += n;
    } else if (kind === 0x40) {
      special = '<Unknown extended label>';
      if (len < 0) len = p - start;
      break;
    } else return { name: '', next: p, error: 'label type 0x80 is reserved' };
  }
  if (len < 0) len = p - start;
  if (special === undefined && room <= 0) special = '<Name too long>';
  return { name: special ?? (out.length ? out : '<Root>'), next: start + len };
}

const SEG_END = 1;
const SEG_EXT = 2;
const SEG_ERRORS = ['', '', '', 'name runs past the end of the message', 'label runs past the end of the message', 'compression pointer cut short',
  'bit-string label cut short', 'bit-string label runs past the end of the message', 'label type 0x80 is reserved'];
const SEG_PTR = 16;

/**
 * The rest of a name that is already too long (its text no longer matters, its end does): hops
 * from pointer to pointer with each label run walked once per message (memoised), so a message
 * of forward pointers costs O(pointers), not O(pointers × labels).
 */
function finish(c: Ctx, msg: number, p: number, lim: number, pointers: number, next: number): { name: string; next: number; error?: string } {
  const memo = (c.dnsMemo ??= new Int32Array(Math.max(0, lim - msg)));
  for (;;) {
    if (++c.dnsSteps > c.dnsBudget) return { name: '', next: p, error: `DNS names take more than ${c.dnsBudget} label/pointer steps (decoding budget)` };
    const r = segment(c, memo, msg, p, lim);
    if (r === SEG_END) return { name: '<Name too long>', next };
    if (r === SEG_EXT) return { name: '<Unknown extended label>', next };
    if (r < SEG_PTR) return { name: '', next: p, error: SEG_ERRORS[r] };
    const at = r - SEG_PTR;
    const target = msg + (((c.u8(at) & 0x3f) << 8) | c.u8(at + 1));
    if (target === at || ++pointers > 255) return { name: '<Name contains a pointer that loops>', next };
    p = target;
  }
}

/** Walks labels from `p` to the terminator, a pointer (SEG_PTR + its offset), or an error code. */
function segment(c: Ctx, memo: Int32Array, msg: number, p: number, lim: number): number {
  const from = p;
  let r: number;
  for (;;) {
    if (p >= lim) {
      r = 3;
      break;
    }
    const known = p - msg < memo.length ? memo[p - msg]! : 0;
    if (known !== 0) {
      r = known;
      break;
    }
    const cl = c.u8(p);
    if (cl === 0) r = SEG_END;
    else if ((cl & 0xc0) === 0) {
      if (p + 1 + cl > lim) r = 4;
      else {
        p += 1 + cl;
        continue;
      }
    } else if ((cl & 0xc0) === 0xc0) r = p + 1 >= lim ? 5 : SEG_PTR + p;
    else if (cl === 0x41) {
      if (p + 1 >= lim) r = 6;
      else {
        const bits = c.u8(p + 1);
        const n = bits === 0 ? 1 : ((bits - 1) >> 3) + 1;
        if (p + 2 + n > lim) r = 7;
        else {
          p += 2 + n;
          continue;
        }
      }
    } else r = (cl & 0xc0) === 0x40 ? SEG_EXT : 8;
    break;
  }
  if (from - msg < memo.length) memo[from - msg] = r;
  return r;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A label as text: UTF-8 (as tshark shows it), control octets escaped as \ooo. */
function label(b: Uint8Array, from: number, to: number): string {
  let ascii = true;
  for (let i = from; i < to; i++) if (b[i]! < 0x20 || b[i]! >= 0x7f) ascii = false;
  if (ascii) return String.fromCharCode(...b.subarray(from, to));
  let s = '';
  let run = from;
  for (let i = from; i < to; i++) {
    const ch = b[i]!;
    if (ch < 0x20 || ch === 0x7f) {
      s += utf8.decode(b.subarray(run, i)) + `\\${ch.toString(8).padStart(3, '0')}`;
      run = i + 1;
    }
  }
  return s + utf8.decode(b.subarray(run, to));
}
