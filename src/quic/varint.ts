/**
 * QUIC variable-length integers (RFC 9000 §16), one value at a time, in inline JS: a
 * JS→Wasm call costs about as much as decoding one varint (bench/quic.bench.mjs), so the
 * single-value API never calls Wasm. For many values use the batch API (varint-batch.ts).
 *
 * Encoding: 1, 2, 4 or 8 bytes, big-endian; the two most significant bits of the first byte
 * are log2(length). Ranges: 1 byte 0..63, 2 bytes ..16383, 4 bytes ..2^30-1, 8 bytes ..2^62-1.
 *
 * Non-minimal encodings (e.g. `40 25` for 37) are legal and decode normally (§16); every
 * decode result says whether its encoding was the shortest one (`minimal`), so callers that
 * must enforce it (a Frame Type, §12.4) can.
 */
import { assertBytes, InvalidArgumentError, OutputTooSmallError, TruncatedError, WirekitRangeError } from '../runtime/errors.js';

/** Length in bytes of an encoded varint. */
export type VarintLength = 1 | 2 | 4 | 8;

/** Largest varint value, 2^62-1. */
export const VARINT_MAX = 0x3fffffffffffffffn;

/** A decoded varint: `value` (0..2^53-1), `length` in bytes, `minimal` = shortest encoding. */
export interface DecodedVarint {
  value: number;
  length: VarintLength;
  minimal: boolean;
}

/** A decoded varint with a bigint `value` (0..2^62-1). */
export interface DecodedVarintBig {
  value: bigint;
  length: VarintLength;
  minimal: boolean;
}

export interface EncodeVarintOptions {
  /**
   * Force this encoded length (1, 2, 4 or 8) instead of the minimal one, e.g. 8 (or 2, 4)
   * for a QUIC Length field that is patched once the payload size is known.
   * A value that does not fit in it is a WirekitRangeError (field `length`).
   */
  length?: VarintLength;
}

const TWO32 = 4294967296;

function checkOffset(bytes: Uint8Array, offset: number, field = 'offset'): void {
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new InvalidArgumentError(`${field} must be an integer in [0, ${bytes.length}] (the byte length), got ${String(offset)}`, { field });
  }
}

function truncated(bytes: Uint8Array, offset: number, needed: number): TruncatedError {
  const available = bytes.length - offset;
  return new TruncatedError(`varint at offset ${offset} needs ${needed} bytes, ${available} available`, { offset, needed, available });
}

/** First byte, or a TruncatedError when `offset` is at the end. */
function firstByte(bytes: Uint8Array, offset: number): number {
  assertBytes(bytes, 'bytes');
  if (offset !== 0 || bytes.length === 0) checkOffset(bytes, offset);
  if (offset === bytes.length) throw truncated(bytes, offset, 1);
  return bytes[offset]!;
}

