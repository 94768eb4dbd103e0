// RFC 9000 §16 variable-length integers: batch decode/encode exports. The facades are
// src/quic/varint-batch.ts (batch) and src/quic/varint.ts (single values, inline JS: one
// Wasm call per value costs more than decoding it in JS).
import { decodeInto, encodeFrom, lastPos, lastCount } from './varint-core';

/**
 * Decodes varints from [ptr, ptr+len) into f64s at `out` (at most `cap`). Returns the count,
 * or QV_TRUNCATED / QV_RANGE (value > 2^53-1) with the offset in qv_pos().
 */
export function qv_decode_f64(ptr: usize, len: usize, out: usize, cap: usize): i32 {
  return decodeInto<f64>(ptr, len, out, cap);
}

/** As qv_decode_f64 with u64 outputs (every value up to 2^62-1); never QV_RANGE. */
export function qv_decode_u64(ptr: usize, len: usize, out: usize, cap: usize): i32 {
  return decodeInto<u64>(ptr, len, out, cap);
}

/** Encodes `count` f64 values at `ptr` into [out, out+cap). Returns bytes written or a code. */
export function qv_encode_f64(ptr: usize, count: usize, out: usize, cap: usize): i32 {
  return encodeFrom<f64>(ptr, count, out, cap);
}

/** Encodes `count` u64 values at `ptr` into [out, out+cap). Returns bytes written or a code. */
export function qv_encode_u64(ptr: usize, count: usize, out: usize, cap: usize): i32 {
  return encodeFrom<u64>(ptr, count, out, cap);
}

/** After a call: bytes consumed (decode), or the offset / index of the failing item. */
export function qv_pos(): i32 {
  return lastPos;
}

/** After QV_TRUNCATED: values decoded before the truncated varint. */
export function qv_count(): i32 {
  return lastCount;
}
