// float16 (IEEE binary16) and bfloat16 kernels and conversions. Storage is 16 bits; every
// operation widens both operands to f32 exactly, computes ONE f32 operation, and narrows
// with round-to-nearest-even. That single f32 rounding followed by the narrowing equals
// one rounding to the 16-bit format: f32 has 24 >= 2p+2 significand bits (p = 11, 8) for
// + and / (Figueroa), and products of two 16-bit floats are exact in f32.
// Every NaN result narrows to the canonical quiet NaN (0x7e00 / 0x7fc0), independent of
// the engine's NaN payload choices. Conversions: F. Giesen's branch-free half<->float
// (RNE variant), written with selects so the same code runs on i32 and i32x4 lanes.
import { OP_SUM, OP_PROD, OP_MAX, OP_AVG, POL_OMPI, POL_IGNORE_NAN, Sum, Prod, Min, Max, Avg, Ieee, Ompi, IgnoreNan, opCode, polCode } from './common';

/** Format markers: IEEE binary16, bfloat16. */
class F16 {}
class BF16 {}

const F16_NAN: i32 = 0x7e00;
const BF16_NAN: i32 = 0x7fc0;

// ---- lane constants ---------------------------------------------------------------------
// Loaded from a static table, not written as literals: V8 materialises every non-trivial
// v128.const with ~4 instructions and the f16 loop needs ~60 per 8 elements (measured 4x
// slower); a v128.load is one instruction and Binaryen cannot fold it back into a constant.
const KTAB = memory.data<i32>([
  <i32>0x7fff, <i32>0x7fff, <i32>0x7fff, <i32>0x7fff,
  <i32>0x0f800000, <i32>0x0f800000, <i32>0x0f800000, <i32>0x0f800000,
  <i32>0x38000000, <i32>0x38000000, <i32>0x38000000, <i32>0x38000000,
  <i32>0x00800000, <i32>0x00800000, <i32>0x00800000, <i32>0x00800000,
  <i32>0x38800000, <i32>0x38800000, <i32>0x38800000, <i32>0x38800000,
  <i32>0x8000, <i32>0x8000, <i32>0x8000, <i32>0x8000,
  <i32>0x7fffffff, <i32>0x7fffffff, <i32>0x7fffffff, <i32>0x7fffffff,
  <i32>0x7f800000, <i32>0x7f800000, <i32>0x7f800000, <i32>0x7f800000,
  <i32>0x3f000000, <i32>0x3f000000, <i32>0x3f000000, <i32>0x3f000000,
  <i32>1, <i32>1, <i32>1, <i32>1,
  <i32>0xc8000fff, <i32>0xc8000fff, <i32>0xc8000fff, <i32>0xc8000fff,
  <i32>0x7c00, <i32>0x7c00, <i32>0x7c00, <i32>0x7c00,
  <i32>0x47800000, <i32>0x47800000, <i32>0x47800000, <i32>0x47800000,
  <i32>0x7e00, <i32>0x7e00, <i32>0x7e00, <i32>0x7e00,
  <i32>0x7fc0, <i32>0x7fc0, <i32>0x7fc0, <i32>0x7fc0,
], 16);
const K_7FFF: usize = 0;
const K_EXP16: usize = 16;
const K_REBIAS: usize = 32;
const K_MIN32: usize = 48;
const K_2M14: usize = 64;
const K_8000: usize = 80;
const K_ABS: usize = 96;
const K_INF32: usize = 112;
const K_HALF: usize = 128;
const K_ONE: usize = 144;
const K_RND: usize = 160;
const K_INF16: usize = 176;
const K_MAX16: usize = 192;
const K_NAN16: usize = 208;
const K_NANBF: usize = 224;

// @ts-ignore: decorator
@inline function K(off: usize): v128 {
  return v128.load(KTAB + off);
}

// ---- binary16 <-> f32, one lane -------------------------------------------------------

/** f32 bits of a binary16 value (exact; NaN payload bits kept). */
// @ts-ignore: decorator
@inline export function f16ToF32Bits(h: i32): i32 {
  let o = (h & 0x7fff) << 13;
  let e = o & 0x0f800000;
  o += 0x38000000; // rebias (127 - 15) << 23
  if (e == 0x0f800000) o += 0x38000000; // Inf/NaN: exponent to 255
  else if (e == 0) o = reinterpret<i32>(reinterpret<f32>(o + 0x00800000) - reinterpret<f32>(0x38800000)); // subnormal: renormalise
  return o | ((h & 0x8000) << 16);
}

/** binary16 bits nearest to the f32 with bits `u` (ties to even); NaN -> 0x7e00. */
// @ts-ignore: decorator
@inline export function f32BitsToF16(u: i32): i32 {
  let a = u & 0x7fffffff;
  if (a > 0x7f800000) return F16_NAN;
  let r: i32;
  if (a >= 0x47800000) r = 0x7c00; // >= 2^16: Inf (65520..65536 round up below)
  else if (a < 0x38800000) r = reinterpret<i32>(reinterpret<f32>(a) + 0.5) - 0x3f000000; // subnormal: the f32 add rounds
  else r = (a + <i32>0xc8000fff + ((a >>> 13) & 1)) >>> 13; // rebias + RNE bias; carry may give Inf
  return r | ((u >>> 16) & 0x8000);
}

