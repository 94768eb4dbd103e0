// AllReduce reduction kernels (facade: src/allreduce/kernels.ts). In place, over linear memory:
//   ar_reduce(dtype, op, pol, dst, src, n, div): dst[i] = src[i] OP dst[i], i < n elements
//   (avg: (src[i] + dst[i]) / div). Codes in ./common.ts. Buffers identical or disjoint.
//   ar_half_to_f32 / ar_f32_to_half(bf, dst, src, n): 16-bit float <-> f32 arrays.
import { DT_F32, DT_F64, DT_I32, DT_U32, DT_I64, DT_F16, DT_BF16, OP_AVG } from './common';
import { reduceF32, reduceF64 } from './float';
import { reduceI32, reduceI64 } from './int';
import { reduceF16, reduceBF16, widenHalf, narrowHalf } from './half';

/** Returns 0, or -1 for an unknown dtype/op pair (the facade validates first). */
export function ar_reduce(dtype: i32, op: i32, pol: i32, dst: usize, src: usize, n: usize, div: f64): i32 {
  if (op < 0 || op > 4) return -1;
  if (dtype == DT_F32) reduceF32(op, pol, dst, src, n, <f32>div);
  else if (dtype == DT_F64) reduceF64(op, pol, dst, src, n, div);
  else if (dtype == DT_F16) reduceF16(op, pol, dst, src, n, <f32>div);
  else if (dtype == DT_BF16) reduceBF16(op, pol, dst, src, n, <f32>div);
  else if (op == OP_AVG) return -1;
  else if (dtype == DT_I32) reduceI32(op, false, dst, src, n);
  else if (dtype == DT_U32) reduceI32(op, true, dst, src, n);
  else if (dtype == DT_I64) reduceI64(op, dst, src, n);
  else return -1;
  return 0;
}

/** n 16-bit floats (bfloat16 if bf) at src -> n f32 at dst, exact. */
export function ar_half_to_f32(bf: bool, dst: usize, src: usize, n: usize): void {
  widenHalf(bf, dst, src, n);
}

/** n f32 at src -> n 16-bit floats at dst, round to nearest even, NaN -> canonical quiet NaN. */
export function ar_f32_to_half(bf: bool, dst: usize, src: usize, n: usize): void {
  narrowHalf(bf, dst, src, n);
}

