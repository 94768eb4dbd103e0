/**
 * Element-wise reduction kernel: the reference (plain JS) implementation, and the argument
 * validation shared with the Wasm facade (kernels.ts, `reduce` / `reduceInto`).
 *
 * `reduceIntoReference(op, inout, input)` computes, for every element i,
 *
 *     inout[i] = input[i] OP inout[i]
 *
 * which is MPI's `ompi_op_reduce(op, source = input, target = inout, count, dtype)`:
 * the *source* (the partial result received from earlier ranks) is the left operand
 * in MPI's definition and the *target* (the local buffer) is overwritten. Open MPI's
 * C kernels (ompi/mca/op/base/op_base_functions.c) evaluate this as
 * `*out = *out + *in` (SUM/PROD) and `*out = current_func(*out, *in)` with
 * `current_func(a, b) = (a > b ? a : b)` (MAX) / `(a < b ? a : b)` (MIN).
 *
 * Arithmetic (exact, one rounding per operation, round to nearest even):
 * - float32: the double-precision sum/product of two binary32 values is rounded once
 *   to binary32 on store (Float32Array store = Math.fround). For + and * this equals a
 *   single binary32 rounding: a binary32 product is exact in binary64 (24+24 <= 53
 *   bits) and binary64 carries >= 2p+2 bits for the sum, so no double-rounding error.
 * - float64: JS numbers are binary64.
 * - int32 / uint32: two's-complement wrap-around (`| 0`, `>>> 0`, `Math.imul`), i.e. C
 *   unsigned arithmetic; order-independent. int64 (BigInt64Array): `BigInt.asIntN(64, .)`.
 * - float16 / bfloat16 (Uint16Array storage, `{ dtype }` option): decode both operands
 *   exactly, compute in binary64 (exact for + and * of two 16-bit floats), round once to
 *   the format (ties to even, half.ts). Every NaN result is the canonical quiet NaN
 *   (0x7e00 / 0x7fc0), also for MIN/MAX, so 16-bit results never depend on NaN payloads.
 * - avg: `inout = (input + inout) / ranks`: the sum rounded once to the dtype, then the
 *   quotient rounded once (division, not multiplication by 1/ranks). This is the LAST
 *   reduction step of an average (earlier steps use 'sum'); NCCL applies its ncclAvg
 *   divide the same way for integers (SumPostDiv), but for floats pre-multiplies every
 *   input by 1/nRanks (PreMulSum), which rounds N times: our avg equals NCCL's bits only
 *   when N is a power of two (exact scaling) and nothing underflows. avg needs a float
 *   dtype: an integer average would silently wrap in the sum and truncate.
 *
 * MIN/MAX policy for floats (`minMax` option):
 * - `'ieee754'` (default): IEEE 754-2019 minimum/maximum, as WebAssembly f32.min/max and
 *   JS Math.min/max: NaN if either operand is NaN, -0 < +0. Commutative.
 * - `'ompi'`: Open MPI's op/base C expression `inout > input ? inout : input` (MAX),
 *   `inout < input ? inout : input` (MIN): any comparison with NaN, and equal values
 *   (+0 vs -0), yield `input`. Not commutative. Note Open MPI's op/avx component (built on
 *   x86-64 Debian) computes the vector body as `_mm256_max_ps(in, out)` (NaN/ties yield
 *   `out`) and only the scalar tail with the C expression, so no single kernel matches
 *   Open MPI's NaN/±0 behaviour for min/max; NaN-free, zero-sign-free data agrees.
 * - `'ignore-nan'`: C fminf/fmaxf as NCCL uses: a NaN operand is ignored unless both are
 *   NaN; -0 < +0.
 *
 * NaN payloads: NaN-ness is preserved; JS engines do not guarantee the payload bits of
 * a NaN produced by arithmetic, and neither does compiled C (the compiler may commute
 * `+`), so payloads are out of scope.
 *
 * The Wasm kernels (assembly/allreduce) must produce identical bits, NaNs of float32 /
 * float64 results excepted (payload and sign unspecified, see above).
 */
import { InvalidArgumentError } from '../runtime/errors.js';
import { bfloat16ToNumber, float16ToNumber, numberToBfloat16, numberToFloat16 } from './half.js';

/** Reduction operations supported by the kernel. */
export type ReduceOp = 'sum' | 'prod' | 'min' | 'max' | 'avg';
/** Element storage: the typed array decides the dtype; Uint16Array needs `{ dtype }`. */
export type ReducibleArray = Float32Array | Float64Array | Int32Array | Uint32Array | BigInt64Array | Uint16Array;
/** Float MIN/MAX semantics; see the module comment. */
export type MinMaxPolicy = 'ieee754' | 'ompi' | 'ignore-nan';
/** dtype names used in errors and options. */
export type DType = 'float32' | 'float64' | 'int32' | 'uint32' | 'int64' | 'float16' | 'bfloat16';
/** 16-bit float formats stored in a Uint16Array. */
export type HalfDType = 'float16' | 'bfloat16';

