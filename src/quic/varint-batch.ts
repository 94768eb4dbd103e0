/**
 * Batch QUIC varint decode/encode (RFC 9000 §16): many values in ONE Wasm call over input in
 * linear memory (bench/quic.bench.mjs: ~2x an inline-JS loop per value, while one Wasm call
 * per value loses to inline JS).
 *
 * Memory: inputs that are not already in linear memory are copied in IN_CHUNK-byte pieces,
 * and outputs come back through a bounded scratch area, so memory use does not grow with the
 * input. Zero-copy paths: `bytes` (or `values`) that is a view into linear memory (from
 * `alloc()`) is read in place; an `out` typed array over linear memory (e.g.
 * `new Float64Array(v.buffer, v.byteOffset, n)` on an `alloc()` view) is written in place.
 *
 * Results are owned arrays (or subarrays of your `out`), never views of wirekit's scratch.
 */
import { wasm, scratch, heapU8, addressOf } from '../runtime/core.js';
import {
  assertBytes,
  InvalidArgumentError,
  OutputTooSmallError,
  TruncatedError,
  WirekitRangeError,
} from '../runtime/errors.js';
import { varintLength } from './varint.js';

interface QvExports {
  qv_decode_f64(ptr: number, len: number, out: number, cap: number): number;
  qv_decode_u64(ptr: number, len: number, out: number, cap: number): number;
  qv_encode_f64(ptr: number, count: number, out: number, cap: number): number;
  qv_encode_u64(ptr: number, count: number, out: number, cap: number): number;
  qv_pos(): number;
  qv_count(): number;
}

// Kernel return codes (assembly/quic/varint-core.ts).
const QV_TRUNCATED = -1;
const QV_RANGE = -2;
const QV_INVALID = -3;
const QV_OUTPUT = -4;

/** Input bytes copied into linear memory per kernel call (also the max values per call). */
const IN_CHUNK = 16384;
/** Values per kernel call when encoding from a JS array (64 KiB in, at most 64 KiB out). */
const VALUE_CHUNK = 8192;

type Out64 = Float64Array | BigUint64Array;
type Ctor<T extends Out64> = { new (n: number): T; new (b: ArrayBufferLike, o: number, n: number): T };

function overlaps(a: number, aLen: number, b: number, bLen: number): boolean {
  return a < b + bLen && b < a + aLen;
}

function concat<T extends Out64 | Uint8Array>(pieces: T[], total: number, ctor: { new (n: number): T }): T {
  if (pieces.length === 1) return pieces[0]!;
  const all = new ctor(total);
  let k = 0;
  for (const p of pieces) {
    (all as Uint8Array).set(p as Uint8Array, k);
    k += p.length;
  }
  return all;
}

/** Number of varints in bytes[from..] by their prefixes (error paths only). */
function countFrom(bytes: Uint8Array, from: number): number {
  let n = 0;
  for (let p = from; p < bytes.length; p += 1 << (bytes[p]! >> 6)) n++;
  return n;
}

function decodeBatch<T extends Out64>(bytes: Uint8Array, out: T | undefined, ctor: Ctor<T>, f64: boolean): T {
  assertBytes(bytes, 'bytes');
  if (out !== undefined && !(out instanceof ctor)) {
    throw new InvalidArgumentError(`out must be a ${ctor.name}`, { field: 'out' });
  }
  const w = wasm<QvExports>();
  const n = bytes.byteLength;
  if (n === 0) return out ? (out.subarray(0, 0) as T) : new ctor(0);
  const inAddr = addressOf(bytes);
  let outAddr = out ? addressOf(out) : -1;
  if (outAddr >= 0 && inAddr >= 0 && overlaps(inAddr, n, outAddr, out!.byteLength)) outAddr = -1;
  const inSpace = inAddr < 0 ? (Math.min(n, IN_CHUNK) + 15) & ~15 : 0;
  const base = scratch(inSpace + (outAddr < 0 ? IN_CHUNK * 8 : 0)); // may grow memory: views re-derived below
  const outScratch = base + inSpace;
  const outCap = out ? out.length : Infinity;
  const pieces: T[] = [];
  let pos = 0; // bytes consumed
  let k = 0; // values produced
  while (pos < n) {
    let ptr = inAddr + pos;
    let len = n - pos;
    if (inAddr < 0) {
      len = Math.min(IN_CHUNK, len);
      heapU8().set(bytes.subarray(pos, pos + len), base);
      ptr = base;
    }
    const room = outCap - k;
    if (room === 0) {
      const needed = k + countFrom(bytes, pos);
      throw new OutputTooSmallError(`out holds ${outCap} values, the input has ${needed}`, { needed, available: outCap, field: 'out' });
    }
    const cap = outAddr >= 0 ? room : Math.min(room, IN_CHUNK);
    const optr = outAddr >= 0 ? outAddr + k * 8 : outScratch;
    let r = f64 ? w.qv_decode_f64(ptr, len, optr, cap) : w.qv_decode_u64(ptr, len, optr, cap);
    if (r < 0) {
      const at = pos + w.qv_pos();
      if (r === QV_RANGE) {
        throw new WirekitRangeError(`varint at offset ${at} exceeds 2^53-1: use decodeVarintsBig`, { offset: at, field: 'bytes' });
      }
      if (r !== QV_TRUNCATED || pos + len === n) {
        const needed = 1 << (bytes[at]! >> 6);
        throw new TruncatedError(`varint at offset ${at} needs ${needed} bytes, ${n - at} available`, { offset: at, needed, available: n - at });
      }
      r = w.qv_count(); // a varint straddles the chunk end: continue from its start
    }
    if (outAddr < 0 && r > 0) {
      const view = new ctor(heapU8().buffer, outScratch, r);
      if (out) out.set(view as never, k);
      else pieces.push(view.slice() as T);
    }
    pos += w.qv_pos();
    k += r;
  }
  return out ? (out.subarray(0, k) as T) : concat(pieces, k, ctor);
}

