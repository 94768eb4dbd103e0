// Structure-of-arrays output of the batch decoder (pk_decode): one column per field, each a
// packed array of `capacity` elements of its width, laid out one after the other from `cols`.
// The TypeScript facade reads the layout from pk_column_width/pk_column_offset (no mirrored table).

// Column ids (the facade's COLUMN_NAMES is in this order; a test checks the count).
export const C_FRAME_OFFSET = 0; // u32 byte offset of the frame in the capture
export const C_CAP_LEN = 1; // u32
export const C_ORIG_LEN = 2; // u32
export const C_LINK_TYPE = 3; // u16
export const C_L3_OFFSET = 4; // i32 offset in the frame, -1 none
export const C_L4_OFFSET = 5; // i32
export const C_PAYLOAD_OFFSET = 6; // i32
export const C_PAYLOAD_LENGTH = 7; // i32
export const C_ETHER_TYPE = 8; // u16 EtherType of the L3 header (after tags)
export const C_VLAN_COUNT = 9; // u8
export const C_VLAN_ID = 10; // u16 first tag's VLAN id
export const C_IP_VERSION = 11; // u8 (0 none)
export const C_IP_PROTO = 12; // u8 upper-layer protocol (end of the IPv6 chain)
export const C_TTL = 13; // u8 TTL / hop limit
export const C_IP_FLAGS = 14; // u8 IPv4 3-bit flags; IPv6: 1 when the fragment header has M
export const C_FRAG_OFFSET = 15; // u16, 8-byte units
export const C_IP_LEN = 16; // u32 IPv4 total length (effective) / IPv6 payload length
export const C_SRC4 = 17; // u32 IPv4 source (big-endian value); IPv6: read at l3Offset+8
export const C_DST4 = 18; // u32
export const C_SRC_PORT = 19; // u16
export const C_DST_PORT = 20; // u16
export const C_TCP_FLAGS = 21; // u16 12-bit
export const C_SEQ = 22; // u32
export const C_ACK = 23; // u32
export const C_WINDOW = 24; // u16
export const C_TCP_HDR_LEN = 25; // u8 bytes
export const C_MSS = 26; // u16, 0 none
export const C_WSCALE = 27; // u8, 255 none
export const C_ICMP_TYPE = 28; // u8
export const C_ICMP_CODE = 29; // u8
export const C_IP_CHECKSUM = 30; // u8 status: 0 bad, 1 good, 2 unverified (or not checked)
export const C_L4_CHECKSUM = 31; // u8 status: 0 bad, 1 good, 2 unverified, 3 not present (UDP 0)
export const C_STATUS = 32; // u8 bits: 1 truncated, 2 malformed, 4 fragment, 8 non-first fragment
export const C_UDP_LEN = 33; // u16
export const COLUMNS = 34;

// Widths in bytes, by column id.
const WIDTHS: StaticArray<u8> = [4, 4, 4, 2, 4, 4, 4, 4, 2, 1, 2, 1, 1, 1, 1, 2, 4, 4, 4, 2, 2, 2, 4, 4, 2, 1, 2, 1, 1, 1, 1, 1, 1, 2];

export function width(c: i32): u32 {
  return <u32>unchecked(WIDTHS[c]);
}

/** Byte offset of column `c` for `capacity` rows (columns are 4-byte aligned). */
export function columnOffset(c: i32, capacity: u32): u32 {
  let off: u32 = 0;
  for (let i = 0; i < c; i++) off += (width(i) * capacity + 3) & ~3;
  return off;
}

// Column base pointers of the current batch, one global each (not an array in linear memory,
// so stores into the columns cannot alias them and the compiler keeps them out of the loads).
let b0: usize = 0;
let b1: usize = 0;
let b2: usize = 0;
let b3: usize = 0;
let b4: usize = 0;
let b5: usize = 0;
let b6: usize = 0;
let b7: usize = 0;
let b8: usize = 0;
let b9: usize = 0;
let b10: usize = 0;
let b11: usize = 0;
let b12: usize = 0;
let b13: usize = 0;
let b14: usize = 0;
let b15: usize = 0;
let b16: usize = 0;
let b17: usize = 0;
let b18: usize = 0;
let b19: usize = 0;
let b20: usize = 0;
let b21: usize = 0;
let b22: usize = 0;
let b23: usize = 0;
let b24: usize = 0;
let b25: usize = 0;
let b26: usize = 0;
let b27: usize = 0;
let b28: usize = 0;
let b29: usize = 0;
let b30: usize = 0;
let b31: usize = 0;
let b32: usize = 0;
let b33: usize = 0;