export interface ReduceOptions {
  /** Float MIN/MAX semantics (default 'ieee754'). Ignored for integers and other ops. */
  minMax?: MinMaxPolicy;
  /** Required for Uint16Array storage: 'float16' (IEEE binary16) or 'bfloat16'. */
  dtype?: HalfDType;
  /** avg only (required): the divisor, an integer in [1, 2^24]. */
  ranks?: number;
}

export const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'prod', 'min', 'max', 'avg'];
const POLICIES: readonly MinMaxPolicy[] = ['ieee754', 'ompi', 'ignore-nan'];

/** Throws InvalidArgumentError (field `op`) unless `op` is a supported ReduceOp. */
export function assertReduceOp(op: unknown, field = 'op'): asserts op is ReduceOp {
  if (typeof op !== 'string' || !(REDUCE_OPS as readonly string[]).includes(op)) {
    throw new InvalidArgumentError(`${field} must be one of ${REDUCE_OPS.join(', ')}, got ${String(op)}`, { field });
  }
}

/** dtype of a typed array (Uint16Array: `half`, if given), or undefined. */
export function dtypeOf(a: unknown, half?: HalfDType): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Uint16Array) return half;
  return undefined;
}

function describe(a: unknown): string {
  return a === null ? 'null' : typeof a === 'object' ? ((a as object).constructor?.name ?? 'object') : typeof a;
}

/** Throws InvalidArgumentError naming `field` unless `a` is a supported typed array. */
export function assertReducible(a: unknown, field: string, half?: HalfDType): asserts a is ReducibleArray {
  if (dtypeOf(a, half) === undefined) {
    const hint = a instanceof Uint16Array ? ' (Uint16Array needs { dtype: "float16" | "bfloat16" })' : '';
    throw new InvalidArgumentError(
      `${field} must be a Float32Array, Float64Array, Int32Array, Uint32Array, BigInt64Array or Uint16Array${hint}, got ${describe(a)}`,
      { field },
    );
  }
}

/** Validated arguments of one reduction. */
export interface ReduceCall {
  dtype: DType;
  policy: MinMaxPolicy;
  /** avg divisor (1 for other ops). */
  ranks: number;
}

/**
 * Validates every argument of a reduction without touching any element; shared by the
 * reference and the Wasm facade so both reject exactly the same calls.
 * @throws InvalidArgumentError with `field` = 'op' | 'inout' | 'input' | 'dtype' | 'minMax' | 'ranks'
 */
export function checkReduce(op: unknown, inout: unknown, input: unknown, opts: ReduceOptions | undefined): ReduceCall {
  assertReduceOp(op);
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) {
    throw new InvalidArgumentError(`options must be an object, got ${describe(opts)}`, { field: 'options' });
  }
  const half = opts?.dtype;
  if (half !== undefined && half !== 'float16' && half !== 'bfloat16') {
    throw new InvalidArgumentError(`dtype must be 'float16' or 'bfloat16', got ${String(half)}`, { field: 'dtype' });
  }
  if (half !== undefined && !(inout instanceof Uint16Array)) {
    throw new InvalidArgumentError(`dtype '${half}' needs Uint16Array storage, inout is ${describe(inout)}`, { field: 'dtype' });
  }
  assertReducible(inout, 'inout', half);
  assertReducible(input, 'input', half);
  const dtype = dtypeOf(inout, half)!;
  if (input.constructor !== inout.constructor) {
    throw new InvalidArgumentError(`input must have the same dtype as inout (${dtype}), got ${describe(input)}`, { field: 'input' });
  }
  if (input.length !== inout.length) {
    throw new InvalidArgumentError(`input length ${input.length} differs from inout length ${inout.length}`, { field: 'input' });
  }
  if (input.buffer === inout.buffer && input.byteOffset !== inout.byteOffset) {
    const a = inout.byteOffset;
    const b = input.byteOffset;
    if (a < b + input.byteLength && b < a + inout.byteLength) {
      throw new InvalidArgumentError('input partially overlaps inout (identical or disjoint buffers only)', { field: 'input' });
    }
  }
  const policy = opts?.minMax ?? 'ieee754';
  if (!(POLICIES as readonly string[]).includes(policy)) {
    throw new InvalidArgumentError(`minMax must be one of ${POLICIES.join(', ')}, got ${String(policy)}`, { field: 'minMax' });
  }
  let ranks = 1;
  if (op === 'avg') {
    if (dtype === 'int32' || dtype === 'uint32' || dtype === 'int64') {
      throw new InvalidArgumentError(`avg needs a float dtype, got ${dtype} (an integer average would wrap and truncate)`, { field: 'inout' });
    }
    const r = opts?.ranks;
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > 2 ** 24) {
      throw new InvalidArgumentError(`avg needs ranks, an integer in [1, 2^24], got ${String(r)}`, { field: 'ranks' });
    }
    ranks = r;
  }
  return { dtype, policy, ranks };
}