/**
 * Decodes every varint in `bytes` (back to back, RFC 9000 §16) in one Wasm pass.
 * @param out optional destination; the result is then `out.subarray(0, count)`.
 * @returns the values as numbers (each 0..2^53-1).
 * @throws TruncatedError (`offset` of the cut varint, `needed`, `available`);
 *   WirekitRangeError (`offset`) for a value above 2^53-1 (use {@link decodeVarintsBig});
 *   OutputTooSmallError (`needed`/`available` in values) when `out` is too short;
 *   InvalidArgumentError for bad arguments.
 */
export function decodeVarints(bytes: Uint8Array, out?: Float64Array): Float64Array {
  return decodeBatch(bytes, out, Float64Array as Ctor<Float64Array>, true);
}

/** As {@link decodeVarints}, exact up to 2^62-1 as bigints (a BigUint64Array); never RANGE. */
export function decodeVarintsBig(bytes: Uint8Array, out?: BigUint64Array): BigUint64Array {
  return decodeBatch(bytes, out, BigUint64Array as Ctor<BigUint64Array>, false);
}

function valueError(code: number, values: ArrayLike<number | bigint>, index: number): Error {
  const field = `values[${index}]`;
  const v = values[index];
  if (code === QV_INVALID) return new InvalidArgumentError(`${field} must be an integer, got ${String(v)}`, { field, offset: index });
  return new WirekitRangeError(`${field} = ${String(v)} is outside 0..2^53-1 (numbers) / 0..2^62-1 (bigints)`, { field, offset: index });
}

/**
 * Encodes `values` as back-to-back minimal varints in one Wasm pass.
 * @param values numbers (any ArrayLike, e.g. an Array or Float64Array; 0..2^53-1 each) or a
 *   BigUint64Array (0..2^62-1 each). Array elements are converted like Float64Array.from would.
 * @param out optional destination; the result is then `out.subarray(0, bytesWritten)`.
 * @returns the encoded bytes.
 * @throws InvalidArgumentError (`offset` = index: NaN / non-integer value, bad arguments);
 *   WirekitRangeError (`offset` = index: negative or too large); OutputTooSmallError
 *   (`needed`/`available` in bytes) when `out` is too short.
 */
export function encodeVarints(values: ArrayLike<number> | Float64Array | BigUint64Array, out?: Uint8Array): Uint8Array {
  const big = values instanceof BigUint64Array;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number' || values instanceof BigInt64Array) {
    throw new InvalidArgumentError('values must be an array of numbers, a Float64Array or a BigUint64Array', { field: 'values' });
  }
  if (out !== undefined) assertBytes(out, 'out');
  const w = wasm<QvExports>();
  const count = values.length;
  if (count === 0) return out ? out.subarray(0, 0) : new Uint8Array(0);
  const typed = big || values instanceof Float64Array;
  const inAddr = typed ? addressOf(values as Out64) : -1;
  let outAddr = out ? addressOf(out) : -1;
  if (outAddr >= 0 && inAddr >= 0 && overlaps(inAddr, count * 8, outAddr, out!.byteLength)) outAddr = -1;
  const inSpace = inAddr < 0 ? VALUE_CHUNK * 8 : 0;
  const base = scratch(inSpace + (outAddr < 0 ? VALUE_CHUNK * 8 : 0));
  const outScratch = base + inSpace;
  const outCap = out ? out.length : Infinity;
  const pieces: Uint8Array[] = [];
  let i = 0;
  let written = 0;
  while (i < count) {
    const m = inAddr >= 0 && outAddr >= 0 ? count - i : Math.min(VALUE_CHUNK, count - i);
    let ptr = inAddr + i * 8;
    if (inAddr < 0) {
      ptr = base;
      const buf = heapU8().buffer;
      if (big) new BigUint64Array(buf, base, m).set((values as BigUint64Array).subarray(i, i + m));
      else if (typed) new Float64Array(buf, base, m).set((values as Float64Array).subarray(i, i + m));
      else {
        const dst = new Float64Array(buf, base, m);
        try {
          for (let j = 0; j < m; j++) dst[j] = values[i + j] as number;
        } catch (e) {
          throw new InvalidArgumentError('values must hold numbers (use a BigUint64Array for bigints)', { field: 'values', cause: e });
        }
      }
    }
    const optr = outAddr >= 0 ? outAddr + written : outScratch;
    const cap = outAddr >= 0 ? outCap - written : Math.min(VALUE_CHUNK * 8, outCap - written);
    const r = big ? w.qv_encode_u64(ptr, m, optr, cap) : w.qv_encode_f64(ptr, m, optr, cap);
    if (r < 0) {
      const index = i + w.qv_pos();
      if (r !== QV_OUTPUT) throw valueError(r, values, index);
      let needed = written;
      for (let j = i; j < count; j++) needed += varintLength(big ? (values[j] as bigint) : (values[j] as number));
      throw new OutputTooSmallError(`out holds ${outCap} bytes, the encoding needs ${needed}`, { needed, available: outCap, field: 'out' });
    }
    if (outAddr < 0) {
      const view = heapU8().subarray(outScratch, outScratch + r);
      if (out) out.set(view, written);
      else pieces.push(view.slice());
    }
    written += r;
    i += m;
  }
  return out ? out.subarray(0, written) : concat(pieces, written, Uint8Array);
}
