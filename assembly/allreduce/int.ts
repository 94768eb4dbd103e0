// Integer kernels: int32, uint32 (i32x4) and int64 (i64x2), inout[i] = input[i] OP inout[i].
// SUM/PROD wrap around (two's complement, as C unsigned arithmetic); MIN/MAX are exact.
// No avg (the facade rejects it for integers). `a` = input, `b` = inout.
import { OP_SUM, OP_PROD, OP_MAX, Sum, Prod, Min, Max, opCode } from './common';

/** Signedness markers for the 32-bit loops. */
class Signed {}
class Unsigned {}

// @ts-ignore: decorator
@inline function i32v(op: i32, uns: bool, a: v128, b: v128): v128 {
  if (op == OP_SUM) return i32x4.add(a, b);
  if (op == OP_PROD) return i32x4.mul(a, b);
  if (op == OP_MAX) return uns ? i32x4.max_u(a, b) : i32x4.max_s(a, b);
  return uns ? i32x4.min_u(a, b) : i32x4.min_s(a, b);
}

// @ts-ignore: decorator
@inline function i32s(op: i32, uns: bool, a: i32, b: i32): i32 {
  if (op == OP_SUM) return a + b;
  if (op == OP_PROD) return a * b;
  if (op == OP_MAX) return uns ? select<i32>(a, b, <u32>a > <u32>b) : max<i32>(a, b);
  return uns ? select<i32>(a, b, <u32>a < <u32>b) : min<i32>(a, b);
}

function loopI32<O, U>(dst: usize, src: usize, n: usize): void {
  const op = opCode<O>();
  const uns = idof<U>() == idof<Unsigned>();
  let i: usize = 0;
  let bytes = n << 2;
  if (ASC_FEATURE_SIMD) {
    let end = bytes & ~<usize>31;
    for (; i < end; i += 32) {
      let r0 = i32v(op, uns, v128.load(src + i), v128.load(dst + i));
      let r1 = i32v(op, uns, v128.load(src + i, 16), v128.load(dst + i, 16));
      v128.store(dst + i, r0);
      v128.store(dst + i, r1, 16);
    }
  }
  for (; i < bytes; i += 4) store<i32>(dst + i, i32s(op, uns, load<i32>(src + i), load<i32>(dst + i)));
}

/** int32 (uns = false) or uint32 (uns = true): dst[i] = src[i] OP dst[i]. */
export function reduceI32(op: i32, uns: bool, dst: usize, src: usize, n: usize): void {
  if (op == OP_SUM) loopI32<Sum, Signed>(dst, src, n);
  else if (op == OP_PROD) loopI32<Prod, Signed>(dst, src, n);
  else if (op == OP_MAX) {
    if (uns) loopI32<Max, Unsigned>(dst, src, n);
    else loopI32<Max, Signed>(dst, src, n);
  } else {
    if (uns) loopI32<Min, Unsigned>(dst, src, n);
    else loopI32<Min, Signed>(dst, src, n);
  }
}

// @ts-ignore: decorator
@inline function i64v(op: i32, a: v128, b: v128): v128 {
  if (op == OP_SUM) return i64x2.add(a, b);
  if (op == OP_PROD) return i64x2.mul(a, b);
  // No i64x2.min/max in Wasm SIMD: select on a signed compare.
  if (op == OP_MAX) return v128.bitselect(a, b, i64x2.gt_s(a, b));
  return v128.bitselect(a, b, i64x2.lt_s(a, b));
}

// @ts-ignore: decorator
@inline function i64s(op: i32, a: i64, b: i64): i64 {
  if (op == OP_SUM) return a + b;
  if (op == OP_PROD) return a * b;
  if (op == OP_MAX) return max<i64>(a, b);
  return min<i64>(a, b);
}

function loopI64<O>(dst: usize, src: usize, n: usize): void {
  const op = opCode<O>();
  let i: usize = 0;
  let bytes = n << 3;
  if (ASC_FEATURE_SIMD) {
    let end = bytes & ~<usize>31;
    for (; i < end; i += 32) {
      let r0 = i64v(op, v128.load(src + i), v128.load(dst + i));
      let r1 = i64v(op, v128.load(src + i, 16), v128.load(dst + i, 16));
      v128.store(dst + i, r0);
      v128.store(dst + i, r1, 16);
    }
  }
  for (; i < bytes; i += 8) store<i64>(dst + i, i64s(op, load<i64>(src + i), load<i64>(dst + i)));
}

/** int64: dst[i] = src[i] OP dst[i]. */
export function reduceI64(op: i32, dst: usize, src: usize, n: usize): void {
  if (op == OP_SUM) loopI64<Sum>(dst, src, n);
  else if (op == OP_PROD) loopI64<Prod>(dst, src, n);
  else if (op == OP_MAX) loopI64<Max>(dst, src, n);
  else loopI64<Min>(dst, src, n);
}
