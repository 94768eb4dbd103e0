/**
 * QUIC packet numbers (RFC 9000 §17.1, Appendix A.2 and A.3): choosing the length of the
 * truncated Packet Number field (1-4 bytes) when sending, and recovering the full 62-bit
 * packet number from a truncated one when receiving.
 *
 * Packet numbers are integers 0..2^62-1. Arguments accept a number (0..2^53-1) or a bigint.
 * Arithmetic is exact: numbers where every intermediate stays below 2^53, bigint otherwise.
 */
import { InvalidArgumentError, WirekitRangeError } from '../runtime/errors.js';

const PN_MAX = 0x3fffffffffffffffn; // 2^62-1
const SAFE = Number.MAX_SAFE_INTEGER;

/** Packet Number field length in bytes. */
export type PacketNumberLength = 1 | 2 | 3 | 4;

/** A truncated packet number: the low `length * 8` bits of the full one. */
export interface EncodedPacketNumber {
  /** Value of the Packet Number field, 0..2^(8*length)-1. */
  truncated: number;
  /** Field length in bytes. */
  length: PacketNumberLength;
}

/** Validates a packet number (0..2^62-1): returns a number when exact, else a bigint. */
function pn(value: unknown, field: string): number | bigint {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new InvalidArgumentError(`${field} must be an integer, got ${value}`, { field });
    if (value < 0 || value > SAFE) {
      throw new WirekitRangeError(`${field} ${value} is outside 0..2^53-1 (pass a bigint for larger packet numbers)`, { field });
    }
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < 0n || value > PN_MAX) throw new WirekitRangeError(`${field} ${value}n is outside 0..2^62-1`, { field });
    return value <= BigInt(SAFE) ? Number(value) : value;
  }
  throw new InvalidArgumentError(`${field} must be a number or a bigint, got ${value === null ? 'null' : typeof value}`, { field });
}

function unacked(fullPn: number | bigint, largestAcked: number | bigint | null | undefined): number {
  const full = pn(fullPn, 'fullPn');
  if (largestAcked === null || largestAcked === undefined) {
    return typeof full === 'number' ? full + 1 : Number(full + 1n);
  }
  const acked = pn(largestAcked, 'largestAcked');
  const n = typeof full === 'number' && typeof acked === 'number' ? full - acked : Number(BigInt(full) - BigInt(acked));
  if (n <= 0) {
    throw new InvalidArgumentError(`fullPn (${fullPn}) must be greater than largestAcked (${largestAcked})`, { field: 'fullPn' });
  }
  return n;
}

/**
 * Length in bytes of the Packet Number field for sending `fullPn` while `largestAcked` is
 * the largest packet number the peer acknowledged (`null`/omitted: none yet), per RFC 9000
 * §17.1 / A.2. With num_unacked = fullPn - largestAcked (or fullPn + 1 when nothing is
 * acknowledged), the field must "represent more than twice as large a range" as num_unacked:
 * the smallest L with 2^(8L) > 2 * num_unacked, i.e. num_unacked < 2^(8L-1).
 *
 * At exact powers of two (num_unacked = 128, 32768, 2^23) this follows the normative prose
 * (§17.1, a MUST) and integer bit-length implementations, and takes one byte MORE than the
 * A.2 pseudocode's real-valued `ceil((log2(num_unacked) + 1) / 8)` (which gives 1 byte for
 * 128). Both agree everywhere else, including the RFC's A.2 examples.
 *
 * @returns 1..4.
 * @throws WirekitRangeError when num_unacked >= 2^31 (no 4-byte field suffices) or a packet
 *   number is outside 0..2^62-1; InvalidArgumentError when fullPn <= largestAcked or an
 *   argument is not an integer.
 */
export function packetNumberLength(fullPn: number | bigint, largestAcked?: number | bigint | null): PacketNumberLength {
  const n = unacked(fullPn, largestAcked);
  if (n < 0x80) return 1;
  if (n < 0x8000) return 2;
  if (n < 0x800000) return 3;
  if (n < 0x80000000) return 4;
  throw new WirekitRangeError(`${n} unacknowledged packet numbers: more than a 4-byte Packet Number field can cover`, { field: 'fullPn' });
}

/**
 * The Packet Number field for sending `fullPn` (RFC 9000 §17.1, A.2): its length
 * ({@link packetNumberLength}) and the truncated value (the low 8*length bits).
 * @example encodePacketNumber(0xac5c02, 0xabe8b3) // { truncated: 0x5c02, length: 2 }
 */
