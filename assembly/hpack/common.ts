// Shared HPACK primitives: prefixed integers (RFC 7541 §5.1), dynamic-table ring storage (§4).

/** Error codes returned (negated) by the hp_* exports; mirrored in src/hpack/errors.ts. */
export const E_TRUNCATED: i32 = -1;
export const E_INTEGER: i32 = -2;
export const E_INDEX_ZERO: i32 = -3;
export const E_INDEX_RANGE: i32 = -4;
export const E_HUFFMAN_EOS: i32 = -5;
export const E_HUFFMAN_PADDING: i32 = -6;
export const E_UPDATE_TOO_LARGE: i32 = -7;
export const E_UPDATE_POSITION: i32 = -8;
export const E_UPDATE_MISSING: i32 = -9;
export const E_STRING_TOO_LONG: i32 = -10;
export const E_DEAD: i32 = -11;
export const E_OUTPUT: i32 = -12;

/** Integer parse results (AssemblyScript has no tuples): value and position after it. */
export let intValue: u32 = 0;
export let intEnd: usize = 0;

/** 1 ok, 0 input ended inside the integer, E_INTEGER past 5 continuation octets or 2^32-1. */
// @ts-ignore: decorator
@inline export function readInt(p: usize, end: usize, prefixBits: u32): i32 {
  const max: u32 = (1 << prefixBits) - 1;
  const v = <u32>load<u8>(p) & max;
  p++;
  if (v < max) {
    intValue = v;
    intEnd = p;
    return 1;
  }
  let acc: u64 = v;
  let shift: u64 = 0;
  for (let i = 0; i < 5; i++) {
    if (p >= end) return 0;
    const b = <u64>load<u8>(p);
    p++;
    acc += (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) == 0) {
      if (acc > 0xffffffff) return E_INTEGER;
      intValue = <u32>acc;
      intEnd = p;
      return 1;
    }
  }
  return E_INTEGER;
}

/** Writes `v` with an N-bit prefix; `first` holds the representation bits. Returns the new p. */
// @ts-ignore: decorator
@inline export function writeInt(p: usize, first: u32, prefixBits: u32, v: u32): usize {
  const max: u32 = (1 << prefixBits) - 1;
  if (v < max) {
    store<u8>(p, <u8>(first | v));
    return p + 1;
  }
  store<u8>(p, <u8>(first | max));
  p++;
  v -= max;
  while (v >= 128) {
    store<u8>(p, <u8>((v & 0x7f) | 0x80));
    p++;
    v >>= 7;
  }
  store<u8>(p, <u8>v);
  return p + 1;
}

/** memory.copy for short non-overlapping runs without the engine call (8-octet words, then bytes). */
export function copyBytes(dst: usize, src: usize, n: usize): void {
  if (n > 64) {
    memory.copy(dst, src, n);
    return;
  }
  while (n >= 8) {
    store<u64>(dst, load<u64>(src));
    dst += 8;
    src += 8;
    n -= 8;
  }
  while (n > 0) {
    store<u8>(dst, load<u8>(src));
    dst++;
    src++;
    n--;
  }
}

/** Copies len bytes into a ring of `cap` bytes at `pos` (wrapping). Returns the next position. */
export function ringWrite(ring: usize, cap: usize, pos: usize, src: usize, len: usize): usize {
  const first = min(len, cap - pos);
  copyBytes(ring + pos, src, first);
  if (first < len) copyBytes(ring, src + first, len - first);
  pos += len;
  if (pos >= cap) pos -= cap;
  return pos;
}

/** Copies len bytes out of a ring at `pos` (wrapping) to dst. */
export function ringRead(ring: usize, cap: usize, pos: usize, dst: usize, len: usize): void {
  const first = min(len, cap - pos);
  copyBytes(dst, ring + pos, first);
  if (first < len) copyBytes(dst + first, ring, len - first);
}

/** True when [a, a+n) and [b, b+n) hold the same bytes (unaligned 8-octet words, then bytes). */
export function bytesEqual(a: usize, b: usize, n: usize): bool {
  while (n >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    n--;
  }
  return true;
}

/** True when the ring bytes at pos equal [src, src+len). */
export function ringEquals(ring: usize, cap: usize, pos: usize, src: usize, len: usize): bool {
  const first = min(len, cap - pos);
  if (!bytesEqual(ring + pos, src, first)) return false;
  return first == len || bytesEqual(ring, src + first, len - first);
}

/** Smallest power of two >= max(1, n). */
export function pow2(n: u32): u32 {
  let p: u32 = 1;
  while (p < n) p <<= 1;
  return p;
}
