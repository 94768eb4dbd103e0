// IPv6 (RFC 8200) for the batch decoder: fixed header, extension chain (hop-by-hop incl. jumbo,
// routing, fragment, destination options, AH), upper layer at the end of the chain.
import { fold16, inetSum } from '../checksum/inet-core';
import {
  C_FRAG_OFFSET, C_IP_FLAGS, C_IP_LEN, C_IP_PROTO, C_IP_VERSION, C_L3_OFFSET, C_PAYLOAD_LENGTH, C_PAYLOAD_OFFSET, C_STATUS,
  C_TTL, ST_FRAGMENT, ST_MALFORMED, ST_NONFIRST, be16, be32, get8, put16, put32, put8, short,
} from './columns';
import { l4 } from './l4';

export function ipv6(i: u32, f: usize, p: usize, lim: usize, end: usize, verify: bool): void {
  put32(C_L3_OFFSET, i, <u32>(p - f));
  if (p + 40 > lim || p + 40 > end) {
    put8(C_IP_VERSION, i, 0); // no complete IPv6 header
    return short(i, p + 40, end, lim);
  }
  let v = <u32>load<u8>(p) >> 4;
  put8(C_IP_VERSION, i, v);
  if (v != 6) {
    put8(C_STATUS, i, get8(C_STATUS, i) | ST_MALFORMED);
    return;
  }
  let plen = <usize>be16(p + 4);
  let nh = <u32>load<u8>(p + 6);
  put32(C_IP_LEN, i, <u32>plen);
  put8(C_TTL, i, load<u8>(p + 7));
  let e = end;
  if (plen != 0) {
    if (p + 40 + plen <= end) e = p + 40 + plen;
    else put8(C_STATUS, i, get8(C_STATUS, i) | ST_MALFORMED);
  } else if (nh != 0) e = p + 40;
  let q = p + 40;
  let dst = p + 24;
  let frag = false;
  let jumboPending = plen == 0;
  while (nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51) {
    if (q + 8 > lim || q + 8 > e) return short(i, q + 8, e, lim);
    let len: usize = nh == 51 ? (<usize>load<u8>(q + 1) + 2) << 2 : nh == 44 ? 8 : (<usize>load<u8>(q + 1) + 1) << 3;
    if (q + len > lim || q + len > e) return short(i, q + len, e, lim);
    if (nh == 44) {
      let fo = be16(q + 2);
      put16(C_FRAG_OFFSET, i, fo >> 3);
      put8(C_IP_FLAGS, i, fo & 1);
      if ((fo & 0xfff9) != 0) {
        frag = true;
        let st = get8(C_STATUS, i) | ST_FRAGMENT;
        if ((fo >> 3) != 0) {
          put8(C_STATUS, i, st | ST_NONFIRST);
          put8(C_IP_PROTO, i, load<u8>(q));
          return payload(i, f, q + len, lim, e);
        }
        put8(C_STATUS, i, st);
      }
    } else if (nh == 43) {
      let rt = <u32>load<u8>(q + 2);
      if (load<u8>(q + 3) != 0 && len >= 24) {
        if (rt == 0 || rt == 2) dst = q + len - 16;
        else if (rt == 4) dst = q + 8;
      }
    } else if (nh == 0 && jumboPending) {
      e = jumbo(q + 2, q + len, p, end);
      jumboPending = false;
    }
    nh = <u32>load<u8>(q);
    q += len;
  }
  put8(C_IP_PROTO, i, nh);
  payload(i, f, q, lim, e);
  if (nh == 59 || nh == 50) return;
  let ph: u32 = 0;
  if (verify) {
    let n = e - q;
    ph = fold16(<u64>inetSum(p + 8, 16, 0) + <u64>inetSum(dst, 16, 0) + <u64>nh + <u64>(n >> 16) + <u64>(n & 0xffff));
  }
  l4(i, nh, f, q, lim, e, verify && !frag, ph, true);
}

// @ts-ignore: decorator
@inline function payload(i: u32, f: usize, q: usize, lim: usize, e: usize): void {
  put32(C_PAYLOAD_OFFSET, i, <u32>(q - f));
  put32(C_PAYLOAD_LENGTH, i, <u32>(max<isize>(0, <isize>min(lim, e) - <isize>q)));
}

/** End of the datagram from an RFC 2675 jumbo option in [o, hbhEnd), else the end of the HBH header. */
function jumbo(o: usize, hbhEnd: usize, p: usize, end: usize): usize {
  while (o < hbhEnd) {
    let t = <u32>load<u8>(o);
    if (t == 0) {
      o++;
      continue;
    }
    if (o + 2 > hbhEnd) break;
    let l = <usize>load<u8>(o + 1);
    if (t == 0xc2 && l == 4 && o + 6 <= hbhEnd) return min(end, p + 40 + <usize>be32(o + 2));
    o += 2 + l;
  }
  return hbhEnd;
}
