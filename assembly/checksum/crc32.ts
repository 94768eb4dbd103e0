// CRC-32 (IEEE 802.3 / zlib, reflected 0xEDB88320) and CRC-32C (Castagnoli,
// reflected 0x82F63B78) kernels, plus zlib-style combine.
//
// Bulk method ("Chorba", S. Russell, arXiv:2412.16398): if Q(x) is a sparse
// multiple of the CRC polynomial P(x), then M mod P == (M mod Q) mod P. Reducing
// by a sparse Q only needs XORs of shifted copies of the message: every 64-bit
// word v (already reduced) is folded forward into the words 2..5 positions later
// at the bit distances of Q's terms. Once fewer than 5 words remain, the pending
// state plus those words is the residue, which is finished with a slicing-by-16
// table CRC. All state lives in locals; no scratch memory is used.
//
// Sparse multiples used (bit distances = D - exponent of each lower term):
//   CRC-32 : Q = x^300 + x^155 + x^117 + x^89 + 1          -> 145, 183, 211, 300
//   CRC-32C: Q = x^299 + x^142 + x^134 + x^62 + x^21 + 1   -> 157, 165, 237, 278, 299
// (CRC-32C has Hamming distance 6 up to ~5243 bits, so no weight-5 multiple of
// low degree exists; the weight-6 one above was found by a meet-in-the-middle
// search over x^k mod P.) A distance 64*w + a becomes `v << a` into word +w and
// `v >> (64 - a)` into word +w+1; the shift parameters below encode that.
//
// Baseline build: one scalar i64 stream (8 shifts + ~10 XORs per 8 bytes for
// CRC-32, 10 shifts for CRC-32C). SIMD build from 1.5 KiB (CRC-32C: 1 KiB) up:
// the same reduction runs as a v128 chain over the first half of the input,
// interleaved with a scalar chain over the second half; the halves are then
// combined (see chorbaHybrid). Below that the SIMD build uses the scalar stream.
// Inputs < 72 bytes and every residue use slicing-by-16 tables.
//
// Static data (crc-tables.ts, generated): 2 x 16 KiB slicing tables, 2 x 3 KiB
// stream-join tables, 2 x 268 B x^(2^n) tables. No globals, no scratch memory.
import { CRC32_T16, CRC32_X2N, CRC32_XP32, CRC32C_T16, CRC32C_X2N, CRC32C_XP32 } from './crc-tables';

// ---------------------------------------------------------------- tables ----

// Slicing-by-8 step: CRC register c absorbs the 8 bytes of v (LE order).
// Table k holds the effect of a byte followed by k zero bytes.
// @ts-ignore: decorator
@inline function step8(c: u32, v: u64, T: usize): u32 {
  const x = <u32>v ^ c, y = <u32>(v >>> 32);
  return load<u32>(T + ((x & 0xFF) << 2), 7 << 10) ^ load<u32>(T + ((x >> 6) & 0x3FC), 6 << 10) ^
    load<u32>(T + ((x >> 14) & 0x3FC), 5 << 10) ^ load<u32>(T + ((x >> 22) & 0x3FC), 4 << 10) ^
    load<u32>(T + ((y & 0xFF) << 2), 3 << 10) ^ load<u32>(T + ((y >> 6) & 0x3FC), 2 << 10) ^
    load<u32>(T + ((y >> 14) & 0x3FC), 1 << 10) ^ load<u32>(T + ((y >> 22) & 0x3FC));
}

