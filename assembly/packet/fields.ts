// `wirekit dissect -T fields` rows printed in Wasm from the batch decoder's columns (the CLI's fast
// path): tshark's formatting of the outer-header fields, tab-separated, one line per frame. A frame
// whose output could involve more than its outer headers (see `simple`) is left to the facade.
// Exports are prefixed pk_.
import {
  C_ACK, C_CAP_LEN, C_DST4, C_DST_PORT, C_ETHER_TYPE, C_FRAME_OFFSET, C_IP_LEN, C_IP_PROTO, C_IP_VERSION, C_L3_OFFSET,
  C_L4_OFFSET, C_LINK_TYPE, C_ORIG_LEN, C_SEQ, C_SRC4, C_SRC_PORT, C_STATUS, C_TCP_FLAGS, C_TCP_HDR_LEN, C_TTL, C_UDP_LEN,
  C_WINDOW, columnOffset,
} from './columns';

// Field codes: the facade's FAST list (src/cli/dissect-fast.ts) is in this order.
const F_FRAME_NUMBER = 0;
const F_FRAME_LEN = 1;
const F_FRAME_CAP_LEN = 2;
const F_IP_SRC = 3;
const F_IP_DST = 4;
const F_IP_PROTO = 5;
const F_IP_TTL = 6;
const F_IP_LEN = 7;
const F_IPV6_SRC = 8;
const F_IPV6_DST = 9;
const F_IPV6_PLEN = 10;
const F_IPV6_HLIM = 11;
const F_TCP_SRCPORT = 12;
const F_TCP_DSTPORT = 13;
const F_TCP_SEQ_RAW = 14;
const F_TCP_ACK_RAW = 15;
const F_TCP_HDR_LEN = 16;
const F_TCP_FLAGS = 17;
const F_TCP_WINDOW = 18;
const F_UDP_SRCPORT = 19;
const F_UDP_DSTPORT = 20;
const F_UDP_LENGTH = 21;

/** Most bytes one field can take (an IPv6 address, 39 octets, + a tab), with a scratch octet. */
const MAX_CELL: u32 = 40;

let outEnd: usize = 0;

/** End of what the last pk_fields call wrote (an address in linear memory). */
export function pk_fields_end(): usize {
  return outEnd;
}

/** Bytes one row of `ncodes` fields can take at most (the caller keeps that much room). */
export function pk_fields_row_max(ncodes: u32): u32 {
  return ncodes * MAX_CELL + 2;
}

/** "00".."99" as little-endian u16 pairs: two digits a store. */
const PAIRS: StaticArray<u16> = pairs();
function pairs(): StaticArray<u16> {
  let t = new StaticArray<u16>(100);
  for (let i = 0; i < 100; i++) t[i] = <u16>((48 + i / 10) | ((48 + i % 10) << 8));
  return t;
}

/** 0..255 in decimal, up to three octets in the low bytes and the length in the top byte. */
const OCTETS: StaticArray<u32> = octets();
function octets(): StaticArray<u32> {
  let t = new StaticArray<u32>(256);
  for (let i = 0; i < 256; i++) {
    let v: u32 = i < 10 ? 48 + i : i < 100 ? (48 + i / 10) | ((48 + i % 10) << 8) : (48 + i / 100) | ((48 + (i / 10) % 10) << 8) | ((48 + i % 10) << 16);
    t[i] = v | ((i < 10 ? 1 : i < 100 ? 2 : 3) << 24);
  }
  return t;
}