/** fmax: ignore a single NaN; -0 < +0. */
function fmax(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return Math.max(a, b);
}
function fmin(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return Math.min(a, b);
}

/** `(x, y) -> x OP y` on numbers for a float op/policy; x = input, y = inout. */
function floatOp(op: ReduceOp, policy: MinMaxPolicy, ranks: number, round: (v: number) => number): (x: number, y: number) => number {
  switch (op) {
    case 'sum':
      return (x, y) => x + y;
    case 'prod':
      return (x, y) => x * y;
    case 'avg':
      return (x, y) => round(x + y) / ranks;
    default: {
      const isMax = op === 'max';
      if (policy === 'ompi') return isMax ? (x, y) => (y > x ? y : x) : (x, y) => (y < x ? y : x);
      if (policy === 'ignore-nan') return isMax ? fmax : fmin;
      return isMax ? Math.max : Math.min;
    }
  }
}

/**
 * In place: `inout[i] = input[i] OP inout[i]` for i in [0, inout.length), in plain JS.
 * The executable definition of the semantics above (the Wasm kernels are tested against it).
 *
 * @param op    'sum' | 'prod' | 'min' | 'max' | 'avg'
 * @param inout target buffer (the local data), length n, overwritten
 * @param input source buffer (the received data), same type and length n
 * @param opts  `{ minMax, dtype, ranks }` (see ReduceOptions)
 * @throws InvalidArgumentError (`op`, `inout`, `input`, `dtype`, `minMax`, `ranks`) before touching any element
 */
export function reduceIntoReference(op: ReduceOp, inout: ReducibleArray, input: ReducibleArray, opts: ReduceOptions = {}): void {
  const { dtype, policy, ranks } = checkReduce(op, inout, input, opts);
  reduceReferenceUnchecked(op, dtype, policy, ranks, inout, input);
}

/** The reference loop without validation (the facade's small-array path). */
export function reduceReferenceUnchecked(op: ReduceOp, dtype: DType, policy: MinMaxPolicy, ranks: number, inout: ReducibleArray, input: ReducibleArray): void {
  const n = inout.length;
  if (dtype === 'int64') {
    const a = inout as BigInt64Array;
    const b = input as BigInt64Array;
    const W = 64;
    if (op === 'sum') for (let i = 0; i < n; i++) a[i] = BigInt.asIntN(W, b[i]! + a[i]!);
    else if (op === 'prod') for (let i = 0; i < n; i++) a[i] = BigInt.asIntN(W, b[i]! * a[i]!);
    else if (op === 'max') for (let i = 0; i < n; i++) a[i] = a[i]! > b[i]! ? a[i]! : b[i]!;
    else for (let i = 0; i < n; i++) a[i] = a[i]! < b[i]! ? a[i]! : b[i]!;
    return;
  }
  const a = inout as unknown as { [i: number]: number };
  const b = input as unknown as { [i: number]: number };
  if (dtype === 'int32' || dtype === 'uint32') {
    const wrap = dtype === 'int32' ? (v: number) => v | 0 : (v: number) => v >>> 0;
    if (op === 'sum') for (let i = 0; i < n; i++) a[i] = wrap(b[i]! + a[i]!);
    else if (op === 'prod') for (let i = 0; i < n; i++) a[i] = wrap(Math.imul(b[i]!, a[i]!));
    else if (op === 'max') for (let i = 0; i < n; i++) a[i] = a[i]! > b[i]! ? a[i]! : b[i]!;
    else for (let i = 0; i < n; i++) a[i] = a[i]! < b[i]! ? a[i]! : b[i]!;
    return;
  }
  if (dtype === 'float16' || dtype === 'bfloat16') {
    const dec = dtype === 'float16' ? float16ToNumber : bfloat16ToNumber;
    const enc = dtype === 'float16' ? numberToFloat16 : numberToBfloat16;
    const round = (v: number) => dec(enc(v));
    const f = floatOp(op, policy, ranks, round);
    for (let i = 0; i < n; i++) a[i] = enc(f(dec(b[i]!), dec(a[i]!)));
    return;
  }
  // float32: the binary64 result of + * / on two binary32 values is rounded once by the
  // Float32Array store (53 >= 2*24+2: no double-rounding error); float64 is native.
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const f = floatOp(op, policy, ranks, round);
  if (op === 'sum') for (let i = 0; i < n; i++) a[i] = b[i]! + a[i]!;
  else for (let i = 0; i < n; i++) a[i] = f(b[i]!, a[i]!);
}