// Slicing-by-16 step: c absorbs v (bytes 0..7) then w (bytes 8..15).
// @ts-ignore: decorator
@inline function step16(c: u32, v: u64, w: u64, T: usize): u32 {
  const x = <u32>v ^ c, y = <u32>(v >>> 32), z = <u32>w, u = <u32>(w >>> 32);
  return load<u32>(T + ((x & 0xFF) << 2), 15 << 10) ^ load<u32>(T + ((x >> 6) & 0x3FC), 14 << 10) ^
    load<u32>(T + ((x >> 14) & 0x3FC), 13 << 10) ^ load<u32>(T + ((x >> 22) & 0x3FC), 12 << 10) ^
    load<u32>(T + ((y & 0xFF) << 2), 11 << 10) ^ load<u32>(T + ((y >> 6) & 0x3FC), 10 << 10) ^
    load<u32>(T + ((y >> 14) & 0x3FC), 9 << 10) ^ load<u32>(T + ((y >> 22) & 0x3FC), 8 << 10) ^
    load<u32>(T + ((z & 0xFF) << 2), 7 << 10) ^ load<u32>(T + ((z >> 6) & 0x3FC), 6 << 10) ^
    load<u32>(T + ((z >> 14) & 0x3FC), 5 << 10) ^ load<u32>(T + ((z >> 22) & 0x3FC), 4 << 10) ^
    load<u32>(T + ((u & 0xFF) << 2), 3 << 10) ^ load<u32>(T + ((u >> 6) & 0x3FC), 2 << 10) ^
    load<u32>(T + ((u >> 14) & 0x3FC), 1 << 10) ^ load<u32>(T + ((u >> 22) & 0x3FC));
}

// Table CRC of [p, p+n) with raw register c (not inverted here). Counts down n
// rather than comparing with p + n, which wraps for a buffer ending at 4 GiB.
// @ts-ignore: decorator
@inline function tableCrc(c: u32, p: usize, n: usize, T: usize): u32 {
  while (n >= 16) {
    c = step16(c, load<u64>(p), load<u64>(p, 8), T);
    p += 16;
    n -= 16;
  }
  if (n >= 8) {
    c = step8(c, load<u64>(p), T);
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    const x = load<u32>(p) ^ c;
    c = load<u32>(T + ((x & 0xFF) << 2), 3 << 10) ^ load<u32>(T + ((x >> 6) & 0x3FC), 2 << 10) ^
      load<u32>(T + ((x >> 14) & 0x3FC), 1 << 10) ^ load<u32>(T + ((x >> 22) & 0x3FC));
    p += 4;
    n -= 4;
  }
  while (n != 0) {
    c = load<u32>(T + (((c ^ <u32>load<u8>(p)) & 0xFF) << 2)) ^ (c >>> 8);
    p++;
    n--;
  }
  return c;
}

// ------------------------------------------------------------- scalar fold ----
// Contributions of a reduced word v to the words 2, 3, 4, 5 positions later.
// a1, a2: terms landing at +2/+3; a3: +3/+4; a4, a5: +4/+5 (m5 = 0 disables a5).

// @ts-ignore: decorator
@inline function f2(v: u64, a1: u64, a2: u64): u64 { return (v << a1) ^ (v << a2); }
// @ts-ignore: decorator
@inline function f3(v: u64, a1: u64, a2: u64, a3: u64): u64 {
  return (v >> (64 - a1)) ^ (v >> (64 - a2)) ^ (v << a3);
}
// @ts-ignore: decorator
@inline function f4(v: u64, a3: u64, a4: u64, a5: u64, m5: u64): u64 {
  return (v >> (64 - a3)) ^ (v << a4) ^ ((v << a5) & m5);
}
// @ts-ignore: decorator
@inline function f5(v: u64, a4: u64, a5: u64, m5: u64): u64 {
  return (v >> (64 - a4)) ^ ((v >> (64 - a5)) & m5);
}

// Residue finish: the 5 pending words q0..q4 are XORed onto the next 40 input
// bytes, then everything left is table-CRC'd from a zero register.
// @ts-ignore: decorator
@inline function finish(p: usize, e: usize, q0: u64, q1: u64, q2: u64, q3: u64, q4: u64, T: usize): u32 {
  let c = step16(0, load<u64>(p) ^ q0, load<u64>(p, 8) ^ q1, T);
  c = step16(c, load<u64>(p, 16) ^ q2, load<u64>(p, 24) ^ q3, T);
  c = step8(c, load<u64>(p, 32) ^ q4, T);
  p += 40;
  return ~tableCrc(c, p, e - p, T);
}

const SMALL: usize = 72; // below this, plain table CRC (need >= 32 + 40 for one block)
// SIMD build: two-stream split from these lengths (measured crossovers; >= 4 * SMALL)
const HYBRID32: usize = 1536;
const HYBRID32C: usize = 1024;

