// HPACK Huffman code (RFC 7541 §5.2, Appendix B): decode with the three §5.2 checks, encode.
// Tables are generated (tables.ts). Decoding looks up HUFF_PRIMARY_BITS bits at a time and falls
// back to the canonical-code bounds for longer codes (the code is canonical; the generator checks).
import { HUFF_CODE, HUFF_LEN, HUFF_PRIMARY, HUFF_PRIMARY_BITS, HUFF_PAIR, HUFF_PAIR_BITS, HUFF_LIMIT, HUFF_BASE, HUFF_SORTED } from './tables';

/** The EOS symbol appeared inside a string (§5.2: MUST be treated as a decoding error). */
export const HUFF_ERR_EOS: isize = -1;
/** Padding longer than 7 bits, or not the most significant bits of EOS (all ones) (§5.2). */
export const HUFF_ERR_PADDING: isize = -2;
/** Decoded output would pass `dstEnd`. */
export const HUFF_ERR_SPACE: isize = -3;

/**
 * Decodes the Huffman string [src, src+len) to dst (one byte per symbol), never writing at or
 * past dstEnd. Returns the new dst, or a negative HUFF_ERR_*.
 */
export function huffDecode(src: usize, len: usize, dst: usize, dstEnd: usize): isize {
  let acc: u64 = 0; // next bits, most significant first
  let nbits: u32 = 0;
  let p = src;
  const end = src + len;
  while (true) {
    if (nbits < 30) {
      // Keep >= 30 bits (the longest code) buffered while input lasts.
      if (end - p >= 4) {
        acc |= <u64>bswap<u32>(load<u32>(p)) << (32 - nbits);
        nbits += 32;
        p += 4;
      } else {
        while (nbits <= 56 && p < end) {
          acc |= <u64>load<u8>(p) << (56 - nbits);
          nbits += 8;
          p++;
        }
        if (nbits == 0) break;
      }
    }
    const w = <u32>(acc >> 32);
    if (nbits >= HUFF_PAIR_BITS && dstEnd - dst >= 2) {
      // Fast path: up to two symbols of <= 10 bits from the next 12 (all real input bits).
      const t = load<u32>(HUFF_PAIR + (<usize>(w >> (32 - HUFF_PAIR_BITS)) << 2));
      const k = t >> 21;
      if (k != 0) {
        store<u16>(dst, <u16>t); // first symbol at dst, second at dst + 1 (little-endian)
        dst += <usize>k;
        const l = (t >> 16) & 31;
        acc <<= l;
        nbits -= l;
        continue;
      }
    }
    const e = <u32>load<u16>(HUFF_PRIMARY + ((<usize>(w >> (32 - HUFF_PRIMARY_BITS))) << 1));
    let sym: u32, l: u32;
    if (e != 0xffff) {
      sym = e & 0x1ff;
      l = e >> 9;
    } else {
      l = HUFF_PRIMARY_BITS + 1;
      while (<u64>w >= load<u64>(HUFF_LIMIT + (<usize>l << 3))) l++;
      const i = <i32>(w >> (32 - l)) + load<i32>(HUFF_BASE + (<usize>l << 2));
      sym = <u32>load<u16>(HUFF_SORTED + (<usize>i << 1));
    }
    if (l > nbits) {
      // Only padding is left: at most 7 bits, all ones (a prefix of EOS).
      if (nbits > 7) return HUFF_ERR_PADDING;
      const mask: u64 = ((<u64>1 << nbits) - 1) << (64 - nbits);
      if ((acc & mask) != mask) return HUFF_ERR_PADDING;
      break;
    }
    if (sym == 256) return HUFF_ERR_EOS;
    if (dst >= dstEnd) return HUFF_ERR_SPACE;
    store<u8>(dst, <u8>sym);
    dst++;
    acc <<= l;
    nbits -= l;
  }
  return <isize>dst;
}

/** Length in bytes of the Huffman encoding of [src, src+len), padding included. */
export function huffEncodedLength(src: usize, len: usize): usize {
  let bits: usize = 0;
  for (let i: usize = 0; i < len; i++) bits += <usize>load<u8>(HUFF_LEN + <usize>load<u8>(src + i));
  return (bits + 7) >> 3;
}

/** Huffman-encodes [src, src+len) at dst, padding the last octet with ones. Returns the new dst. */
export function huffEncode(src: usize, len: usize, dst: usize): usize {
  let acc: u64 = 0;
  let nbits: u32 = 0;
  for (let i: usize = 0; i < len; i++) {
    const b = <usize>load<u8>(src + i);
    const l = <u32>load<u8>(HUFF_LEN + b);
    acc = (acc << l) | <u64>load<u32>(HUFF_CODE + (b << 2));
    nbits += l;
    if (nbits >= 32) {
      nbits -= 32;
      store<u32>(dst, bswap<u32>(<u32>(acc >> nbits)));
      dst += 4;
    }
  }
  if (nbits > 0) {
    const pad = (8 - (nbits & 7)) & 7;
    acc = (acc << pad) | ((<u64>1 << pad) - 1);
    nbits += pad;
    while (nbits > 0) {
      nbits -= 8;
      store<u8>(dst, <u8>(acc >> nbits));
      dst++;
    }
  }
  return dst;
}
