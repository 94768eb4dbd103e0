/**
 * Shared plumbing of the HPACK facades: one work area in linear memory (records and output
 * bytes of the current call; every decoder and encoder uses it synchronously, so one suffices),
 * byte-exact latin1 strings and pooled copies out (views over memory come from the runtime).
 */
import { alloc, free, heapU8 } from '../runtime/core.js';

export { heapU32 } from '../runtime/core.js';

let area: Uint8Array | undefined;
let areaOf: Uint8Array | undefined;
let areaPtr = 0;
let areaLen = 0;

/** Pointer to at least `n` bytes of work memory (valid until the next call). Grows by doubling. */
export function workArea(n: number): number {
  if (n <= areaLen && areaOf === heapU8()) return areaPtr;
  {
    const size = Math.max(65536, 2 ** Math.ceil(Math.log2(n)));
    if (area !== undefined) {
      try {
        free(area);
      } catch {
        // from an instance that was replaced (init() or a trap reset): nothing to release
      }
    }
    area = undefined;
    area = alloc(size);
    areaOf = heapU8();
    areaPtr = area.byteOffset; // typed-array getters on linear memory views are slow: cache
    areaLen = area.byteLength;
  }
  return areaPtr;
}

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const nodeLatin1: Latin1Slice | undefined = (globalThis as { Buffer?: { prototype: { latin1Slice?: Latin1Slice } } }).Buffer?.prototype
  ?.latin1Slice;

/**
 * Bytes [start, end) of `u8` as a string of the same length, one char (U+0000..U+00FF) per octet.
 * Never a TextDecoder: its 'latin1' label is windows-1252 and remaps 0x80..0x9F.
 */
export function latin1(u8: Uint8Array, start: number, end: number): string {
  if (nodeLatin1 !== undefined) return nodeLatin1.call(u8, start, end);
  let s = '';
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, u8.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return s;
}

const POOL = 65536;
let pool = new Uint8Array(0);
let poolUsed = 0;

/**
 * A copy of linear memory [ptr, ptr+len) in a fresh Uint8Array. Small results are views into a
 * shared 64 KiB pool (like Node's Buffer pool): `byteOffset` may be non-zero and `buffer` shared
 * with other results; the bytes themselves are never shared. (A separate small typed array costs
 * about 5x more to allocate in V8.)
 */
export function copyOut(ptr: number, len: number): Uint8Array {
  const heap = heapU8();
  if (len > 4096) return heap.slice(ptr, ptr + len);
  if (poolUsed + len > pool.byteLength) {
    pool = new Uint8Array(POOL);
    poolUsed = 0;
  }
  const at = poolUsed;
  pool.set(heap.subarray(ptr, ptr + len), at); // element loops over linear memory views are slow in V8
  poolUsed = (at + len + 7) & ~7;
  return pool.subarray(at, at + len);
}