// @ts-ignore: decorator
@inline function chorbaScalar(crc: u32, p: usize, len: usize, T: usize,
  a1: u64, a2: u64, a3: u64, a4: u64, a5: u64, m5: u64): u32 {
  const e = p + len;
  const last = e - SMALL; // blocks start at p <= last
  let q0: u64 = <u64>~crc, q1: u64 = 0, q2: u64 = 0, q3: u64 = 0, q4: u64 = 0;
  do {
    const v0 = load<u64>(p) ^ q0;
    const v1 = load<u64>(p, 8) ^ q1;
    const v2 = load<u64>(p, 16) ^ q2 ^ f2(v0, a1, a2);
    const v3 = load<u64>(p, 24) ^ q3 ^ f3(v0, a1, a2, a3) ^ f2(v1, a1, a2);
    q0 = q4 ^ f4(v0, a3, a4, a5, m5) ^ f3(v1, a1, a2, a3) ^ f2(v2, a1, a2);
    q1 = f5(v0, a4, a5, m5) ^ f4(v1, a3, a4, a5, m5) ^ f3(v2, a1, a2, a3) ^ f2(v3, a1, a2);
    q2 = f5(v1, a4, a5, m5) ^ f4(v2, a3, a4, a5, m5) ^ f3(v3, a1, a2, a3);
    q3 = f5(v2, a4, a5, m5) ^ f4(v3, a3, a4, a5, m5);
    q4 = f5(v3, a4, a5, m5);
    p += 32;
  } while (p <= last);
  return finish(p, e, q0, q1, q2, q3, q4, T);
}

// --------------------------------------------------------------- SIMD fold ----
// Same reduction with one v128 = two consecutive words. Per 32-byte block, A holds
// words 0,1 and B words 2,3. "Odd" contributions (+3, +5) straddle pairs and are
// realigned with one-lane shuffles; R carries the +5 part of B (words 7,8 = the
// next block's 3,4) across iterations.

// @ts-ignore: decorator
@inline function g2(v: v128, a1: i32, a2: i32): v128 {
  return v128.xor(i64x2.shl(v, a1), i64x2.shl(v, a2));
}
// @ts-ignore: decorator
@inline function g3(v: v128, a1: i32, a2: i32, a3: i32): v128 {
  return v128.xor(v128.xor(i64x2.shr_u(v, 64 - a1), i64x2.shr_u(v, 64 - a2)), i64x2.shl(v, a3));
}
// @ts-ignore: decorator
@inline function g4(v: v128, a3: i32, a4: i32, a5: i32, h5: bool): v128 {
  const r = v128.xor(i64x2.shr_u(v, 64 - a3), i64x2.shl(v, a4));
  return h5 ? v128.xor(r, i64x2.shl(v, a5)) : r;
}
// @ts-ignore: decorator
@inline function g5(v: v128, a4: i32, a5: i32, h5: bool): v128 {
  const r = i64x2.shr_u(v, 64 - a4);
  return h5 ? v128.xor(r, i64x2.shr_u(v, 64 - a5)) : r;
}

