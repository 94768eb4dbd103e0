// RFC 9000 §16 variable-length integers: the batch kernels behind assembly/quic/varint.ts.
// Not re-exported from assembly/index.ts: call these from AssemblyScript.
//
// A varint is 1, 2, 4 or 8 bytes, big-endian; the two most significant bits of the first
// byte are log2(length) and are not part of the value (6, 14, 30 or 62 value bits).
//
// Errors: kernels return a negative code (below) and leave the position in the per-instance
// globals `lastPos`/`lastCount`. Globals, not linear memory: with the threads build several
// instances share one memory, and each must keep its own error state.

/** Input ended inside a varint: `lastPos` = its offset, `lastCount` = values decoded before it. */
export const QV_TRUNCATED: i32 = -1;
/** Value out of range: a decoded varint > 2^53-1 (f64 output), or an encoded value > 2^62-1 / < 0. */
export const QV_RANGE: i32 = -2;
/** Encode input is NaN or not an integer (f64 input). `lastPos` = its index. */
export const QV_INVALID: i32 = -3;
/** Encode output capacity reached. `lastPos` = index of the value that did not fit. */
export const QV_OUTPUT: i32 = -4;

/** Byte offset (decode: bytes consumed, or offset of the failing varint) or value index (encode). */
export let lastPos: i32 = 0;
/** Values decoded before a QV_TRUNCATED stop. */
export let lastCount: i32 = 0;

const MAX_SAFE: u64 = 0x1f_ffff_ffff_ffff; // 2^53-1
const MAX_VARINT: u64 = 0x3fff_ffff_ffff_ffff; // 2^62-1

/** Value of the varint at p, byte by byte (the tail, where fewer than 8 bytes may remain). */
function loadValueSlow(p: usize, n: usize): u64 {
  let v = <u64>(load<u8>(p) & 0x3f);
  for (let i: usize = 1; i < n; i++) v = (v << 8) | <u64>load<u8>(p + i);
  return v;
}

// @ts-ignore: decorator
@inline function put<T>(o: usize, v: u64): void {
  if (isFloat<T>()) store<f64>(o, <f64><i64>v); // v < 2^62: the signed convert is exact and one instruction
  else store<u64>(o, v);
}

/**
 * Decodes consecutive varints from [ptr, ptr+len) into `out` (f64 or u64 per value, `cap`
 * values at most). Returns the number decoded, `lastPos` = bytes consumed; stops early at
 * `cap`. Errors: QV_TRUNCATED (the last varint is cut short: more input may follow),
 * QV_RANGE (T = f64 and a value > 2^53-1).
 */
export function decodeInto<T>(ptr: usize, len: usize, out: usize, cap: usize): i32 {
  let p = ptr;
  let end = ptr + len;
  let o = out;
  let oEnd = out + (cap << 3);
  // Blocks of values that can be read with whole-word loads and no bounds checks: a varint is
  // at most 8 bytes, so `(end - p) >> 3` of them fit before the input ends. Branch-free: on
  // random length mixes a branch per length mispredicts often (measured 4.2-7.5 ns/value vs
  // 3.3 here); the cost is the serial load -> length -> next load chain (~3 ns/value).
  while (true) {
    let n = min<usize>((oEnd - o) >> 3, (end - p) >> 3);
    if (n == 0) break;
    let blockEnd = o + (n << 3);
    while (o < blockEnd) {
      let lg = <u32>load<u8>(p) >> 6;
      // Big-endian 8-byte load, prefix bits shifted out, then right-aligned to 8L-2 bits.
      let v = (bswap<u64>(load<u64>(p)) << 2) >> <u64>(66 - (8 << lg));
      if (isFloat<T>()) {
        if (v > MAX_SAFE) return fail(QV_RANGE, p - ptr, o - out);
      }
      put<T>(o, v);
      p += <usize>1 << lg;
      o += 8;
    }
  }
  while (o < oEnd && p < end) {
    let n = <usize>1 << (load<u8>(p) >> 6);
    if (end - p < n) return fail(QV_TRUNCATED, p - ptr, o - out);
    let v = loadValueSlow(p, n);
    if (isFloat<T>()) {
      if (v > MAX_SAFE) return fail(QV_RANGE, p - ptr, o - out);
    }
    put<T>(o, v);
    p += n;
    o += 8;
  }
  lastPos = <i32>(p - ptr);
  return <i32>((o - out) >> 3);
}

function fail(code: i32, pos: usize, outBytes: usize): i32 {
  lastPos = <i32>pos;
  lastCount = <i32>(outBytes >> 3);
  return code;
}

/**
 * Encodes `count` values (f64 or u64 each) at `ptr` as minimal varints into [out, out+cap).
 * Returns the bytes written. Errors (`lastPos` = value index): QV_INVALID (NaN, non-integer),
 * QV_RANGE (negative, > 2^53-1 as f64, > 2^62-1 as u64), QV_OUTPUT (`cap` too small).
 */
export function encodeFrom<T>(ptr: usize, count: usize, out: usize, cap: usize): i32 {
  let o = out;
  let oEnd = out + cap;
  for (let i: usize = 0; i < count; i++) {
    let v: u64;
    if (isFloat<T>()) {
      let f = load<f64>(ptr + (i << 3));
      if (!(f >= 0 && f <= <f64>MAX_SAFE && trunc<f64>(f) == f)) {
        return fail(f != f || trunc<f64>(f) != f ? QV_INVALID : QV_RANGE, i, 0);
      }
      v = <u64><i64>f;
    } else {
      v = load<u64>(ptr + (i << 3));
      if (v > MAX_VARINT) return fail(QV_RANGE, i, 0);
    }
    let lg = <u32>(v > 63) + <u32>(v > 16383) + <u32>(v > 0x3fffffff);
    let n = <usize>1 << lg;
    let bits = <u64>(8 << lg);
    if (oEnd - o >= 8) {
      // One unaligned 8-byte store; bytes past n are overwritten by the next value.
      store<u64>(o, bswap<u64>((v << (64 - bits)) | (<u64>lg << 62)));
    } else {
      if (oEnd - o < n) return fail(QV_OUTPUT, i, 0);
      let w = v | (<u64>lg << (bits - 2));
      for (let k: usize = 0; k < n; k++) store<u8>(o + k, <u8>(w >> ((<u64>(n - 1 - k)) << 3)));
    }
    o += n;
  }
  return <i32>(o - out);
}
