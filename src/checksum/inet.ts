/**
 * RFC 1071 Internet checksum, RFC 1624 incremental update, and the TCP/UDP/ICMPv6
 * pseudo-headers (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1).
 *
 * Sums are 16-bit one's-complement sums in network byte order, folded, NOT complemented
 * (0..0xffff). A checksum field holds `~sum & 0xffff` ({@link internetChecksum}).
 */
import { wasm, foldChunks } from '../runtime/core.js';
import { assertBytes, assertInteger, InvalidArgumentError } from '../runtime/errors.js';

interface InetExports {
  ck_inet_sum(ptr: number, len: number, initial: number): number;
}

/** Folds any non-negative integer (e.g. a sum of 16-bit words) to a 16-bit one's-complement sum. */
export function foldSum(sum: number): number {
  assertInteger(sum, 'sum', 0, Number.MAX_SAFE_INTEGER);
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

function fold32(sum: number): number {
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum & 0xffff) + (sum >>> 16);
}

/**
 * One's-complement sum of `bytes` (RFC 1071 §2), added to `initial` (a previous sum, any
 * integer in [0, 2^32-1]). An odd final byte is padded with a zero octet. When summing a
 * message in pieces, every piece but the last must have even length, or use {@link combineSums}.
 * @returns folded sum, 0..0xffff (0 only when all bytes and `initial` are zero).
 */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  assertBytes(bytes, 'bytes');
  if (initial !== 0) assertInteger(initial, 'initial', 0, 0xffffffff);
  return foldChunks(bytes, initial, wasm<InetExports>().ck_inet_sum);
}

/**
 * The Internet checksum of `bytes` (RFC 1071): the value to store in an IPv4/ICMP/TCP/UDP
 * checksum field (with that field zeroed while summing). `initial` is a sum to include,
 * e.g. from {@link pseudoHeaderSumIPv4}. @returns 0..0xffff.
 */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~onesComplementSum(bytes, initial) & 0xffff;
}

/**
 * True when `bytes`, checksum field included, sums to 0xffff (RFC 1071 §1: "the result
 * should be all 1 bits"), with `initial` (e.g. a pseudo-header sum) added.
 */
export function verifyInternetChecksum(bytes: Uint8Array, initial = 0): boolean {
  return onesComplementSum(bytes, initial) === 0xffff;
}

/**
 * Sum of two adjacent pieces A||B from their sums (RFC 1071 §2(B)): when A has odd length,
 * B's bytes sit at odd offsets, so B's sum is byte-swapped first.
 */
export function combineSums(sumA: number, sumB: number, lengthA: number): number {
  assertInteger(sumA, 'sumA', 0, 0xffff);
  assertInteger(sumB, 'sumB', 0, 0xffff);
  assertInteger(lengthA, 'lengthA', 0, Number.MAX_SAFE_INTEGER);
  if (lengthA % 2 === 1) sumB = ((sumB & 0xff) << 8) | (sumB >>> 8);
  return fold32(sumA + sumB);
}

function addr(bytes: Uint8Array, n: number, field: string): number {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== n) {
    throw new InvalidArgumentError(`${field} must be a ${n}-byte Uint8Array`, { field });
  }
  let s = 0;
  for (let i = 0; i < n; i += 2) s += (bytes[i]! << 8) | bytes[i + 1]!;
  return s;
}

/**
 * Sum of the IPv4 pseudo-header (RFC 768; RFC 9293 §3.1): source and destination
 * addresses (4 bytes each), zero, protocol (6 TCP, 17 UDP), and the TCP/UDP length in
 * bytes (header + data, 0..65535). Pass it as `initial` to {@link internetChecksum}.
 */
export function pseudoHeaderSumIPv4(source: Uint8Array, destination: Uint8Array, protocol: number, length: number): number {
  assertInteger(protocol, 'protocol', 0, 255);
  assertInteger(length, 'length', 0, 0xffff);
  return fold32(addr(source, 4, 'source') + addr(destination, 4, 'destination') + protocol + length);
}

/**
 * Sum of the IPv6 pseudo-header (RFC 8200 §8.1): 16-byte source and destination, the
 * 32-bit upper-layer packet length in bytes, three zero octets and the next header
 * (6 TCP, 17 UDP, 58 ICMPv6).
 */
export function pseudoHeaderSumIPv6(source: Uint8Array, destination: Uint8Array, nextHeader: number, length: number): number {
  assertInteger(nextHeader, 'nextHeader', 0, 255);
  assertInteger(length, 'length', 0, 0xffffffff);
  return fold32(
    fold32(addr(source, 16, 'source') + addr(destination, 16, 'destination')) +
      (length >>> 16) +
      (length & 0xffff) +
      nextHeader,
  );
}

/**
 * The TCP/UDP/ICMPv6 checksum of `segment` (header + data) over IPv4 or IPv6, given the
 * pseudo-header sum. If `checksumOffset` is given, the 2 bytes there (the checksum field)
 * are treated as zero without modifying `segment`. For UDP a computed 0 is sent as 0xffff
 * (RFC 768): pass `udp: true` for that mapping.
 */
export function transportChecksum(
  pseudoHeaderSum: number,
  segment: Uint8Array,
  options: { checksumOffset?: number; udp?: boolean } = {},
): number {
  let sum = onesComplementSum(segment, pseudoHeaderSum);
  const off = options.checksumOffset;
  if (off !== undefined) {
    assertInteger(off, 'checksumOffset', 0, segment.byteLength - 2);
    const field = off % 2 === 0 ? (segment[off]! << 8) | segment[off + 1]! : (segment[off + 1]! << 8) | segment[off]!;
    sum = fold32(sum + (~field & 0xffff));
  }
  const c = ~sum & 0xffff;
  return c === 0 && options.udp ? 0xffff : c;
}

/**
 * RFC 1624 §3 incremental update, eqn. 3: `HC' = ~(~HC + ~m + m')` for one 16-bit field
 * that changed from `oldValue` (m) to `newValue` (m'). Unlike eqn. 2 this never yields
 * the -0 (0xffff) that RFC 1624 §4 warns about when the true result is 0x0000.
 */
export function updateChecksum(checksum: number, oldValue: number, newValue: number): number {
  assertInteger(checksum, 'checksum', 0, 0xffff);
  assertInteger(oldValue, 'oldValue', 0, 0xffff);
  assertInteger(newValue, 'newValue', 0, 0xffff);
  return ~fold32((~checksum & 0xffff) + (~oldValue & 0xffff) + newValue) & 0xffff;
}

/** {@link updateChecksum} for a 32-bit field (e.g. an IPv4 address or TCP sequence number). */
export function updateChecksum32(checksum: number, oldValue: number, newValue: number): number {
  assertInteger(oldValue, 'oldValue', 0, 0xffffffff);
  assertInteger(newValue, 'newValue', 0, 0xffffffff);
  assertInteger(checksum, 'checksum', 0, 0xffff);
  const s = (~checksum & 0xffff) + (~oldValue >>> 16) + (~oldValue & 0xffff) + (newValue >>> 16) + (newValue & 0xffff);
  return ~fold32(s) & 0xffff;
}
