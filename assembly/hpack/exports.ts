// HPACK exports (prefix hp_). Facades: src/hpack/decoder.ts, src/hpack/encoder.ts.
export { hp_dec_ctx_size, hp_dec_init, hp_dec_settings, hp_dec_run, hp_dec_migrate } from './decoder';
export { hp_enc_ctx_size, hp_enc_init, hp_enc_get, hp_enc_set_max, hp_enc_run } from './encoder';
import { huffDecode, huffEncode, huffEncodedLength } from './huffman';

/** Huffman-decodes [src, src+len) to dst (at most dstCap bytes): byte count or -1 EOS, -2 padding, -3 space. */
export function hp_huff_decode(src: usize, len: usize, dst: usize, dstCap: usize): isize {
  const r = huffDecode(src, len, dst, dst + dstCap);
  return r < 0 ? r : r - <isize>dst;
}

/** Huffman-encodes [src, src+len) to dst (sized with hp_huff_length). Returns the byte count. */
export function hp_huff_encode(src: usize, len: usize, dst: usize): usize {
  return huffEncode(src, len, dst) - dst;
}

export function hp_huff_length(src: usize, len: usize): usize {
  return huffEncodedLength(src, len);
}