/** Bytes 0-3 of an 8-byte varint, prefix removed (0..2^30-1), and bytes 4-7 (0..2^32-1). */
function hi30(b: Uint8Array, o: number): number {
  return ((b[o]! & 0x3f) << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}
function lo32(b: Uint8Array, o: number): number {
  return ((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0;
}

/**
 * Decodes the varint at `bytes[offset]` (RFC 9000 §16) as a number.
 * @returns `{ value, length, minimal }`: value 0..2^53-1, length in bytes, minimal = whether
 *   this was the shortest encoding of value.
 * @throws TruncatedError (`offset`, `needed` = bytes the prefix announces, `available` = bytes
 *   left from `offset`); WirekitRangeError (code RANGE, `offset`) for a value above 2^53-1,
 *   which a number cannot hold exactly (never rounded: use {@link decodeVarintBig});
 *   InvalidArgumentError (`field`) for a non-Uint8Array or an offset outside [0, length].
 */
export function decodeVarint(bytes: Uint8Array, offset = 0): DecodedVarint {
  const b0 = firstByte(bytes, offset);
  const avail = bytes.length - offset;
  switch (b0 >> 6) {
    case 0:
      return { value: b0, length: 1, minimal: true };
    case 1: {
      if (avail < 2) throw truncated(bytes, offset, 2);
      const v = ((b0 & 0x3f) << 8) | bytes[offset + 1]!;
      return { value: v, length: 2, minimal: v >= 64 };
    }
    case 2: {
      if (avail < 4) throw truncated(bytes, offset, 4);
      const v = hi30(bytes, offset);
      return { value: v, length: 4, minimal: v >= 16384 };
    }
    default: {
      if (avail < 8) throw truncated(bytes, offset, 8);
      const hi = hi30(bytes, offset);
      if (hi > 0x1fffff) {
        throw new WirekitRangeError(`varint at offset ${offset} exceeds 2^53-1: use decodeVarintBig`, { offset, field: 'value' });
      }
      const v = hi * TWO32 + lo32(bytes, offset);
      return { value: v, length: 8, minimal: v >= 1073741824 };
    }
  }
}

/**
 * Decodes the varint at `bytes[offset]` exactly, as a bigint (0..2^62-1).
 * @returns `{ value, length, minimal }`. @throws as {@link decodeVarint}, never RANGE.
 */
export function decodeVarintBig(bytes: Uint8Array, offset = 0): DecodedVarintBig {
  const b0 = firstByte(bytes, offset);
  if (b0 >> 6 < 3) {
    const d = decodeVarint(bytes, offset);
    return { value: BigInt(d.value), length: d.length, minimal: d.minimal };
  }
  if (bytes.length - offset < 8) throw truncated(bytes, offset, 8);
  const hi = hi30(bytes, offset);
  const lo = lo32(bytes, offset);
  const value = hi <= 0x1fffff ? BigInt(hi * TWO32 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  return { value, length: 8, minimal: hi > 0 || lo >= 1073741824 };
}

/**
 * Validates a value to encode. Returns it as a number when <= 2^53-1, else as a bigint.
 * Non-integers / wrong types: InvalidArgumentError; < 0, > 2^62-1, or a number above 2^53-1
 * (it may already have been rounded: pass a bigint): WirekitRangeError.
 */
export function checkVarintValue(value: unknown, field = 'value'): number | bigint {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new InvalidArgumentError(`${field} must be an integer, got ${value}`, { field });
    if (value < 0) throw new WirekitRangeError(`${field} ${value} is negative: varints are 0..2^62-1`, { field });
    if (value > Number.MAX_SAFE_INTEGER) {
      throw new WirekitRangeError(`${field} ${value} is above 2^53-1 and may be rounded: pass a bigint`, { field });
    }
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < 0n || value > VARINT_MAX) throw new WirekitRangeError(`${field} ${value}n is outside 0..2^62-1`, { field });
    return value <= 9007199254740991n ? Number(value) : value;
  }
  throw new InvalidArgumentError(`${field} must be a number or a bigint, got ${value === null ? 'null' : typeof value}`, { field });
}

function minimalLength(v: number | bigint): VarintLength {
  if (typeof v === 'bigint') return 8;
  return v < 64 ? 1 : v < 16384 ? 2 : v < 1073741824 ? 4 : 8;
}

/**
 * Bytes in the minimal encoding of `value` (number 0..2^53-1 or bigint 0..2^62-1): 1, 2, 4, 8.
 * @throws as {@link encodeVarint}.
 */
export function varintLength(value: number | bigint): VarintLength {
  return minimalLength(checkVarintValue(value));
}

function lengthFor(v: number | bigint, options: EncodeVarintOptions | undefined): VarintLength {
  const min = minimalLength(v);
  const forced = options?.length;
  if (forced === undefined) return min;
  if (forced !== 1 && forced !== 2 && forced !== 4 && forced !== 8) {
    throw new InvalidArgumentError(`length must be 1, 2, 4 or 8, got ${String(forced)}`, { field: 'length' });
  }
  if (forced < min) throw new WirekitRangeError(`value ${v} does not fit in a ${forced}-byte varint`, { field: 'length' });
  return forced;
}

function write(v: number | bigint, n: VarintLength, out: Uint8Array, o: number): void {
  if (n === 1) {
    out[o] = v as number;
  } else if (n === 2) {
    out[o] = 0x40 | ((v as number) >>> 8);
    out[o + 1] = (v as number) & 0xff;
  } else if (n === 4) {
    const x = v as number;
    out[o] = 0x80 | (x >>> 24);
    out[o + 1] = (x >>> 16) & 0xff;
    out[o + 2] = (x >>> 8) & 0xff;
    out[o + 3] = x & 0xff;
  } else {
    const hi = typeof v === 'bigint' ? Number(v >> 32n) : Math.floor(v / TWO32);
    const lo = typeof v === 'bigint' ? Number(v & 0xffffffffn) : v >>> 0;
    out[o] = 0xc0 | (hi >>> 24);
    out[o + 1] = (hi >>> 16) & 0xff;
    out[o + 2] = (hi >>> 8) & 0xff;
    out[o + 3] = hi & 0xff;
    out[o + 4] = lo >>> 24;
    out[o + 5] = (lo >>> 16) & 0xff;
    out[o + 6] = (lo >>> 8) & 0xff;
    out[o + 7] = lo & 0xff;
  }
}

/**
 * Encodes `value` as a varint (RFC 9000 §16), minimal unless `options.length` forces one.
 * - `encodeVarint(value, options?)` returns a new Uint8Array of the encoding.
 * - `encodeVarint(value, out, offset = 0, options?)` writes at `out[offset]` and returns the
 *   number of bytes written.
 * `value`: a number 0..2^53-1 or a bigint 0..2^62-1.
 * @throws InvalidArgumentError (non-integer, wrong type, bad offset or length option);
 *   WirekitRangeError (negative, above 2^62-1, a number above 2^53-1, a forced length too
 *   small); OutputTooSmallError (`offset`, `needed` bytes, `available` bytes from offset).
 */
export function encodeVarint(value: number | bigint, options?: EncodeVarintOptions): Uint8Array;
export function encodeVarint(value: number | bigint, out: Uint8Array, offset?: number, options?: EncodeVarintOptions): number;
export function encodeVarint(
  value: number | bigint,
  outOrOptions?: Uint8Array | EncodeVarintOptions,
  offset = 0,
  options?: EncodeVarintOptions,
): Uint8Array | number {
  const v = checkVarintValue(value);
  if (outOrOptions instanceof Uint8Array) {
    const n = lengthFor(v, options);
    checkOffset(outOrOptions, offset);
    const available = outOrOptions.length - offset;
    if (available < n) {
      throw new OutputTooSmallError(`a ${n}-byte varint does not fit at offset ${offset}: ${available} bytes left`, { offset, needed: n, available });
    }
    write(v, n, outOrOptions, offset);
    return n;
  }
  if (outOrOptions !== undefined && (typeof outOrOptions !== 'object' || outOrOptions === null || ArrayBuffer.isView(outOrOptions))) {
    throw new InvalidArgumentError('the second argument must be a Uint8Array or an options object', { field: 'out' });
  }
  const n = lengthFor(v, outOrOptions);
  const bytes = new Uint8Array(n);
  write(v, n, bytes, 0);
  return bytes;
}
