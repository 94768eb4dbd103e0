// One's-complement sums over frame ranges, through the checksum codec (RFC 1071).
import { onesComplementSum } from '../checksum/inet.js';

/** Folded one's-complement sum of b[off, off+len) plus `initial` (network byte order). */
export function sumRange(b: Uint8Array, off: number, len: number, initial: number): number {
  return onesComplementSum(b.subarray(off, off + len), initial);
}

/** Sum of the TCP/UDP/ICMPv6 pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1) from frame offsets. */
export function pseudoSum(b: Uint8Array, v6: boolean, srcOff: number, dstOff: number, proto: number, length: number): number {
  const n = v6 ? 16 : 4;
  let s = proto + (length >>> 16) + (length & 0xffff);
  for (let i = 0; i < n; i += 2) s += ((b[srcOff + i]! << 8) | b[srcOff + i + 1]!) + ((b[dstOff + i]! << 8) | b[dstOff + i + 1]!);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}