// ---- the same on i32x4 lanes ----------------------------------------------------------

// @ts-ignore: decorator
@inline function f16ToF32x4(h: v128): v128 {
  let o = i32x4.shl(v128.and(h, K(K_7FFF)), 13);
  let e = v128.and(o, K(K_EXP16));
  o = i32x4.add(o, K(K_REBIAS));
  o = i32x4.add(o, v128.and(i32x4.eq(e, K(K_EXP16)), K(K_REBIAS)));
  let sub = f32x4.sub(i32x4.add(o, K(K_MIN32)), K(K_2M14));
  o = v128.bitselect(sub, o, i32x4.eq(e, i32x4.splat(0)));
  return v128.or(o, i32x4.shl(v128.and(h, K(K_8000)), 16));
}

// @ts-ignore: decorator
@inline function f32x4ToF16(u: v128): v128 {
  let a = v128.and(u, K(K_ABS));
  let nan = i32x4.gt_s(a, K(K_INF32));
  let sub = i32x4.sub(f32x4.add(a, K(K_HALF)), K(K_HALF));
  let odd = v128.and(i32x4.shr_u(a, 13), K(K_ONE));
  let nrm = i32x4.shr_u(i32x4.add(i32x4.add(a, K(K_RND)), odd), 13);
  let r = v128.bitselect(sub, nrm, i32x4.lt_s(a, K(K_2M14)));
  r = v128.bitselect(K(K_INF16), r, i32x4.ge_s(a, K(K_MAX16)));
  r = v128.or(r, v128.and(i32x4.shr_u(u, 16), K(K_8000)));
  return v128.bitselect(K(K_NAN16), r, nan);
}

// ---- bfloat16 <-> f32 -----------------------------------------------------------------

/** bfloat16 bits nearest to the f32 with bits `u` (ties to even); NaN -> 0x7fc0. */
// @ts-ignore: decorator
@inline export function f32BitsToBf16(u: i32): i32 {
  if ((u & 0x7fffffff) > 0x7f800000) return BF16_NAN;
  return (u + 0x7fff + ((u >>> 16) & 1)) >>> 16; // carry into the exponent gives Inf
}

// @ts-ignore: decorator
@inline function f32x4ToBf16(u: v128): v128 {
  let nan = i32x4.gt_s(v128.and(u, K(K_ABS)), K(K_INF32));
  let odd = v128.and(i32x4.shr_u(u, 16), K(K_ONE));
  let r = i32x4.shr_u(i32x4.add(u, i32x4.add(odd, K(K_7FFF))), 16);
  return v128.bitselect(K(K_NANBF), r, nan);
}

// ---- one f32 operation (a = input, b = inout), as float.ts -----------------------------

// @ts-ignore: decorator
@inline function opv(op: i32, pol: i32, a: v128, b: v128, d: v128): v128 {
  if (op == OP_SUM) return f32x4.add(a, b);
  if (op == OP_PROD) return f32x4.mul(a, b);
  if (op == OP_AVG) return f32x4.div(f32x4.add(a, b), d); // caller rounds the sum first (see loops)
  if (pol == POL_OMPI) return v128.bitselect(b, a, op == OP_MAX ? f32x4.gt(b, a) : f32x4.lt(b, a));
  let m = op == OP_MAX ? f32x4.max(a, b) : f32x4.min(a, b);
  if (pol == POL_IGNORE_NAN) {
    m = v128.bitselect(a, m, f32x4.ne(b, b));
    m = v128.bitselect(b, m, f32x4.ne(a, a));
  }
  return m;
}

// @ts-ignore: decorator
@inline function ops(op: i32, pol: i32, a: f32, b: f32): f32 {
  if (op == OP_SUM || op == OP_AVG) return a + b;
  if (op == OP_PROD) return a * b;
  if (pol == POL_OMPI) return select<f32>(b, a, op == OP_MAX ? b > a : b < a);
  if (pol == POL_IGNORE_NAN) {
    if (a != a) return b;
    if (b != b) return a;
  }
  return op == OP_MAX ? max<f32>(a, b) : min<f32>(a, b);
}

// @ts-ignore: decorator
@inline function widen(bf: bool, h: v128): v128 {
  return bf ? i32x4.shl(h, 16) : f16ToF32x4(h);
}
// @ts-ignore: decorator
@inline function narrow(bf: bool, u: v128): v128 {
  return bf ? f32x4ToBf16(u) : f32x4ToF16(u);
}
// @ts-ignore: decorator
@inline function widen1(bf: bool, h: i32): f32 {
  return reinterpret<f32>(bf ? h << 16 : f16ToF32Bits(h));
}
// @ts-ignore: decorator
@inline function narrow1(bf: bool, x: f32): i32 {
  return bf ? f32BitsToBf16(reinterpret<i32>(x)) : f32BitsToF16(reinterpret<i32>(x));
}

