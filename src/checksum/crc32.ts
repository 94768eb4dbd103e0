/**
 * CRC-32 (IEEE 802.3 / zlib / PNG: reflected polynomial 0xEDB88320) and CRC-32C
 * (Castagnoli, RFC 3720 §12.1 and Appendix B.4: reflected 0x82F63B78), one-shot,
 * streaming, and combining.
 *
 * Values are unsigned 32-bit numbers (0..0xffffffff). `previous` continues a running CRC
 * exactly like zlib's `crc32(crc, buf, len)` and Node's `zlib.crc32(data, value)`:
 * `crc32(b, crc32(a)) === crc32(concat(a, b))`.
 */
import { wasm, foldChunks } from '../runtime/core.js';
import { assertBytes, assertInteger, InvalidArgumentError } from '../runtime/errors.js';

interface CrcExports {
  ck_crc32(crc: number, ptr: number, len: number): number;
  ck_crc32c(crc: number, ptr: number, len: number): number;
  ck_crc32_combine(crc1: number, crc2: number, len2: bigint): number;
  ck_crc32c_combine(crc1: number, crc2: number, len2: bigint): number;
}

// The Wasm kernels take (crc, ptr, len); foldChunks calls (ptr, len, acc).
const K32 = (ptr: number, len: number, crc: number): number => wasm<CrcExports>().ck_crc32(crc, ptr, len);
const K32C = (ptr: number, len: number, crc: number): number => wasm<CrcExports>().ck_crc32c(crc, ptr, len);
type Kernel = typeof K32;

const encoder = new TextEncoder();

function toBytes(data: Uint8Array | string, field: string): Uint8Array {
  if (typeof data === 'string') return encoder.encode(data);
  assertBytes(data, field);
  return data;
}

function run(kernel: Kernel, data: Uint8Array | string, previous: number): number {
  const bytes = toBytes(data, 'data');
  if (previous !== 0) assertInteger(previous, 'previous', 0, 0xffffffff);
  return foldChunks(bytes, previous, kernel) >>> 0;
}

/**
 * CRC-32 (IEEE) of `data` (a string is hashed as UTF-8), continuing from `previous`.
 * "123456789" → 0xCBF43926. @returns 0..0xffffffff
 */
export function crc32(data: Uint8Array | string, previous = 0): number {
  return run(K32, data, previous);
}

/**
 * CRC-32C (Castagnoli) of `data`, continuing from `previous`. "123456789" → 0xE3069283.
 * @returns 0..0xffffffff
 */
export function crc32c(data: Uint8Array | string, previous = 0): number {
  return run(K32C, data, previous);
}

function combineArgs(crc1: number, crc2: number, length2: number): bigint {
  assertInteger(crc1, 'crc1', 0, 0xffffffff);
  assertInteger(crc2, 'crc2', 0, 0xffffffff);
  assertInteger(length2, 'length2', 0, Number.MAX_SAFE_INTEGER);
  return BigInt(length2);
}

/**
 * CRC-32 of A||B from `crc1` = crc32(A), `crc2` = crc32(B) and `length2` = B's length in
 * bytes, in O(log length2) (zlib's crc32_combine).
 */
export function crc32Combine(crc1: number, crc2: number, length2: number): number {
  return wasm<CrcExports>().ck_crc32_combine(crc1, crc2, combineArgs(crc1, crc2, length2)) >>> 0;
}

/** {@link crc32Combine} for CRC-32C. */
export function crc32cCombine(crc1: number, crc2: number, length2: number): number {
  return wasm<CrcExports>().ck_crc32c_combine(crc1, crc2, combineArgs(crc1, crc2, length2)) >>> 0;
}

/** Streaming CRC: `new Crc32Stream('crc32c').update(a).update(b).digest()`. */
export class Crc32Stream {
  readonly algorithm: 'crc32' | 'crc32c';
  #crc = 0;
  #length = 0;

  constructor(algorithm: 'crc32' | 'crc32c' = 'crc32') {
    if (algorithm !== 'crc32' && algorithm !== 'crc32c') {
      throw new InvalidArgumentError(`algorithm must be 'crc32' or 'crc32c', got ${String(algorithm)}`, { field: 'algorithm' });
    }
    this.algorithm = algorithm;
  }

  /** Feeds more bytes (or a UTF-8 string). */
  update(data: Uint8Array | string): this {
    const bytes = toBytes(data, 'data');
    this.#crc = run(this.algorithm === 'crc32' ? K32 : K32C, bytes, this.#crc);
    this.#length += bytes.byteLength;
    return this;
  }

  /** The CRC of everything fed so far (the stream can go on after this). */
  digest(): number {
    return this.#crc;
  }

  /** Bytes fed so far. */
  get length(): number {
    return this.#length;
  }

  /** Starts over. */
  reset(): this {
    this.#crc = 0;
    this.#length = 0;
    return this;
  }
}
