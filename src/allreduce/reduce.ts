/**
 * Element-wise reduction kernel: the reference (plain JS) implementation.
 *
 * `reduceInto(op, inout, input)` computes, for every element i,
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
 *   unsigned arithmetic; order-independent.
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
 * This file is the reference kernel; a Wasm SIMD kernel (assembly/allreduce) will
 * replace the body behind this signature and must produce identical bits.
 */
import { InvalidArgumentError } from '../runtime/errors.js';

/** Reduction operations supported by the kernel. */
export type ReduceOp = 'sum' | 'prod' | 'min' | 'max';
/** Element types supported by the kernel (dtype from the array type). */
export type ReducibleArray = Float32Array | Float64Array | Int32Array | Uint32Array;
/** Float MIN/MAX semantics; see the module comment. */
export type MinMaxPolicy = 'ieee754' | 'ompi' | 'ignore-nan';
/** dtype names used in errors and options. */
export type DType = 'float32' | 'float64' | 'int32' | 'uint32';

export interface ReduceOptions {
  /** Float MIN/MAX semantics (default 'ieee754'). Ignored for integers and SUM/PROD. */
  minMax?: MinMaxPolicy;
}

const OPS: readonly ReduceOp[] = ['sum', 'prod', 'min', 'max'];
const POLICIES: readonly MinMaxPolicy[] = ['ieee754', 'ompi', 'ignore-nan'];

/** Throws InvalidArgumentError (field `op`) unless `op` is a supported ReduceOp. */
export function assertReduceOp(op: unknown, field = 'op'): asserts op is ReduceOp {
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
    throw new InvalidArgumentError(`${field} must be one of ${OPS.join(', ')}, got ${String(op)}`, { field });
  }
}

/** dtype of a supported typed array, or undefined. */
export function dtypeOf(a: unknown): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  return undefined;
}

/** Throws InvalidArgumentError naming `field` unless `a` is a supported typed array. */
export function assertReducible(a: unknown, field: string): asserts a is ReducibleArray {
  if (dtypeOf(a) === undefined) {
    const got = a === null ? 'null' : typeof a === 'object' ? (a as object).constructor?.name : typeof a;
    throw new InvalidArgumentError(
      `${field} must be a Float32Array, Float64Array, Int32Array or Uint32Array (dtype does not fit the op), got ${got}`,
      { field },
    );
  }
}

function assertPolicy(p: unknown): asserts p is MinMaxPolicy {
  if (typeof p !== 'string' || !(POLICIES as readonly string[]).includes(p)) {
    throw new InvalidArgumentError(`minMax must be one of ${POLICIES.join(', ')}, got ${String(p)}`, {
      field: 'minMax',
    });
  }
}

/** IEEE 754-2019 maximum (NaN-propagating, +0 > -0). */
function ieeeMax(a: number, b: number): number {
  return Math.max(a, b);
}
function ieeeMin(a: number, b: number): number {
  return Math.min(a, b);
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

/**
 * In place: `inout[i] = input[i] OP inout[i]` for i in [0, inout.length).
 *
 * @param op    'sum' | 'prod' | 'min' | 'max'
 * @param inout target buffer (the local data), length n, overwritten
 * @param input source buffer (the received data), same type and length n
 * @throws InvalidArgumentError (`op`, `inout`, `input`, `minMax`) before touching any element
 */
export function reduceInto(op: ReduceOp, inout: ReducibleArray, input: ReducibleArray, opts: ReduceOptions = {}): void {
  assertReduceOp(op);
  assertReducible(inout, 'inout');
  assertReducible(input, 'input');
  if (input.constructor !== inout.constructor) {
    throw new InvalidArgumentError(
      `input must have the same dtype as inout (${dtypeOf(inout)}), got ${dtypeOf(input)}`,
      { field: 'input' },
    );
  }
  if (input.length !== inout.length) {
    throw new InvalidArgumentError(`input length ${input.length} differs from inout length ${inout.length}`, {
      field: 'input',
    });
  }
  const policy = opts.minMax ?? 'ieee754';
  assertPolicy(policy);
  const n = inout.length;
  const isFloat = inout instanceof Float32Array || inout instanceof Float64Array;
  const a = inout as unknown as { [i: number]: number };
  const b = input as unknown as { [i: number]: number };

  if (op === 'sum') {
    if (inout instanceof Int32Array) for (let i = 0; i < n; i++) a[i] = (a[i]! + b[i]!) | 0;
    else if (inout instanceof Uint32Array) for (let i = 0; i < n; i++) a[i] = (a[i]! + b[i]!) >>> 0;
    else for (let i = 0; i < n; i++) a[i] = a[i]! + b[i]!; // Float32Array store rounds once
    return;
  }
  if (op === 'prod') {
    if (inout instanceof Int32Array) for (let i = 0; i < n; i++) a[i] = Math.imul(a[i]!, b[i]!);
    else if (inout instanceof Uint32Array) for (let i = 0; i < n; i++) a[i] = Math.imul(a[i]!, b[i]!) >>> 0;
    else for (let i = 0; i < n; i++) a[i] = a[i]! * b[i]!;
    return;
  }
  const isMax = op === 'max';
  if (!isFloat || policy === 'ompi') {
    // Integers (no NaN, no signed zero) and Open MPI's C ternary: keep inout only if strictly better.
    if (isMax) for (let i = 0; i < n; i++) a[i] = a[i]! > b[i]! ? a[i]! : b[i]!;
    else for (let i = 0; i < n; i++) a[i] = a[i]! < b[i]! ? a[i]! : b[i]!;
    return;
  }
  const f = policy === 'ieee754' ? (isMax ? ieeeMax : ieeeMin) : isMax ? fmax : fmin;
  for (let i = 0; i < n; i++) a[i] = f(b[i]!, a[i]!);
}
