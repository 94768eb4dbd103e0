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