// SIMD build: the input is split in two. Stream A (front, lenA bytes) runs the
// v128 reduction while stream B (the last lenB bytes) runs the scalar one in the
// same loop; they use different execution resources, so the pair is faster than
// either alone. B is finished first, A finishes its last <= 2 blocks alone, and
// the two CRCs are joined by multiplying crc(A) with x^(8*lenB) mod P (from the
// XP32 tables: one GF(2) product while lenB < 8 KiB, at most three above).
// @ts-ignore: decorator
@inline function chorbaHybrid(crc: u32, ptr: usize, len: usize, T: usize, XP: usize, X2N: usize,
  a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, h5: bool, m5: u64): u32 {
  const b1 = <u64>a1, b2 = <u64>a2, b3 = <u64>a3, b4 = <u64>a4, b5 = <u64>a5;
  const lenB = (len >> 1) & ~31; // lenA - lenB < 64
  const eA = ptr + len - lenB, e = ptr + len;
  const lastA = eA - SMALL, lastB = e - SMALL;
  const zero = i64x2.splat(0);
  let p01 = i64x2.replace_lane(zero, 0, <i64>(<u64>~crc));
  let p23 = zero, r = zero;
  // B is CRC'd from crc 0, i.e. register ~0 XORed onto its first word.
  let q0: u64 = 0xFFFFFFFF, q1: u64 = 0, q2: u64 = 0, q3: u64 = 0, q4: u64 = 0;
  let p = ptr, s = eA;
  do { // lenA >= lenB, so A always has a block whenever B has one
    const a = v128.xor(v128.load(p), p01);
    const v0 = load<u64>(s) ^ q0;
    const v1 = load<u64>(s, 8) ^ q1;
    const o34 = v128.xor(g3(a, a1, a2, a3), r);
    const v2 = load<u64>(s, 16) ^ q2 ^ f2(v0, b1, b2);
    const v3 = load<u64>(s, 24) ^ q3 ^ f3(v0, b1, b2, b3) ^ f2(v1, b1, b2);
    const b = v128.xor(v128.xor(v128.load(p, 16), p23),
      v128.xor(g2(a, a1, a2), i64x2.shuffle(zero, o34, 0, 2)));
    q0 = q4 ^ f4(v0, b3, b4, b5, m5) ^ f3(v1, b1, b2, b3) ^ f2(v2, b1, b2);
    q1 = f5(v0, b4, b5, m5) ^ f4(v1, b3, b4, b5, m5) ^ f3(v2, b1, b2, b3) ^ f2(v3, b1, b2);
    const o56 = v128.xor(g5(a, a4, a5, h5), g3(b, a1, a2, a3));
    p01 = v128.xor(v128.xor(g4(a, a3, a4, a5, h5), g2(b, a1, a2)), i64x2.shuffle(o34, o56, 1, 2));
    q2 = f5(v1, b4, b5, m5) ^ f4(v2, b3, b4, b5, m5) ^ f3(v3, b1, b2, b3);
    q3 = f5(v2, b4, b5, m5) ^ f4(v3, b3, b4, b5, m5);
    q4 = f5(v3, b4, b5, m5);
    p23 = v128.xor(g4(b, a3, a4, a5, h5), i64x2.shuffle(o56, zero, 1, 2));
    r = g5(b, a4, a5, h5);
    p += 32;
    s += 32;
  } while (s <= lastB);
  const crcB = finish(s, e, q0, q1, q2, q3, q4, T);
  while (p <= lastA) { // rest of A alone
    const a = v128.xor(v128.load(p), p01);
    const o34 = v128.xor(g3(a, a1, a2, a3), r);
    const b = v128.xor(v128.xor(v128.load(p, 16), p23),
      v128.xor(g2(a, a1, a2), i64x2.shuffle(zero, o34, 0, 2)));
    const o56 = v128.xor(g5(a, a4, a5, h5), g3(b, a1, a2, a3));
    p01 = v128.xor(v128.xor(g4(a, a3, a4, a5, h5), g2(b, a1, a2)), i64x2.shuffle(o34, o56, 1, 2));
    p23 = v128.xor(g4(b, a3, a4, a5, h5), i64x2.shuffle(o56, zero, 1, 2));
    r = g5(b, a4, a5, h5);
    p += 32;
  }
  const w3 = <u64>i64x2.extract_lane(p23, 1) ^ <u64>i64x2.extract_lane(r, 0);
  const crcA = finish(p, eA,
    <u64>i64x2.extract_lane(p01, 0), <u64>i64x2.extract_lane(p01, 1),
    <u64>i64x2.extract_lane(p23, 0), w3, <u64>i64x2.extract_lane(r, 1), T);
  return mulmod(crcA, shift32(lenB >> 5, XP, X2N, T), T) ^ crcB;
}

// ----------------------------------------------------------------- exports ----

export function ck_crc32(crc: u32, ptr: usize, len: usize): u32 {
  if (len < SMALL) return ~tableCrc(~crc, ptr, len, CRC32_T16);
  if (ASC_FEATURE_SIMD && len >= HYBRID32) {
    return chorbaHybrid(crc, ptr, len, CRC32_T16, CRC32_XP32, CRC32_X2N, 17, 55, 19, 44, 0, false, 0);
  } else {
    return chorbaScalar(crc, ptr, len, CRC32_T16, 17, 55, 19, 44, 0, 0);
  }
}

