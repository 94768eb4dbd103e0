// IPv4 (RFC 791) and IPv6 (RFC 8200) with the extension-header chain.
import { Ctx, base, type NetInfo } from './context.js';
import { ipProto } from './dispatch.js';
import { sumRange } from './sum.js';
import { ChecksumStatus, type Ipv4Layer, type Ipv6Extension, type Ipv6Layer } from './types.js';

export function ipv4(c: Ctx, off: number, end: number, inError: boolean): void {
  const v = c.cap > off && off < end ? c.u8(off) >> 4 : 4;
  const L = c.push<Ipv4Layer>({ type: 'ipv4', version: v, ...base(off, 20) });
  if (!c.has(L, off + 1, end)) return;
  if (v === 6) {
    // tshark hands an "IPv4" packet with version 6 to the IPv6 dissector.
    L.problem = 'version 6 in an IPv4 context: decoded as IPv6';
    return ipv6(c, off, end, inError);
  }
  const hl = (c.u8(off) & 0xf) * 4;
  if (v !== 4) return bad(c, L, `IP version ${v} is not 4`);
  L.ihl = hl;
  if (hl < 20) return bad(c, L, `header length ${hl} < 20`);
  if (!c.has(L, off + 2, end)) return;
  L.dscp = c.u8(off + 1) >> 2;
  L.ecn = c.u8(off + 1) & 3;
  if (!c.has(L, off + 4, end)) return;
  const tl = (L.totalLength = c.u16(off + 2));
  // Total length 0: TSO/GSO/BIG TCP; the datagram is the rest of the frame (as tshark infers).
  const eff = tl === 0 ? Math.min(end, c.rep) - off : tl;
  L.effectiveLength = eff;
  if (eff < hl) return bad(c, L, `total length ${eff} < header length ${hl}`);
  let e = end;
  if (off + eff <= end) e = off + eff;
  else if (!inError) {
    L.malformed = true;
    L.problem = `total length ${eff} exceeds the ${end - off} bytes present`;
  }
  L.headerLength = hl;
  if (!c.has(L, off + 6, e)) return;
  L.identification = c.u16(off + 4);
  if (!c.has(L, off + 8, e)) return;
  const ff = c.u16(off + 6);
  L.flags = ff >> 13;
  L.fragmentOffset = ff & 0x1fff;
  if (!c.has(L, off + 10, e)) return;
  L.ttl = c.u8(off + 8);
  L.protocol = c.u8(off + 9);
  if (!c.has(L, off + 12, e)) return;
  L.checksum = c.u16(off + 10);
  L.checksumStatus = ChecksumStatus.UNVERIFIED;
  if (c.verify && off + hl <= Math.min(e, c.cap)) {
    L.checksumStatus = sumRange(c.b, off, hl, 0) === 0xffff ? ChecksumStatus.GOOD : ChecksumStatus.BAD;
  }
  if (!c.has(L, off + 16, e)) return;
  L.src = c.ipv4(off + 12);
  if (!c.has(L, off + 20, e)) return;
  L.dst = c.ipv4(off + 16);
  if (hl > 20) {
    L.options = { offset: off + 20, length: hl - 20 };
    if (!c.has(L, off + hl, e)) return;
    L.optionBytes = c.b.subarray(off + 20, off + hl);
    L.optionList = ipv4Options(c, off + 20, off + hl);
  }
  const fragment = (L.flags & 1) === 1 || L.fragmentOffset !== 0;
  c.payload(off + hl, e);
  // Like tshark, a first fragment whose payload was not all captured cannot be reassembled and
  // is decoded as it stands.
  if (fragment && (L.fragmentOffset !== 0 || (c.fragmentsAsData && e <= c.cap))) return;
  ipProto(c, L.protocol, off + hl, e, { v6: false, srcOff: off + 12, dstOff: off + 16, fragment, inError });
}

function bad(c: Ctx, L: Ipv4Layer | Ipv6Layer, why: string): void {
  L.malformed = true;
  L.problem = why;
  c.stopped = true;
}

const HBH = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const ESP = 50;
const AH = 51;
const NONE = 59;
const DSTOPTS = 60;

