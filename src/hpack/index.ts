export { HpackDecoder, type HeaderField, type HpackDecoderOptions } from './decoder.js';
export { HpackEncoder, type HeaderInput, type HpackEncoderOptions } from './encoder.js';
export { huffmanEncode, huffmanDecode } from './huffman.js';
export { STATIC_NAMES, STATIC_VALUES } from './static-table.js';
