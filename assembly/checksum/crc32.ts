// PLACEHOLDER (bitwise, slow) until the fast kernel lands in this file.
function crcBitwise(crc: u32, ptr: usize, len: usize, poly: u32): u32 {
  let c = ~crc;
  for (let i: usize = 0; i < len; i++) {
    c ^= <u32>load<u8>(ptr + i);
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (poly & (0 - (c & 1)));
  }
  return ~c;
}
export function ck_crc32(crc: u32, ptr: usize, len: usize): u32 { return crcBitwise(crc, ptr, len, 0xEDB88320); }
export function ck_crc32c(crc: u32, ptr: usize, len: usize): u32 { return crcBitwise(crc, ptr, len, 0x82F63B78); }
export function ck_crc32_combine(crc1: u32, crc2: u32, len2: u64): u32 { return 0; }
export function ck_crc32c_combine(crc1: u32, crc2: u32, len2: u64): u32 { return 0; }
