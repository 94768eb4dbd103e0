/**
 * `reduce(op, inout, input, opts)`: the element-wise reduction `inout[i] = input[i] OP
 * inout[i]` run by the Wasm kernels (assembly/allreduce; SIMD build: f32x4, f64x2, i32x4,
 * i64x2, and f16/bf16 widened to f32x4). Semantics, rounding, NaN and MIN/MAX policies are
 * exactly the reference's (reduce.ts `reduceIntoReference`); only the payload/sign of a
 * float32/float64 NaN result may differ (unspecified by Wasm and by JS engines).
 *
 * Where the data lives decides the cost:
 * - both arrays are views into wirekit's linear memory (from `alloc()`, or into a shared
 *   memory the instance uses): reduced in place, zero copies;
 * - otherwise the non-resident side(s) stream through a 64 KiB scratch area (copy in,
 *   reduce, copy inout back), so any size runs in bounded memory;
 * - non-resident arrays of at most {@link jsCutoff} elements (measured: a JS loop beats
 *   the copies and the call there) are reduced by the plain-JS reference loop; same bits.
 *
 * Validation happens before any element is touched (checkReduce in reduce.ts): a thrown
 * InvalidArgumentError leaves both buffers unchanged.
 */
import { CHUNK, addressOf, heapU8, scratch, wasm } from '../runtime/core.js';
import { RuntimeError, ErrorCode, InvalidArgumentError } from '../runtime/errors.js';
import {
  type DType,
  type HalfDType,
  type MinMaxPolicy,
  type ReduceOp,
  type ReduceOptions,
  type ReducibleArray,
  checkReduce,
  reduceReferenceUnchecked,
} from './reduce.js';

interface AllReduceExports {
  ar_reduce(dtype: number, op: number, pol: number, dst: number, src: number, n: number, div: number): number;
}

/** Codes of assembly/allreduce/common.ts. */
const DT: Record<DType, number> = { float32: 0, float64: 1, int32: 2, uint32: 3, int64: 4, float16: 5, bfloat16: 6 };
const OP: Record<ReduceOp, number> = { sum: 0, prod: 1, min: 2, max: 3, avg: 4 };
const POL: Record<MinMaxPolicy, number> = { ieee754: 0, ompi: 1, 'ignore-nan': 2 };

/**
 * Largest element count reduced in plain JS when the arrays are not in linear memory.
 * Measured (bench/allreduce.bench.mjs, f32 sum, Node 20): the JS loop costs ~95 ns +
 * 1.5 ns/element, copy-in + Wasm + copy-out ~400 ns + 0.2 ns/element: equal near 250.
 * 16-bit floats and int64 always go to Wasm: their JS loops are 10-100x slower.
 */
export function jsCutoff(dtype: DType): number {
  return dtype === 'float16' || dtype === 'bfloat16' || dtype === 'int64' ? 0 : JS_CUTOFF;
}
const JS_CUTOFF = 256;

/** Address of `a` in linear memory, or -1 (the runtime recognises any view of it). */
function residentAt(a: ReducibleArray): number {
  return addressOf(a);
}

