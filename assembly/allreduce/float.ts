// float32 / float64 element-wise kernels: inout[i] = input[i] OP inout[i], in place.
// `a` is always the input (received) operand and `b` the inout (local) one.
//
// Every (op, policy) pair gets its own loop: a generic instantiation per marker type pair
// (common.ts), in which op and pol are constants and the per-vector branches fold away.
import { OP_SUM, OP_PROD, OP_MIN, OP_MAX, OP_AVG, POL_OMPI, POL_IGNORE_NAN, Sum, Prod, Min, Max, Avg, Ieee, Ompi, IgnoreNan, opCode, polCode } from './common';

// @ts-ignore: decorator
@inline function f32v(op: i32, pol: i32, a: v128, b: v128, d: v128): v128 {
  if (op == OP_SUM) return f32x4.add(a, b);
  if (op == OP_PROD) return f32x4.mul(a, b);
  if (op == OP_AVG) return f32x4.div(f32x4.add(a, b), d);
  if (pol == POL_OMPI) return v128.bitselect(b, a, op == OP_MAX ? f32x4.gt(b, a) : f32x4.lt(b, a));
  let m = op == OP_MAX ? f32x4.max(a, b) : f32x4.min(a, b);
  if (pol == POL_IGNORE_NAN) {
    m = v128.bitselect(a, m, f32x4.ne(b, b)); // inout NaN -> input
    m = v128.bitselect(b, m, f32x4.ne(a, a)); // input NaN -> inout (both NaN: inout)
  }
  return m;
}

// @ts-ignore: decorator
@inline function f32s(op: i32, pol: i32, a: f32, b: f32, d: f32): f32 {
  if (op == OP_SUM) return a + b;
  if (op == OP_PROD) return a * b;
  if (op == OP_AVG) return (a + b) / d;
  if (pol == POL_OMPI) return select<f32>(b, a, op == OP_MAX ? b > a : b < a);
  if (pol == POL_IGNORE_NAN) {
    if (a != a) return b;
    if (b != b) return a;
  }
  return op == OP_MAX ? max<f32>(a, b) : min<f32>(a, b);
}

function loopF32<O, P>(dst: usize, src: usize, n: usize, div: f32): void {
  const op = opCode<O>();
  const pol = polCode<P>();
  let i: usize = 0;
  let bytes = n << 2;
  if (ASC_FEATURE_SIMD) {
    let d = f32x4.splat(div);
    let end = bytes & ~<usize>31;
    for (; i < end; i += 32) {
      let r0 = f32v(op, pol, v128.load(src + i), v128.load(dst + i), d);
      let r1 = f32v(op, pol, v128.load(src + i, 16), v128.load(dst + i, 16), d);
      v128.store(dst + i, r0);
      v128.store(dst + i, r1, 16);
    }
  }
  for (; i < bytes; i += 4) store<f32>(dst + i, f32s(op, pol, load<f32>(src + i), load<f32>(dst + i), div));
}

/** float32: dst[i] = src[i] OP dst[i] for i < n (element count). */
export function reduceF32(op: i32, pol: i32, dst: usize, src: usize, n: usize, div: f32): void {
  if (op == OP_SUM) loopF32<Sum, Ieee>(dst, src, n, div);
  else if (op == OP_PROD) loopF32<Prod, Ieee>(dst, src, n, div);
  else if (op == OP_AVG) loopF32<Avg, Ieee>(dst, src, n, div);
  else if (op == OP_MIN) {
    if (pol == POL_OMPI) loopF32<Min, Ompi>(dst, src, n, div);
    else if (pol == POL_IGNORE_NAN) loopF32<Min, IgnoreNan>(dst, src, n, div);
    else loopF32<Min, Ieee>(dst, src, n, div);
  } else {
    if (pol == POL_OMPI) loopF32<Max, Ompi>(dst, src, n, div);
    else if (pol == POL_IGNORE_NAN) loopF32<Max, IgnoreNan>(dst, src, n, div);
    else loopF32<Max, Ieee>(dst, src, n, div);
  }
}

// @ts-ignore: decorator
@inline function f64v(op: i32, pol: i32, a: v128, b: v128, d: v128): v128 {
  if (op == OP_SUM) return f64x2.add(a, b);
  if (op == OP_PROD) return f64x2.mul(a, b);
  if (op == OP_AVG) return f64x2.div(f64x2.add(a, b), d);
  if (pol == POL_OMPI) return v128.bitselect(b, a, op == OP_MAX ? f64x2.gt(b, a) : f64x2.lt(b, a));
  let m = op == OP_MAX ? f64x2.max(a, b) : f64x2.min(a, b);
  if (pol == POL_IGNORE_NAN) {
    m = v128.bitselect(a, m, f64x2.ne(b, b));
    m = v128.bitselect(b, m, f64x2.ne(a, a));
  }
  return m;
}

// @ts-ignore: decorator
@inline function f64s(op: i32, pol: i32, a: f64, b: f64, d: f64): f64 {
  if (op == OP_SUM) return a + b;
  if (op == OP_PROD) return a * b;
  if (op == OP_AVG) return (a + b) / d;
  if (pol == POL_OMPI) return select<f64>(b, a, op == OP_MAX ? b > a : b < a);
  if (pol == POL_IGNORE_NAN) {
    if (a != a) return b;
    if (b != b) return a;
  }
  return op == OP_MAX ? max<f64>(a, b) : min<f64>(a, b);
}

function loopF64<O, P>(dst: usize, src: usize, n: usize, div: f64): void {
  const op = opCode<O>();
  const pol = polCode<P>();
  let i: usize = 0;
  let bytes = n << 3;
  if (ASC_FEATURE_SIMD) {
    let d = f64x2.splat(div);
    let end = bytes & ~<usize>31;
    for (; i < end; i += 32) {
      let r0 = f64v(op, pol, v128.load(src + i), v128.load(dst + i), d);
      let r1 = f64v(op, pol, v128.load(src + i, 16), v128.load(dst + i, 16), d);
      v128.store(dst + i, r0);
      v128.store(dst + i, r1, 16);
    }
  }
  for (; i < bytes; i += 8) store<f64>(dst + i, f64s(op, pol, load<f64>(src + i), load<f64>(dst + i), div));
}

/** float64: dst[i] = src[i] OP dst[i] for i < n. */
export function reduceF64(op: i32, pol: i32, dst: usize, src: usize, n: usize, div: f64): void {
  if (op == OP_SUM) loopF64<Sum, Ieee>(dst, src, n, div);
  else if (op == OP_PROD) loopF64<Prod, Ieee>(dst, src, n, div);
  else if (op == OP_AVG) loopF64<Avg, Ieee>(dst, src, n, div);
  else if (op == OP_MIN) {
    if (pol == POL_OMPI) loopF64<Min, Ompi>(dst, src, n, div);
    else if (pol == POL_IGNORE_NAN) loopF64<Min, IgnoreNan>(dst, src, n, div);
    else loopF64<Min, Ieee>(dst, src, n, div);
  } else {
    if (pol == POL_OMPI) loopF64<Max, Ompi>(dst, src, n, div);
    else if (pol == POL_IGNORE_NAN) loopF64<Max, IgnoreNan>(dst, src, n, div);
    else loopF64<Max, Ieee>(dst, src, n, div);
  }
}
