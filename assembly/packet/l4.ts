// Transport headers for the batch decoder: TCP (RFC 9293, MSS/window-scale options), UDP (RFC 768),
// ICMP (RFC 792) / ICMPv6 (RFC 4443); checksums verified over the pseudo-header sum `ph`.
import { inetSum } from '../checksum/inet-core';
import {
  C_ACK, C_DST_PORT, C_ICMP_CODE, C_ICMP_TYPE, C_L4_CHECKSUM, C_L4_OFFSET, C_MSS, C_PAYLOAD_LENGTH, C_PAYLOAD_OFFSET, C_SEQ,
  C_SRC_PORT, C_STATUS, C_TCP_FLAGS, C_TCP_HDR_LEN, C_UDP_LEN, C_WINDOW, C_WSCALE, ST_MALFORMED, be16, be32, get8, put16,
  put32, put8, short,
} from './columns';

// @ts-ignore: decorator
@inline export function l4(i: u32, proto: u32, f: usize, q: usize, lim: usize, e: usize, verify: bool, ph: u32, v6: bool): void {
  if (proto == 6) tcp(i, f, q, lim, e, verify, ph);
  else if (proto == 17) udp(i, f, q, lim, e, verify, ph, v6);
  else if (proto == 1 || proto == 58) icmp(i, f, q, lim, e, verify, proto == 58 ? ph : 0);
}

// @ts-ignore: decorator
@inline function check(p: usize, e: usize, lim: usize, verify: bool, ph: u32): u32 {
  if (!verify || e > lim) return 2;
  return inetSum(p, e - p, ph) == 0xffff ? 1 : 0;
}

// @ts-ignore: decorator
@inline function tcp(i: u32, f: usize, q: usize, lim: usize, e: usize, verify: bool, ph: u32): void {
  put32(C_L4_OFFSET, i, <u32>(q - f));
  if (q + 20 > lim || q + 20 > e) return short(i, q + 20, e, lim);
  put16(C_SRC_PORT, i, be16(q));
  put16(C_DST_PORT, i, be16(q + 2));
  put32(C_SEQ, i, be32(q + 4));
  put32(C_ACK, i, be32(q + 8));
  let hw = be16(q + 12);
  let hl = <usize>((hw >> 12) << 2);
  put8(C_TCP_HDR_LEN, i, <u32>hl);
  put16(C_TCP_FLAGS, i, hw & 0xfff);
  put16(C_WINDOW, i, be16(q + 14));
  if (hl < 20) {
    put8(C_STATUS, i, get8(C_STATUS, i) | ST_MALFORMED);
    return;
  }
  put8(C_L4_CHECKSUM, i, check(q, e, lim, verify, ph));
  if (q + hl > lim || q + hl > e) return short(i, q + hl, e, lim);
  if (hl > 20) options(i, q + 20, q + hl);
  put32(C_PAYLOAD_OFFSET, i, <u32>(q + hl - f));
  put32(C_PAYLOAD_LENGTH, i, <u32>(max<isize>(0, <isize>min(lim, e) - <isize>(q + hl))));
}

function options(i: u32, o: usize, end: usize): void {
  while (o < end) {
    let k = <u32>load<u8>(o);
    if (k == 0) return;
    if (k == 1) {
      o++;
      continue;
    }
    if (o + 2 > end) return;
    let l = <usize>load<u8>(o + 1);
    if (l < 2 || o + l > end) {
      put8(C_STATUS, i, get8(C_STATUS, i) | ST_MALFORMED);
      return;
    }
    if (k == 2 && l == 4) put16(C_MSS, i, be16(o + 2));
    else if (k == 3 && l == 3) put8(C_WSCALE, i, load<u8>(o + 2));
    o += l;
  }
}

// @ts-ignore: decorator
@inline function udp(i: u32, f: usize, q: usize, lim: usize, e: usize, verify: bool, ph: u32, v6: bool): void {
  put32(C_L4_OFFSET, i, <u32>(q - f));
  if (q + 8 > lim || q + 8 > e) return short(i, q + 8, e, lim);
  put16(C_SRC_PORT, i, be16(q));
  put16(C_DST_PORT, i, be16(q + 2));
  let len = <usize>be16(q + 4);
  put16(C_UDP_LEN, i, <u32>len);
  let ck = be16(q + 6);
  if (len < 8 || q + len > e) {
    put8(C_STATUS, i, get8(C_STATUS, i) | ST_MALFORMED);
    put8(C_L4_CHECKSUM, i, ck == 0 && !v6 ? 3 : 2);
    return;
  }
  let ue = q + len;
  // The pseudo-header length is the UDP length, which may be shorter than the IP payload.
  if (verify && ue != e) ph = fix(ph, <u32>(e - q), <u32>len);
  put8(C_L4_CHECKSUM, i, ck == 0 && !v6 ? 3 : check(q, ue, lim, verify, ph));
  put32(C_PAYLOAD_OFFSET, i, <u32>(q + 8 - f));
  put32(C_PAYLOAD_LENGTH, i, <u32>(max<isize>(0, <isize>min(lim, ue) - <isize>(q + 8))));
}

/** Replaces length `was` by `now` in a folded pseudo-header sum (RFC 1624 eqn. 3 style). */
function fix(ph: u32, was: u32, now: u32): u32 {
  let s = <u64>ph + <u64>(~was & 0xffff) + <u64>((~(was >> 16)) & 0xffff) + <u64>(now & 0xffff) + <u64>(now >> 16);
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  return <u32>s;
}

function icmp(i: u32, f: usize, q: usize, lim: usize, e: usize, verify: bool, ph: u32): void {
  put32(C_L4_OFFSET, i, <u32>(q - f));
  if (q + 4 > lim || q + 4 > e) return short(i, q + 4, e, lim);
  put8(C_ICMP_TYPE, i, load<u8>(q));
  put8(C_ICMP_CODE, i, load<u8>(q + 1));
  put8(C_L4_CHECKSUM, i, check(q, e, lim, verify, ph));
}
