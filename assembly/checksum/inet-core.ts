// RFC 1071 one's-complement sum, the core shared by the checksum exports and (later) the
// packet codecs. Not re-exported from assembly/index.ts: call it from AssemblyScript.
//
// The sum is computed over little-endian 16-bit words (native loads) and byte-swapped at the
// end: RFC 1071 §2(B) "byte order independence". Wide accumulators defer the end-around
// carry (§2(C)) to one final fold.

/** Bytes summed into u32x4 lanes before widening: 4096 v128 adds of <= 2*0xffff per lane. */
const SIMD_BLOCK: usize = 65536;

/** Folds a wide one's-complement accumulator to 16 bits (end-around carry). */
// @ts-ignore: decorator
@inline export function fold16(acc: u64): u32 {
  acc = (acc & 0xffffffff) + (acc >> 32);
  acc = (acc & 0xffff) + (acc >> 16);
  acc = (acc & 0xffff) + (acc >> 16);
  return <u32>((acc & 0xffff) + (acc >> 16));
}

/** Swaps the two bytes of a 16-bit value. */
// @ts-ignore: decorator
@inline export function swap16(x: u32): u32 {
  return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
}

/** Pairwise sums of the u16 lanes of `v` minus 65536 per i32 lane (one pmaddwd: sign-flip, dot with 1s). */
// @ts-ignore: decorator
@inline function dp(v: v128): v128 {
  return i32x4.dot_i16x8_s(v128.xor(v, i16x8.splat(<i16>0x8000)), i16x8.splat(1));
}

/**
 * One's-complement sum of [ptr, ptr+len) as little-endian words, not folded.
 * An odd trailing byte is padded with a zero octet (RFC 1071 §4.1).
 */
export function sumLE(ptr: usize, len: usize): u64 {
  let acc: u64 = 0;
  let p = ptr;
  let end = ptr + len;
  if (ASC_FEATURE_SIMD) {
    while (end - p >= 64) {
      let blockEnd = p + min<usize>((end - p) & ~<usize>63, SIMD_BLOCK);
      let start = p;
      // Eight independent u32x4 accumulators (128 bytes a round) keep the adds in flight.
      let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
      let b0 = i32x4.splat(0), b1 = i32x4.splat(0), b2 = i32x4.splat(0), b3 = i32x4.splat(0);
      while (blockEnd - p >= 128) {
        a0 = i32x4.add(a0, dp(v128.load(p)));
        a1 = i32x4.add(a1, dp(v128.load(p, 16)));
        a2 = i32x4.add(a2, dp(v128.load(p, 32)));
        a3 = i32x4.add(a3, dp(v128.load(p, 48)));
        b0 = i32x4.add(b0, dp(v128.load(p, 64)));
        b1 = i32x4.add(b1, dp(v128.load(p, 80)));
        b2 = i32x4.add(b2, dp(v128.load(p, 96)));
        b3 = i32x4.add(b3, dp(v128.load(p, 112)));
        p += 128;
      }
      if (blockEnd - p >= 64) {
        a0 = i32x4.add(a0, dp(v128.load(p)));
        a1 = i32x4.add(a1, dp(v128.load(p, 16)));
        a2 = i32x4.add(a2, dp(v128.load(p, 32)));
        a3 = i32x4.add(a3, dp(v128.load(p, 48)));
        p += 64;
      }
      // Each lane holds (sum of its word pairs) - 65536 per vector added, |lane| < 2^31 for a
      // block: widen as signed once per block and add back the 65536s.
      let vecs = <u64>(blockEnd - start) >> 4;
      a0 = i32x4.add(a0, b0);
      a1 = i32x4.add(a1, b1);
      a2 = i32x4.add(a2, b2);
      a3 = i32x4.add(a3, b3);
      let w = i64x2.add(i64x2.extend_low_i32x4_s(a0), i64x2.extend_high_i32x4_s(a0));
      w = i64x2.add(w, i64x2.add(i64x2.extend_low_i32x4_s(a1), i64x2.extend_high_i32x4_s(a1)));
      w = i64x2.add(w, i64x2.add(i64x2.extend_low_i32x4_s(a2), i64x2.extend_high_i32x4_s(a2)));
      w = i64x2.add(w, i64x2.add(i64x2.extend_low_i32x4_s(a3), i64x2.extend_high_i32x4_s(a3)));
      acc += <u64>(i64x2.extract_lane(w, 0) + i64x2.extract_lane(w, 1)) + (vecs << 18);
    }
  } else {
    let b: u64 = 0;
    while (end - p >= 16) {
      let x = load<u64>(p);
      let y = load<u64>(p, 8);
      acc += (x & 0xffffffff) + (x >> 32);
      b += (y & 0xffffffff) + (y >> 32);
      p += 16;
    }
    acc += b;
  }
  while (end - p >= 4) {
    acc += <u64>load<u32>(p);
    p += 4;
  }
  if (end - p >= 2) {
    acc += <u64>load<u16>(p);
    p += 2;
  }
  if (p < end) acc += <u64>load<u8>(p);
  return acc;
}

/** Folded one's-complement sum of the bytes in network byte order, plus `initial`. */
// @ts-ignore: decorator
@inline export function inetSum(ptr: usize, len: usize, initial: u32): u32 {
  let s = swap16(fold16(sumLE(ptr, len)));
  return fold16(<u64>s + <u64>initial);
}
