/** HPACK Huffman code (RFC 7541 §5.2, Appendix B) on its own, for tools and tests. */
import { wasm, heapU8, scratch } from '../runtime/core.js';
import { assertBytes } from '../runtime/errors.js';
import { HpackError } from '../http2/errors.js';

interface HuffExports {
  hp_huff_decode(src: number, len: number, dst: number, dstCap: number): number;
  hp_huff_encode(src: number, len: number, dst: number): number;
  hp_huff_length(src: number, len: number): number;
}

/** Huffman-encodes octets (padding the last octet with ones). */
export function huffmanEncode(bytes: Uint8Array): Uint8Array {
  assertBytes(bytes, 'bytes');
  const w = wasm<HuffExports>();
  const n = bytes.byteLength;
  const base = scratch(n * 5 + 8); // input copy, then up to 4 octets per input octet
  heapU8().set(bytes, base);
  const len = w.hp_huff_length(base, n);
  const m = w.hp_huff_encode(base, n, base + n);
  if (m !== len) throw new Error('huffman length mismatch');
  return heapU8().slice(base + n, base + n + m);
}

/** Decodes a Huffman string. @throws HpackError HUFFMAN_EOS or HUFFMAN_PADDING (RFC 7541 §5.2). */
export function huffmanDecode(bytes: Uint8Array): Uint8Array {
  assertBytes(bytes, 'bytes');
  const w = wasm<HuffExports>();
  const n = bytes.byteLength;
  const cap = Math.ceil((n * 8) / 5);
  const base = scratch(n + cap + 8);
  heapU8().set(bytes, base);
  const r = w.hp_huff_decode(base, n, base + n, cap);
  if (r < 0) {
    const reason = r === -1 ? 'HUFFMAN_EOS' : 'HUFFMAN_PADDING';
    throw new HpackError('COMPRESSION_ERROR', reason, r === -1 ? 'Huffman string contains EOS (RFC 7541 §5.2)' : 'Huffman padding longer than 7 bits or not all ones (RFC 7541 §5.2)');
  }
  return heapU8().slice(base + n, base + n + r);
}
