// Codes shared by the allreduce kernels and their facade (src/allreduce/kernels.ts).
// Not re-exported from assembly/index.ts: the facade passes these numbers to ar_reduce.

/** Element types (storage): f32, f64, i32, u32, i64, IEEE binary16, bfloat16. */
export const DT_F32: i32 = 0;
export const DT_F64: i32 = 1;
export const DT_I32: i32 = 2;
export const DT_U32: i32 = 3;
export const DT_I64: i32 = 4;
export const DT_F16: i32 = 5;
export const DT_BF16: i32 = 6;

/** Operations: inout = input OP inout; AVG = (input + inout) / divisor. */
export const OP_SUM: i32 = 0;
export const OP_PROD: i32 = 1;
export const OP_MIN: i32 = 2;
export const OP_MAX: i32 = 3;
export const OP_AVG: i32 = 4;

/** Float MIN/MAX policies: IEEE 754-2019 minimum/maximum, Open MPI's C ternary, C fmin/fmax. */
export const POL_IEEE: i32 = 0;
export const POL_OMPI: i32 = 1;
export const POL_IGNORE_NAN: i32 = 2;

// Marker types: each kernel loop is a generic function instantiated once per (op, policy),
// so the op is a compile-time constant inside it. (Passing constant numbers to @inline loops
// does not survive Binaryen: it folds the identical inlined loops back into one loop that
// branches on the op for every vector.)
export class Sum {}
export class Prod {}
export class Min {}
export class Max {}
export class Avg {}
export class Ieee {}
export class Ompi {}
export class IgnoreNan {}

/** OP_* code of a marker type (a constant after optimisation). */
// @ts-ignore: decorator
@inline export function opCode<O>(): i32 {
  if (idof<O>() == idof<Sum>()) return OP_SUM;
  if (idof<O>() == idof<Prod>()) return OP_PROD;
  if (idof<O>() == idof<Min>()) return OP_MIN;
  if (idof<O>() == idof<Max>()) return OP_MAX;
  return OP_AVG;
}

/** POL_* code of a marker type. */
// @ts-ignore: decorator
@inline export function polCode<P>(): i32 {
  if (idof<P>() == idof<Ompi>()) return POL_OMPI;
  if (idof<P>() == idof<IgnoreNan>()) return POL_IGNORE_NAN;
  return POL_IEEE;
}