/** Four lanes: widen, op, (avg: round the sum to 16 bits, widen, divide), narrow. */
// @ts-ignore: decorator
@inline function lanes4(bf: bool, op: i32, pol: i32, a16: v128, b16: v128, d: v128): v128 {
  let a = widen(bf, a16);
  let b = widen(bf, b16);
  if (op == OP_AVG) return narrow(bf, f32x4.div(widen(bf, narrow(bf, f32x4.add(a, b))), d));
  return narrow(bf, opv(op, pol, a, b, d));
}

function loopHalf<F, O, P>(dst: usize, src: usize, n: usize, div: f32): void {
  const bf = idof<F>() == idof<BF16>();
  const op = opCode<O>();
  const pol = polCode<P>();
  let i: usize = 0;
  let bytes = n << 1;
  if (ASC_FEATURE_SIMD) {
    let d = f32x4.splat(div);
    let end = bytes & ~<usize>15;
    for (; i < end; i += 16) {
      let a = v128.load(src + i);
      let b = v128.load(dst + i);
      let lo = lanes4(bf, op, pol, i32x4.extend_low_i16x8_u(a), i32x4.extend_low_i16x8_u(b), d);
      let hi = lanes4(bf, op, pol, i32x4.extend_high_i16x8_u(a), i32x4.extend_high_i16x8_u(b), d);
      v128.store(dst + i, i16x8.narrow_i32x4_u(lo, hi)); // lanes are <= 0xffff: exact
    }
  }
  for (; i < bytes; i += 2) {
    let a = widen1(bf, <i32>load<u16>(src + i));
    let b = widen1(bf, <i32>load<u16>(dst + i));
    let r = ops(op, pol, a, b);
    if (op == OP_AVG) r = widen1(bf, narrow1(bf, r)) / div;
    store<u16>(dst + i, <u16>narrow1(bf, r));
  }
}

// @ts-ignore: decorator
@inline function dispatch<F>(op: i32, pol: i32, dst: usize, src: usize, n: usize, div: f32): void {
  if (op == OP_SUM) loopHalf<F, Sum, Ieee>(dst, src, n, div);
  else if (op == OP_PROD) loopHalf<F, Prod, Ieee>(dst, src, n, div);
  else if (op == OP_AVG) loopHalf<F, Avg, Ieee>(dst, src, n, div);
  else if (op == OP_MAX) {
    if (pol == POL_OMPI) loopHalf<F, Max, Ompi>(dst, src, n, div);
    else if (pol == POL_IGNORE_NAN) loopHalf<F, Max, IgnoreNan>(dst, src, n, div);
    else loopHalf<F, Max, Ieee>(dst, src, n, div);
  } else {
    if (pol == POL_OMPI) loopHalf<F, Min, Ompi>(dst, src, n, div);
    else if (pol == POL_IGNORE_NAN) loopHalf<F, Min, IgnoreNan>(dst, src, n, div);
    else loopHalf<F, Min, Ieee>(dst, src, n, div);
  }
}

/** float16: dst[i] = src[i] OP dst[i] (16-bit storage). */
export function reduceF16(op: i32, pol: i32, dst: usize, src: usize, n: usize, div: f32): void {
  dispatch<F16>(op, pol, dst, src, n, div);
}
/** bfloat16: dst[i] = src[i] OP dst[i] (16-bit storage). */
export function reduceBF16(op: i32, pol: i32, dst: usize, src: usize, n: usize, div: f32): void {
  dispatch<BF16>(op, pol, dst, src, n, div);
}

/** Widens n 16-bit floats at src to f32 at dst (exact; bf = 1 for bfloat16). */
export function widenHalf(bf: bool, dst: usize, src: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      let h = v128.load(src + (i << 1));
      v128.store(dst + (i << 2), widen(bf, i32x4.extend_low_i16x8_u(h)));
      v128.store(dst + (i << 2), widen(bf, i32x4.extend_high_i16x8_u(h)), 16);
    }
  }
  for (; i < n; i++) store<f32>(dst + (i << 2), widen1(bf, <i32>load<u16>(src + (i << 1))));
}

/** Narrows n f32 at src to 16-bit floats at dst (RNE, canonical NaN). */
export function narrowHalf(bf: bool, dst: usize, src: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      let lo = narrow(bf, v128.load(src + (i << 2)));
      let hi = narrow(bf, v128.load(src + (i << 2), 16));
      v128.store(dst + (i << 1), i16x8.narrow_i32x4_u(lo, hi));
    }
  }
  for (; i < n; i++) store<u16>(dst + (i << 1), <u16>narrow1(bf, load<f32>(src + (i << 2))));
}