export function ck_crc32c(crc: u32, ptr: usize, len: usize): u32 {
  if (len < SMALL) return ~tableCrc(~crc, ptr, len, CRC32C_T16);
  if (ASC_FEATURE_SIMD && len >= HYBRID32C) {
    return chorbaHybrid(crc, ptr, len, CRC32C_T16, CRC32C_XP32, CRC32C_X2N, 29, 37, 45, 22, 43, true, <u64>-1);
  } else {
    return chorbaScalar(crc, ptr, len, CRC32C_T16, 29, 37, 45, 22, 43, <u64>-1);
  }
}

// ----------------------------------------------------------------- combine ----

// Reflected GF(2) product a*b mod P (bit 31 = x^0). Four independent chains
// walk b*x^i, b*x^(8+i), b*x^(16+i), b*x^(24+i); x^8 steps use table 0.
// @ts-ignore: decorator
@inline function mul8(b: u32, T: usize): u32 { return (b >>> 8) ^ load<u32>(T + ((b & 0xFF) << 2)); }

function mulmod(a: u32, b: u32, T: usize): u32 {
  const poly = load<u32>(T, 128 << 2); // T0[128] = P (reflected)
  let c0 = b, c1 = mul8(c0, T), c2 = mul8(c1, T), c3 = mul8(c2, T);
  let r: u32 = 0;
  for (let i = 0; i < 8; i++) {
    r ^= (c0 & (0 - ((a >>> 31) & 1))) ^ (c1 & (0 - ((a >>> 23) & 1))) ^
      (c2 & (0 - ((a >>> 15) & 1))) ^ (c3 & (0 - ((a >>> 7) & 1)));
    a <<= 1;
    c0 = (c0 >>> 1) ^ (poly & (0 - (c0 & 1)));
    c1 = (c1 >>> 1) ^ (poly & (0 - (c1 & 1)));
    c2 = (c2 >>> 1) ^ (poly & (0 - (c2 & 1)));
    c3 = (c3 >>> 1) ^ (poly & (0 - (c3 & 1)));
  }
  return r;
}

// x^(8*n) mod P from the x^(2^k) table.
function xpow8n(n: u64, X2N: usize, T: usize): u32 {
  if (n == 0) return 0x80000000; // x^0
  const z = ctz(n);
  let k = <usize>z + 3;
  let p = load<u32>(X2N + (k << 2));
  n = (n >> z) >> 1; // two shifts: z + 1 may be 64
  while (n != 0) {
    k++;
    if (n & 1) p = mulmod(load<u32>(X2N + (k << 2)), p, T);
    n >>= 1;
  }
  return p;
}

// x^(256*m) mod P (shift across 32*m bytes) from the byte-indexed XP tables.
function shift32(m: usize, XP: usize, X2N: usize, T: usize): u32 {
  if (m >= 1 << 24) return xpow8n(<u64>m << 5, X2N, T);
  let k = load<u32>(XP + ((m & 0xFF) << 2));
  if (m > 0xFF) {
    k = mulmod(k, load<u32>(XP + (((m >> 8) & 0xFF) << 2), 256 << 2), T);
    if (m > 0xFFFF) k = mulmod(k, load<u32>(XP + ((m >> 16) << 2), 512 << 2), T);
  }
  return k;
}

// crc(A||B) from crc(A), crc(B), len(B), exactly like zlib's crc32_combine.
export function ck_crc32_combine(crc1: u32, crc2: u32, len2: u64): u32 {
  return mulmod(crc1, xpow8n(len2, CRC32_X2N, CRC32_T16), CRC32_T16) ^ crc2;
}

export function ck_crc32c_combine(crc1: u32, crc2: u32, len2: u64): u32 {
  return mulmod(crc1, xpow8n(len2, CRC32C_X2N, CRC32C_T16), CRC32C_T16) ^ crc2;
}
