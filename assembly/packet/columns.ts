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

/** Column base pointers of the current batch (set by pk_decode before decoding). */
export const base = new StaticArray<usize>(COLUMNS);

export const ST_TRUNCATED: u8 = 1;
export const ST_MALFORMED: u8 = 2;
export const ST_FRAGMENT: u8 = 4;
export const ST_NONFIRST: u8 = 8;

// @ts-ignore: decorator
@inline export function put8(c: i32, i: u32, v: u32): void {
  store<u8>(unchecked(base[c]) + i, <u8>v);
}
// @ts-ignore: decorator
@inline export function put16(c: i32, i: u32, v: u32): void {
  store<u16>(unchecked(base[c]) + (i << 1), <u16>v);
}
// @ts-ignore: decorator
@inline export function put32(c: i32, i: u32, v: u32): void {
  store<u32>(unchecked(base[c]) + (i << 2), v);
}
// @ts-ignore: decorator
@inline export function get32(c: i32, i: u32): u32 {
  return load<u32>(unchecked(base[c]) + (i << 2));
}
// @ts-ignore: decorator
@inline export function get16(c: i32, i: u32): u32 {
  return <u32>load<u16>(unchecked(base[c]) + (i << 1));
}
// @ts-ignore: decorator
@inline export function get8(c: i32, i: u32): u32 {
  return <u32>load<u8>(unchecked(base[c]) + i);
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
