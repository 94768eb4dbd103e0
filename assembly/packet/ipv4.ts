// IPv4 (RFC 791) for the batch decoder: header fields, TSO length 0, fragments, header checksum.
import { fold16, inetSum, swap16 } from '../checksum/inet-core';
import {
  C_DST4, C_FRAG_OFFSET, C_IP_CHECKSUM, C_IP_FLAGS, C_IP_LEN, C_IP_PROTO, C_IP_VERSION, C_L3_OFFSET, C_PAYLOAD_LENGTH,
  C_PAYLOAD_OFFSET, C_SRC4, C_STATUS, C_TTL, ST_FRAGMENT, ST_MALFORMED, ST_NONFIRST, be16, get8, put16, put32, put8, short,
} from './columns';
import { ipv6 } from './ipv6';
import { l4 } from './l4';

// @ts-ignore: decorator
@inline export function ipv4(i: u32, f: usize, p: usize, lim: usize, end: usize, verify: bool): void {
  put32(C_L3_OFFSET, i, <u32>(p - f));
  if (p + 20 > lim || p + 20 > end) return short(i, p + 20, end, lim);
  let b0 = <u32>load<u8>(p);
  let v = b0 >> 4;
  put8(C_IP_VERSION, i, v);
  if (v == 6) return ipv6(i, f, p, lim, end, verify);
  let hl = <usize>((b0 & 15) << 2);
  let tl = <usize>be16(p + 2);
  let eff = tl == 0 ? end - p : tl;
  if (v != 4 || hl < 20 || eff < hl) {
    put8(C_STATUS, i, get8(C_STATUS, i) | ST_MALFORMED);
    return;
  }
  let e = end;
  if (p + eff <= end) e = p + eff;
  else put8(C_STATUS, i, get8(C_STATUS, i) | ST_MALFORMED);
  let ff = be16(p + 6);
  let proto = <u32>load<u8>(p + 9);
  put32(C_IP_LEN, i, <u32>eff);
  put8(C_IP_FLAGS, i, ff >> 13);
  put16(C_FRAG_OFFSET, i, ff & 0x1fff);
  put8(C_TTL, i, load<u8>(p + 8));
  put8(C_IP_PROTO, i, proto);
  put32(C_SRC4, i, bswap<u32>(load<u32>(p + 12)));
  put32(C_DST4, i, bswap<u32>(load<u32>(p + 16)));
  if (p + hl > lim) return short(i, p + hl, e, lim);
  if (verify) {
    // The common 20-byte header (and the pseudo-header addresses) summed inline: same words as sumLE.
    let hs: u32 = 0;
    if (hl == 20) {
      let s = <u64>load<u32>(p) + <u64>load<u32>(p, 4) + <u64>load<u32>(p, 8) + <u64>load<u32>(p, 12) + <u64>load<u32>(p, 16);
      hs = fold16(<u64>swap16(fold16(s)));
    } else hs = inetSum(p, hl, 0);
    put8(C_IP_CHECKSUM, i, hs == 0xffff ? 1 : 0);
  } else put8(C_IP_CHECKSUM, i, 2);
  let q = p + hl;
  put32(C_PAYLOAD_OFFSET, i, <u32>(q - f));
  put32(C_PAYLOAD_LENGTH, i, <u32>(max<isize>(0, <isize>min(lim, e) - <isize>q)));
  let frag = (ff & 0x3fff) != 0; // MF or a fragment offset
  if (frag) {
    let st = get8(C_STATUS, i) | ST_FRAGMENT;
    if ((ff & 0x1fff) != 0) {
      put8(C_STATUS, i, st | ST_NONFIRST);
      return;
    }
    put8(C_STATUS, i, st);
  }
  let ph: u32 = 0;
  if (verify) {
    let as = fold16(<u64>swap16(fold16(<u64>load<u32>(p, 12) + <u64>load<u32>(p, 16))));
    ph = fold16(<u64>as + <u64>proto + <u64>(e - q));
  }
  l4(i, proto, f, q, lim, e, verify && !frag, ph, false);
}
