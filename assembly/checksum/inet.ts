// RFC 1071 Internet checksum exports. The facade is src/checksum/inet.ts.
import { inetSum } from './inet-core';

/**
 * One's-complement sum (RFC 1071) of [ptr, ptr+len) in network byte order, added to
 * `initial` (any u32: a previous folded or unfolded sum), folded to 16 bits.
 * Not complemented: the checksum field value is `~result & 0xffff`.
 */
export function ck_inet_sum(ptr: usize, len: usize, initial: u32): u32 {
  return inetSum(ptr, len, initial);
}
