// Link layers for the batch decoder: Ethernet II + 802.1Q/802.1ad/0x9100 tags, Linux SLL/SLL2,
// NULL/LOOP, RAW/IPV4/IPV6. Returns nothing: fills row `i` and calls the IP decoders.
import { C_ETHER_TYPE, C_PAYLOAD_LENGTH, C_PAYLOAD_OFFSET, C_VLAN_COUNT, C_VLAN_ID, be16, put16, put32, put8, short } from './columns';
import { ipv4 } from './ipv4';
import { ipv6 } from './ipv6';

/** Frame [f, f+cap) with reported end f+rep; offsets in columns are relative to f. */
// @ts-ignore: decorator
@inline export function link(i: u32, lt: u32, f: usize, cap: usize, rep: usize, verify: bool): void {
  let end = f + rep;
  let lim = f + cap;
  put32(C_PAYLOAD_OFFSET, i, 0);
  put32(C_PAYLOAD_LENGTH, i, <u32>cap);
  let t: u32 = 0;
  let p = f;
  if (lt == 1) {
    if (f + 14 > lim) return short(i, f + 14, end, lim);
    t = be16(f + 12);
    p = f + 14;
    let tags: u32 = 0;
    while (t == 0x8100 || t == 0x88a8 || t == 0x9100) {
      if (p + 4 > lim) return short(i, p + 4, end, lim);
      if (tags == 0) put16(C_VLAN_ID, i, be16(p) & 0xfff);
      tags++;
      t = be16(p + 2);
      p += 4;
    }
    put8(C_VLAN_COUNT, i, tags);
  } else if (lt == 101 || lt == 228 || lt == 229) {
    if (f >= lim) return short(i, f + 1, end, lim);
    let v = load<u8>(f) >> 4;
    t = lt == 229 || v == 6 ? 0x86dd : v == 4 || lt == 228 ? 0x0800 : 0;
  } else if (lt == 0 || lt == 108) {
    if (f + 4 > lim) return short(i, f + 4, end, lim);
    let fam = load<u32>(f);
    if (lt == 108 || fam >= 0x10000) fam = bswap<u32>(fam);
    t = fam == 2 ? 0x0800 : fam == 24 || fam == 28 || fam == 30 ? 0x86dd : 0;
    p = f + 4;
  } else if (lt == 113) {
    if (f + 16 > lim) return short(i, f + 16, end, lim);
    t = be16(f + 14);
    p = f + 16;
  } else if (lt == 276) {
    if (f + 20 > lim) return short(i, f + 20, end, lim);
    t = be16(f);
    p = f + 20;
  } else return;
  l3(i, t, f, p, lim, end, verify);
}

// @ts-ignore: decorator
@inline function l3(i: u32, t: u32, f: usize, p: usize, lim: usize, end: usize, verify: bool): void {
  put16(C_ETHER_TYPE, i, t);
  put32(C_PAYLOAD_OFFSET, i, <u32>(p - f));
  put32(C_PAYLOAD_LENGTH, i, <u32>(max<isize>(0, <isize>min(lim, end) - <isize>p)));
  if (t == 0x0800) ipv4(i, f, p, lim, end, verify);
  else if (t == 0x86dd) ipv6(i, f, p, lim, end, verify);
}