export function ipv6(c: Ctx, off: number, end: number, inError: boolean): void {
  const L = c.push<Ipv6Layer>({ type: 'ipv6', version: 6, extensions: [], ...base(off, 40) });
  if (!c.has(L, off + 4, end)) return;
  const w = c.u32(off);
  L.version = w >>> 28;
  if (L.version !== 6) return bad(c, L, `IP version ${L.version} is not 6`);
  L.trafficClass = (w >>> 20) & 0xff;
  L.flowLabel = w & 0xfffff;
  if (!c.has(L, off + 6, end)) return;
  const plen = (L.payloadLength = c.u16(off + 4));
  if (!c.has(L, off + 8, end)) return;
  L.nextHeader = c.u8(off + 6);
  L.hopLimit = c.u8(off + 7);
  if (!c.has(L, off + 24, end)) return;
  L.src = c.ipv6(off + 8);
  if (!c.has(L, off + 40, end)) return;
  L.dst = c.ipv6(off + 24);
  let e = end;
  let jumboPending = plen === 0; // payload length 0: a jumbogram if hop-by-hop says so, else empty
  if (plen === 0 && L.nextHeader !== HBH) e = off + 40;
  if (plen !== 0) {
    if (off + 40 + plen <= end) e = off + 40 + plen;
    else if (!inError) {
      L.malformed = true;
      L.problem = `payload length ${plen} exceeds the ${end - off - 40} bytes present`;
    }
  }
  let nh = L.nextHeader;
  let o = off + 40;
  let dstOff = off + 24;
  let fragment = false;
  let nonFirst = false;
  for (;;) {
    if (nh !== HBH && nh !== ROUTING && nh !== FRAGMENT && nh !== DSTOPTS && nh !== AH) break;
    const X: Ipv6Extension = { kind: nh, offset: o, length: 8 };
    L.extensions.push(X);
    if (!c.has(L, o + 2, e)) return;
    const len = nh === AH ? (c.u8(o + 1) + 2) * 4 : nh === FRAGMENT ? 8 : (c.u8(o + 1) + 1) * 8;
    X.length = len;
    X.nextHeader = c.u8(o);
    if (!c.has(L, o + len, e)) return;
    X.bytes = c.b.subarray(o, o + len);
    if (nh === FRAGMENT) {
      const fo = c.u16(o + 2);
      X.fragmentOffset = fo >> 3;
      X.more = (fo & 1) === 1;
      X.ident = c.u32(o + 4);
      fragment = X.more || X.fragmentOffset !== 0;
      nonFirst = X.fragmentOffset !== 0;
    } else if (nh === ROUTING) {
      X.routingType = c.u8(o + 2);
      X.segmentsLeft = c.u8(o + 3);
      // RFC 8200 §8.1: the pseudo-header uses the final destination.
      if (X.segmentsLeft > 0 && (X.routingType === 0 || X.routingType === 2) && len >= 24) dstOff = o + len - 16;
      else if (X.segmentsLeft > 0 && X.routingType === 4 && len >= 24) dstOff = o + 8;
    } else if (nh === HBH) {
      jumbo(c, X, o + 2, o + len);
      if (X.jumboLength !== undefined && jumboPending) e = Math.min(end, off + 40 + X.jumboLength);
      else if (jumboPending) e = o + len;
      jumboPending = false;
    }
    o += len;
    nh = X.nextHeader;
  }
  L.headerLength = o - off;
  L.upperProtocol = nh;
  c.payload(o, e);
  if (nh === NONE || nh === ESP) return;
  if (fragment && (nonFirst || c.fragmentsAsData)) return;
  ipProto(c, nh, o, e, { v6: true, srcOff: off + 8, dstOff, fragment, inError });
}

/** Finds the RFC 2675 jumbo payload option (type 0xC2) in a hop-by-hop header. */
function jumbo(c: Ctx, X: Ipv6Extension, o: number, end: number): void {
  while (o < end) {
    const t = c.u8(o);
    if (t === 0) {
      o++;
      continue;
    }
    if (o + 2 > end) return;
    const l = c.u8(o + 1);
    if (t === 0xc2 && l === 4 && o + 6 <= end) X.jumboLength = c.u32(o + 2);
    o += 2 + l;
  }
}

/** RFC 791 §3.1 option walk: EOL (0) ends, NOP (1) is one octet, others carry a length octet. */
function ipv4Options(c: Ctx, o: number, end: number): Array<{ type: number; offset: number; length: number }> {
  const out: Array<{ type: number; offset: number; length: number }> = [];
  while (o < end) {
    const t = c.u8(o);
    if (t === 0) {
      out.push({ type: 0, offset: o, length: 1 });
      break;
    }
    if (t === 1) {
      out.push({ type: 1, offset: o, length: 1 });
      o++;
      continue;
    }
    if (o + 2 > end) break;
    const l = c.u8(o + 1);
    if (l < 2 || o + l > end) break;
    out.push({ type: t, offset: o, length: l });
    o += l;
  }
  return out;
}