/** Points the column globals at a table of `capacity` rows at `cols`. */
export function setBase(cols: usize, capacity: u32): void {
  let p = cols;
  b0 = p;
  p += (width(0) * capacity + 3) & ~3;
  b1 = p;
  p += (width(1) * capacity + 3) & ~3;
  b2 = p;
  p += (width(2) * capacity + 3) & ~3;
  b3 = p;
  p += (width(3) * capacity + 3) & ~3;
  b4 = p;
  p += (width(4) * capacity + 3) & ~3;
  b5 = p;
  p += (width(5) * capacity + 3) & ~3;
  b6 = p;
  p += (width(6) * capacity + 3) & ~3;
  b7 = p;
  p += (width(7) * capacity + 3) & ~3;
  b8 = p;
  p += (width(8) * capacity + 3) & ~3;
  b9 = p;
  p += (width(9) * capacity + 3) & ~3;
  b10 = p;
  p += (width(10) * capacity + 3) & ~3;
  b11 = p;
  p += (width(11) * capacity + 3) & ~3;
  b12 = p;
  p += (width(12) * capacity + 3) & ~3;
  b13 = p;
  p += (width(13) * capacity + 3) & ~3;
  b14 = p;
  p += (width(14) * capacity + 3) & ~3;
  b15 = p;
  p += (width(15) * capacity + 3) & ~3;
  b16 = p;
  p += (width(16) * capacity + 3) & ~3;
  b17 = p;
  p += (width(17) * capacity + 3) & ~3;
  b18 = p;
  p += (width(18) * capacity + 3) & ~3;
  b19 = p;
  p += (width(19) * capacity + 3) & ~3;
  b20 = p;
  p += (width(20) * capacity + 3) & ~3;
  b21 = p;
  p += (width(21) * capacity + 3) & ~3;
  b22 = p;
  p += (width(22) * capacity + 3) & ~3;
  b23 = p;
  p += (width(23) * capacity + 3) & ~3;
  b24 = p;
  p += (width(24) * capacity + 3) & ~3;
  b25 = p;
  p += (width(25) * capacity + 3) & ~3;
  b26 = p;
  p += (width(26) * capacity + 3) & ~3;
  b27 = p;
  p += (width(27) * capacity + 3) & ~3;
  b28 = p;
  p += (width(28) * capacity + 3) & ~3;
  b29 = p;
  p += (width(29) * capacity + 3) & ~3;
  b30 = p;
  p += (width(30) * capacity + 3) & ~3;
  b31 = p;
  p += (width(31) * capacity + 3) & ~3;
  b32 = p;
  p += (width(32) * capacity + 3) & ~3;
  b33 = p;
}

// @ts-ignore: decorator
@inline function col(c: i32): usize {
  switch (c) {
    case 0: return b0;
    case 1: return b1;
    case 2: return b2;
    case 3: return b3;
    case 4: return b4;
    case 5: return b5;
    case 6: return b6;
    case 7: return b7;
    case 8: return b8;
    case 9: return b9;
    case 10: return b10;
    case 11: return b11;
    case 12: return b12;
    case 13: return b13;
    case 14: return b14;
    case 15: return b15;
    case 16: return b16;
    case 17: return b17;
    case 18: return b18;
    case 19: return b19;
    case 20: return b20;
    case 21: return b21;
    case 22: return b22;
    case 23: return b23;
    case 24: return b24;
    case 25: return b25;
    case 26: return b26;
    case 27: return b27;
    case 28: return b28;
    case 29: return b29;
    case 30: return b30;
    case 31: return b31;
    case 32: return b32;
    case 33: return b33;
  }
  return 0;
}

export const ST_TRUNCATED: u8 = 1;
export const ST_MALFORMED: u8 = 2;
export const ST_FRAGMENT: u8 = 4;
export const ST_NONFIRST: u8 = 8;

// @ts-ignore: decorator
@inline export function put8(c: i32, i: u32, v: u32): void {
  store<u8>(col(c) + i, <u8>v);
}
// @ts-ignore: decorator
@inline export function put16(c: i32, i: u32, v: u32): void {
  store<u16>(col(c) + (i << 1), <u16>v);
}
// @ts-ignore: decorator
@inline export function put32(c: i32, i: u32, v: u32): void {
  store<u32>(col(c) + (i << 2), v);
}
// @ts-ignore: decorator
@inline export function get32(c: i32, i: u32): u32 {
  return load<u32>(col(c) + (i << 2));
}
// @ts-ignore: decorator
@inline export function get16(c: i32, i: u32): u32 {
  return <u32>load<u16>(col(c) + (i << 1));
}
// @ts-ignore: decorator
@inline export function get8(c: i32, i: u32): u32 {
  return <u32>load<u8>(col(c) + i);
}
// @ts-ignore: decorator
@inline export function be16(p: usize): u32 {
  return <u32>bswap<u16>(load<u16>(p));
}
// @ts-ignore: decorator
@inline export function be32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

/** Marks row `i` and stops: bytes past `end` (declared length) are malformed, past `cap` truncated. */
export function short(i: u32, upto: usize, end: usize, cap: usize): void {
  put8(C_STATUS, i, get8(C_STATUS, i) | (upto > end ? ST_MALFORMED : ST_TRUNCATED));
}