// @ts-ignore: decorator
@inline function digits(n: u32): usize {
  if (n < 100000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : 5;
  return n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
}

/** Decimal `n` at `o`; returns the end. */
function dec(o: usize, n: u32): usize {
  let e = o + digits(n);
  let p = e;
  while (n >= 100) {
    let q = n / 100;
    p -= 2;
    store<u16>(p, unchecked(PAIRS[n - q * 100]));
    n = q;
  }
  if (n >= 10) store<u16>(p - 2, unchecked(PAIRS[n]));
  else store<u8>(p - 1, 48 + n);
  return e;
}

/** One octet 0..255 in decimal at `o` (writes one scratch byte past the end); returns the end. */
// @ts-ignore: decorator
@inline function octet(o: usize, x: u32): usize {
  let v = unchecked(OCTETS[x]);
  store<u32>(o, v);
  return o + (v >> 24);
}

/** Dotted-quad IPv4 address `a` (big-endian value) at `o`; returns the end (see octet). */
function ip4(o: usize, a: u32): usize {
  o = octet(o, a >> 24);
  store<u8>(o++, 46);
  o = octet(o, (a >> 16) & 255);
  store<u8>(o++, 46);
  o = octet(o, (a >> 8) & 255);
  store<u8>(o++, 46);
  return octet(o, a & 255);
}

/** Lowercase hex of a 16-bit group without leading zeros. */
function hex(o: usize, g: u32): usize {
  let s: i32 = g >= 0x1000 ? 12 : g >= 0x100 ? 8 : g >= 0x10 ? 4 : 0;
  for (; s >= 0; s -= 4) {
    let d = (g >> s) & 15;
    store<u8>(o++, d < 10 ? 48 + d : 87 + d);
  }
  return o;
}

/** IPv6 address at `a` as tshark prints it: RFC 5952 (longest run of two or more zero groups as ::, the first on ties). */
function ip6(o: usize, a: usize): usize {
  let bestAt: i32 = -1;
  let bestLen: i32 = 1;
  for (let i: i32 = 0; i < 8; ) {
    if (load<u16>(a + (i << 1)) != 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && load<u16>(a + (j << 1)) == 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  for (let i: i32 = 0; i < 8; i++) {
    if (i == bestAt) {
      store<u8>(o++, 58);
      store<u8>(o++, 58);
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && i != bestAt + bestLen) store<u8>(o++, 58);
    o = hex(o, <u32>bswap<u16>(load<u16>(a + (i << 1))));
  }
  return o;
}

// @ts-ignore: decorator
@inline function tunnelPort(p: u32): bool {
  return p == 4789 || p == 6081 || p == 3544; // VXLAN, GENEVE, Teredo: tshark decodes more headers
}

/**
 * Prints rows [from, to) of a column table (`capacity` rows at `cols`, frames relative to `input`)
 * for the field codes at `codes` (u8 each), frame numbers from `number`, into [out, limit).
 * Stops before a frame that is not a plain Ethernet → ARP/LLC or IPv4/IPv6 → TCP/UDP frame decoded
 * without damage (the facade prints those), or when fewer than pk_fields_row_max bytes remain.
 * Returns the first row not printed; pk_fields_end() is where the output ends.
 */
export function pk_fields(
  input: usize, cols: usize, capacity: u32, from: u32, to: u32, codes: usize, ncodes: u32, number: u32, out: usize, limit: usize,
): u32 {
  let cFrame = cols + columnOffset(C_FRAME_OFFSET, capacity);
  let cCap = cols + columnOffset(C_CAP_LEN, capacity);
  let cOrig = cols + columnOffset(C_ORIG_LEN, capacity);
  let cLink = cols + columnOffset(C_LINK_TYPE, capacity);
  let cL3 = cols + columnOffset(C_L3_OFFSET, capacity);
  let cL4 = cols + columnOffset(C_L4_OFFSET, capacity);
  let cEt = cols + columnOffset(C_ETHER_TYPE, capacity);
  let cVer = cols + columnOffset(C_IP_VERSION, capacity);
  let cProto = cols + columnOffset(C_IP_PROTO, capacity);
  let cTtl = cols + columnOffset(C_TTL, capacity);
  let cIpLen = cols + columnOffset(C_IP_LEN, capacity);
  let cSrc4 = cols + columnOffset(C_SRC4, capacity);
  let cDst4 = cols + columnOffset(C_DST4, capacity);
  let cSp = cols + columnOffset(C_SRC_PORT, capacity);
  let cDp = cols + columnOffset(C_DST_PORT, capacity);
  let cFlags = cols + columnOffset(C_TCP_FLAGS, capacity);
  let cSeq = cols + columnOffset(C_SEQ, capacity);
  let cAck = cols + columnOffset(C_ACK, capacity);
  let cWin = cols + columnOffset(C_WINDOW, capacity);
  let cThl = cols + columnOffset(C_TCP_HDR_LEN, capacity);
  let cStatus = cols + columnOffset(C_STATUS, capacity);
  let cUdpLen = cols + columnOffset(C_UDP_LEN, capacity);
  let rowMax = <usize>pk_fields_row_max(ncodes);
  let o = out;
  let i = from;
  for (; i < to; i++) {
    if (limit - o < rowMax) break;
    // The frames the facade's per-packet path must print (same rule as before this kernel).
    if (load<u8>(cStatus + i) != 0 || load<u16>(cLink + (i << 1)) != 1) break;
    let v = <u32>load<u8>(cVer + i);
    let et = <u32>load<u16>(cEt + (i << 1));
    let p = <u32>load<u8>(cProto + i);
    let sp = <u32>load<u16>(cSp + (i << 1));
    let dp = <u32>load<u16>(cDp + (i << 1));
    if (v == 0) {
      if (!(et == 0x0806 || et == 0x8035 || et <= 1500)) break;
    } else {
      if (!((v == 4 && et == 0x0800) || (v == 6 && et == 0x86dd)) || load<i32>(cL4 + (i << 2)) < 0) break;
      if (!(p == 6 || (p == 17 && !tunnelPort(sp) && !tunnelPort(dp)))) break;
    }
    for (let k: u32 = 0; k < ncodes; k++) {
      if (k) store<u8>(o++, 9);
      switch (<i32>load<u8>(codes + k)) {
        case F_FRAME_NUMBER: o = dec(o, number + (i - from)); break;
        case F_FRAME_LEN: o = dec(o, load<u32>(cOrig + (i << 2))); break;
        case F_FRAME_CAP_LEN: o = dec(o, load<u32>(cCap + (i << 2))); break;
        case F_IP_SRC: if (v == 4) o = ip4(o, load<u32>(cSrc4 + (i << 2))); break;
        case F_IP_DST: if (v == 4) o = ip4(o, load<u32>(cDst4 + (i << 2))); break;
        case F_IP_PROTO: if (v == 4) o = dec(o, p); break;
        case F_IP_TTL: if (v == 4) o = dec(o, load<u8>(cTtl + i)); break;
        case F_IP_LEN: if (v == 4) o = dec(o, load<u32>(cIpLen + (i << 2))); break;
        case F_IPV6_SRC: if (v == 6) o = ip6(o, input + load<u32>(cFrame + (i << 2)) + load<u32>(cL3 + (i << 2)) + 8); break;
        case F_IPV6_DST: if (v == 6) o = ip6(o, input + load<u32>(cFrame + (i << 2)) + load<u32>(cL3 + (i << 2)) + 24); break;
        case F_IPV6_PLEN: if (v == 6) o = dec(o, load<u32>(cIpLen + (i << 2))); break;
        case F_IPV6_HLIM: if (v == 6) o = dec(o, load<u8>(cTtl + i)); break;
        case F_TCP_SRCPORT: if (p == 6) o = dec(o, sp); break;
        case F_TCP_DSTPORT: if (p == 6) o = dec(o, dp); break;
        case F_TCP_SEQ_RAW: if (p == 6) o = dec(o, load<u32>(cSeq + (i << 2))); break;
        case F_TCP_ACK_RAW: if (p == 6) o = dec(o, load<u32>(cAck + (i << 2))); break;
        case F_TCP_HDR_LEN: if (p == 6) o = dec(o, load<u8>(cThl + i)); break;
        case F_TCP_FLAGS:
          if (p == 6) {
            store<u16>(o, 0x7830); // "0x"
            o = hexFixed(o + 2, load<u16>(cFlags + (i << 1)), 4);
          }
          break;
        case F_TCP_WINDOW: if (p == 6) o = dec(o, load<u16>(cWin + (i << 1))); break;
        case F_UDP_SRCPORT: if (p == 17) o = dec(o, sp); break;
        case F_UDP_DSTPORT: if (p == 17) o = dec(o, dp); break;
        case F_UDP_LENGTH: if (p == 17) o = dec(o, load<u16>(cUdpLen + (i << 1))); break;
      }
    }
    store<u8>(o++, 10);
  }
  outEnd = o;
  return i;
}

/** `w` lowercase hex digits of `n` (leading zeros kept). */
function hexFixed(o: usize, n: u32, w: i32): usize {
  for (let k = w - 1; k >= 0; k--) {
    let d = (n >> (k << 2)) & 15;
    store<u8>(o++, d < 10 ? 48 + d : 87 + d);
  }
  return o;
}