export function encodePacketNumber(fullPn: number | bigint, largestAcked?: number | bigint | null): EncodedPacketNumber {
  const length = packetNumberLength(fullPn, largestAcked);
  const full = pn(fullPn, 'fullPn');
  const win = 2 ** (8 * length);
  const truncated = typeof full === 'number' ? full % win : Number(full & BigInt(win - 1));
  return { truncated, length };
}

function checkBits(pnNbits: unknown): number {
  if (pnNbits !== 8 && pnNbits !== 16 && pnNbits !== 24 && pnNbits !== 32) {
    throw new InvalidArgumentError(`pnNbits must be 8, 16, 24 or 32, got ${String(pnNbits)}`, { field: 'pnNbits' });
  }
  return pnNbits;
}

function truncatedArg(truncatedPn: unknown, bits: number): number {
  const t = typeof truncatedPn === 'bigint' && truncatedPn >= 0n && truncatedPn < 2n ** 32n ? Number(truncatedPn) : truncatedPn;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= 2 ** bits) {
    throw new InvalidArgumentError(`truncatedPn must be an integer in [0, 2^${bits}-1], got ${String(truncatedPn)}`, { field: 'truncatedPn' });
  }
  return t;
}

function tooLarge(v: number | bigint): WirekitRangeError {
  return new WirekitRangeError(`the decoded packet number ${v} exceeds 2^62-1`, { field: 'truncatedPn' });
}

/** A.3 over bigints. */
function decodeBig(largest: bigint, t: bigint, bits: bigint): bigint {
  const expected = largest + 1n;
  const win = 1n << bits;
  const hwin = win / 2n;
  const cand = (expected & ~(win - 1n)) | t;
  if (cand <= expected - hwin && cand < (1n << 62n) - win) return cand + win;
  if (cand > expected + hwin && cand >= win) return cand - win;
  return cand;
}

/** A.3, exact: numbers while every intermediate stays <= 2^53-1, else bigints. */
function decode(largestPn: number | bigint | null | undefined, truncatedPn: number | bigint, pnNbits: number): number | bigint {
  const bits = checkBits(pnNbits);
  const t = truncatedArg(truncatedPn, bits);
  const largest = largestPn === null || largestPn === undefined ? -1 : pn(largestPn, 'largestPn');
  let full: number | bigint;
  const win = 2 ** bits;
  if (typeof largest === 'number' && largest + 1 + 2 * win <= SAFE) {
    const expected = largest + 1;
    const hwin = win / 2;
    const cand = expected - (expected % win) + t;
    // (The A.3 bound `cand < 2^62 - win` always holds here.)
    if (cand <= expected - hwin) full = cand + win;
    else if (cand > expected + hwin && cand >= win) full = cand - win;
    else full = cand;
  } else {
    full = decodeBig(BigInt(largest), BigInt(t), BigInt(bits));
  }
  if (typeof full === 'bigint' && full > PN_MAX) throw tooLarge(full);
  return full;
}

/**
 * Recovers a full packet number from the `pnNbits`-bit Packet Number field `truncatedPn`,
 * given `largestPn`, the largest packet number successfully processed in this packet number
 * space (`null`/`undefined`: none yet, so the expected packet number is 0). RFC 9000 §17.1,
 * Appendix A.3, exactly: the candidate closest to largestPn + 1.
 * @param pnNbits 8, 16, 24 or 32 (the field length in bits).
 * @returns a number (0..2^53-1).
 * @throws WirekitRangeError when the result exceeds 2^53-1 (use {@link decodePacketNumberBig})
 *   or 2^62-1 (possible when largestPn is within 2^31 of 2^62: not a valid packet number);
 *   InvalidArgumentError for bad arguments (truncatedPn must be < 2^pnNbits).
 * @example decodePacketNumber(0xa82f30ea, 0x9b32, 16) // 0xa82f9b32
 */
export function decodePacketNumber(largestPn: number | bigint | null | undefined, truncatedPn: number | bigint, pnNbits: number): number {
  const full = decode(largestPn, truncatedPn, pnNbits);
  if (typeof full === 'number') return full;
  if (full > BigInt(SAFE)) {
    throw new WirekitRangeError(`the decoded packet number ${full} exceeds 2^53-1: use decodePacketNumberBig`, { field: 'largestPn' });
  }
  return Number(full);
}

/** As {@link decodePacketNumber}, returning a bigint (0..2^62-1). */
export function decodePacketNumberBig(largestPn: number | bigint | null | undefined, truncatedPn: number | bigint, pnNbits: number): bigint {
  const full = decode(largestPn, truncatedPn, pnNbits);
  return typeof full === 'bigint' ? full : BigInt(full);
}
