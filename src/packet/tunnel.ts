// Tunnels and the DNS header: VXLAN (RFC 7348), GENEVE (RFC 8926), GRE (RFC 2784/2890, PPTP
// RFC 2637), Teredo (RFC 4380), MPLS (RFC 3032), DNS (RFC 1035 §4.1, names with compression).
import { Ctx, base } from './context.js';
import { etherType } from './dispatch.js';
import { ipv4, ipv6 } from './ip.js';
import { ethernet, ppp } from './link.js';
import type { DnsLayer, GeneveLayer, GreLayer, MplsLayer, TeredoLayer, VxlanLayer } from './types.js';

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
export function dns(c: Ctx, off: number, end: number, overTcp: boolean): void {
  let o = off;
  if (overTcp) {
    if (Math.min(end, c.cap) - off < 2) return;
    const l = c.u16(off);
    o += 2;
    end = Math.min(end, o + l);
  }
  const L = c.push<DnsLayer>({ type: 'dns', questions: [], ...base(o, 12) });
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
    const q: DnsLayer['questions'][number] = { name: r.name };
    L.questions.push(q);
    p = r.next;
    if (!c.has(L, p + 4, end)) return;
    q.qtype = c.u16(p);
    q.qclass = c.u16(p + 2);
    p += 4;
  }
  L.headerLength = p - o;
  c.payload(p, end);
}

/**
 * Reads a (possibly compressed) name at `p` of the message at `msg`. Pointers must point
 * backwards (so loops are impossible) and the name is capped at 255 octets on the wire.
 */
export function dnsName(c: Ctx, msg: number, p: number, end: number): { name: string; next: number; error?: string } {
  const lim = Math.min(end, c.cap);
  const labels: string[] = [];
  let next = -1;
  let wire = 0;
  let limit = p; // a pointer must go below every position visited so far
  for (;;) {
    if (p >= lim) return { name: '', next: p, error: 'name runs past the end of the message' };
    const len = c.u8(p);
    if (len === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 2 > lim) return { name: '', next: p, error: 'compression pointer cut short' };
      const target = msg + (c.u16(p) & 0x3fff);
      if (next < 0) next = p + 2;
      if (target >= limit) return { name: '', next, error: 'compression pointer does not point backwards' };
      limit = target;
      p = target;
      continue;
    }
    if (len & 0xc0) return { name: '', next: p, error: `unsupported label type 0x${(len & 0xc0).toString(16)}` };
    if (p + 1 + len > lim) return { name: '', next: p, error: 'label runs past the end of the message' };
    wire += len + 1;
    if (wire > 255) return { name: '', next: p, error: 'name longer than 255 octets' };
    let s = '';
    for (let i = p + 1; i <= p + len; i++) {
      const ch = c.u8(i);
      s += ch === 0x2e ? '\\.' : ch > 0x20 && ch < 0x7f ? String.fromCharCode(ch) : `\\${ch.toString(8).padStart(3, '0')}`;
    }
    labels.push(s);
    p += 1 + len;
  }
  return { name: labels.length ? labels.join('.') : '<Root>', next };
}