function bytesOf(a: ReducibleArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * In place: `inout[i] = input[i] OP inout[i]` for every i, in Wasm.
 *
 * @param op    'sum' | 'prod' | 'min' | 'max' | 'avg' (avg: `(input + inout) / ranks`)
 * @param inout Float32Array | Float64Array | Int32Array | Uint32Array | BigInt64Array, or a
 *              Uint16Array with `{ dtype: 'float16' | 'bfloat16' }`; overwritten
 * @param input same type and length; identical to inout or disjoint from it
 * @param opts  `{ minMax?: 'ieee754' | 'ompi' | 'ignore-nan', dtype?, ranks? }`
 * @throws InvalidArgumentError (`op`, `inout`, `input`, `dtype`, `minMax`, `ranks`, `options`)
 *         before touching memory; RuntimeError OUT_OF_MEMORY if an attached instance has no
 *         scratch for non-resident arrays
 */
export function reduce(op: ReduceOp, inout: ReducibleArray, input: ReducibleArray, opts?: ReduceOptions): void {
  const { dtype, policy, ranks } = checkReduce(op, inout, input, opts);
  const n = inout.length;
  if (n === 0) return;
  if (n <= jsCutoff(dtype) && inout.buffer !== heapU8().buffer) {
    reduceReferenceUnchecked(op, dtype, policy, ranks, inout, input);
    return;
  }
  const ex = wasm<AllReduceExports>();
  const d = DT[dtype];
  const o = OP[op];
  const p = POL[policy];
  const same = input.buffer === inout.buffer && input.byteOffset === inout.byteOffset;
  const dst = residentAt(inout);
  const src = same ? dst : residentAt(input);
  if (dst >= 0 && src >= 0) {
    check(ex.ar_reduce(d, o, p, dst, src, n, ranks));
    return;
  }
  const dstBytes = bytesOf(inout);
  const srcBytes = same ? dstBytes : bytesOf(input);
  // Stream the non-resident side(s) through scratch, CHUNK bytes of each at a time.
  const size = inout.BYTES_PER_ELEMENT;
  const step = CHUNK / size;
  const base = scratch(2 * CHUNK);
  const m = heapU8();
  const whole = n <= step; // one chunk: copy the arrays themselves, no subarray views
  for (let i = 0; i < n; i += step) {
    const k = Math.min(step, n - i);
    const from = i * size;
    const to = from + k * size;
    const pd = dst >= 0 ? dst + from : base;
    if (dst < 0) m.set(whole ? dstBytes : dstBytes.subarray(from, to), base);
    const ps = same ? pd : src >= 0 ? src + from : base + CHUNK;
    if (!same && src < 0) m.set(whole ? srcBytes : srcBytes.subarray(from, to), base + CHUNK);
    check(ex.ar_reduce(d, o, p, pd, ps, k, ranks));
    if (dst < 0) dstBytes.set(m.subarray(base, base + k * size), from);
  }
}

/** Same function as {@link reduce} (the name the ring emulation and earlier code use). */
export const reduceInto = reduce;

function check(rc: number): void {
  if (rc !== 0) throw new RuntimeError(ErrorCode.WASM_TRAP, `ar_reduce rejected a validated call (${rc}): wirekit bug`);
}

interface HalfExports {
  ar_half_to_f32(bf: number, dst: number, src: number, n: number): void;
  ar_f32_to_half(bf: number, dst: number, src: number, n: number): void;
}

function checkHalf(dtype: unknown): 0 | 1 {
  if (dtype !== 'float16' && dtype !== 'bfloat16') {
    throw new InvalidArgumentError(`dtype must be 'float16' or 'bfloat16', got ${String(dtype)}`, { field: 'dtype' });
  }
  return dtype === 'bfloat16' ? 1 : 0;
}

/**
 * Widens 16-bit floats (Uint16Array bits of `dtype`) to a new Float32Array, exactly (NaN
 * payloads kept), in Wasm. @throws InvalidArgumentError (`bits`, `dtype`)
 */
export function halfToFloat32(bits: Uint16Array, dtype: HalfDType): Float32Array {
  if (!(bits instanceof Uint16Array)) throw new InvalidArgumentError('bits must be a Uint16Array', { field: 'bits' });
  const bf = checkHalf(dtype);
  const out = new Float32Array(bits.length);
  const ex = wasm<HalfExports>();
  const step = CHUNK / 4;
  const base = scratch(CHUNK + CHUNK / 2);
  for (let i = 0; i < bits.length; i += step) {
    const k = Math.min(step, bits.length - i);
    heapU8().set(new Uint8Array(bits.buffer, bits.byteOffset + 2 * i, 2 * k), base + CHUNK);
    ex.ar_half_to_f32(bf, base, base + CHUNK, k);
    out.set(new Float32Array(heapU8().buffer, base, k), i);
  }
  return out;
}

/**
 * Narrows float32 values to 16-bit float bits (round to nearest even; every NaN becomes
 * 0x7e00 / 0x7fc0), in Wasm. @throws InvalidArgumentError (`values`, `dtype`)
 */
export function float32ToHalf(values: Float32Array, dtype: HalfDType): Uint16Array {
  if (!(values instanceof Float32Array)) throw new InvalidArgumentError('values must be a Float32Array', { field: 'values' });
  const bf = checkHalf(dtype);
  const out = new Uint16Array(values.length);
  const ex = wasm<HalfExports>();
  const step = CHUNK / 4;
  const base = scratch(CHUNK + CHUNK / 2);
  for (let i = 0; i < values.length; i += step) {
    const k = Math.min(step, values.length - i);
    heapU8().set(new Uint8Array(values.buffer, values.byteOffset + 4 * i, 4 * k), base);
    ex.ar_f32_to_half(bf, base + CHUNK, base, k);
    out.set(new Uint16Array(heapU8().buffer, base + CHUNK, k), i);
  }
  return out;
}
