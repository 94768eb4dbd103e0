/**
 * TCP payload reassembly for capture dissection: one {@link TcpDirection} per connection and
 * direction turns segments (in capture order, any checksum status) into the in-order byte stream.
 *
 * Sequence numbers are compared modulo 2^32 (RFC 9293 §3.4). A SYN fixes the first payload octet
 * at ISN + 1; without a SYN (capture started mid-connection) the first data segment seen starts
 * the stream. Retransmissions and overlaps are trimmed to the octets not delivered yet (the first
 * copy wins, as tshark's reassembly); segments ahead of the next expected octet are held, sorted,
 * up to `maxBuffered` octets per direction, and released once the gap is filled. Segments beyond
 * that bound, or more than 2^30 octets ahead (garbage), are dropped and counted.
 */

/** Default bound on out-of-order octets held per direction (1 MiB). */
export const DEFAULT_MAX_BUFFERED = 1 << 20;

/** Octets that all directions sharing it may still hold out of order (a global bound). */
export interface HoldBudget {
  left: number;
}

/** Signed distance a - b in sequence space (RFC 9293 §3.4), in octets. */
const seqDiff = (a: number, b: number): number => (a - b) | 0;

export class TcpDirection {
  #next: number | undefined;
  #held: Array<{ seq: number; data: Uint8Array }> = [];
  #heldBytes = 0;
  #max: number;
  #budget: HoldBudget | undefined;
  /** Segments (or parts) dropped: the hold buffer was full or the segment was absurdly far ahead. */
  dropped = 0;
  /** Octets delivered in order so far. */
  delivered = 0;

  /** `maxBuffered`: octets held out of order by this direction; `budget`: a bound shared with others. */
  constructor(maxBuffered = DEFAULT_MAX_BUFFERED, budget?: HoldBudget) {
    this.#max = maxBuffered;
    this.#budget = budget;
  }

  /** The initial sequence number of the first SYN seen, if any. */
  isn: number | undefined;

  /**
   * A SYN with initial sequence number `isn` (fixes the stream start at isn + 1 only before any
   * data) and the data it carries, if any (TCP Fast Open): the SYN occupies `isn`, its data starts
   * at isn + 1 (RFC 9293 §3.4). Returns what that data makes available in order, as {@link push}.
   */
  syn(isn: number, data?: Uint8Array): Uint8Array[] {
    isn >>>= 0;
    if (this.isn === undefined) this.isn = isn;
    if (this.#next === undefined) this.#next = (isn + 1) >>> 0;
    return data && data.byteLength > 0 ? this.push(isn + 1, data) : [];
  }

  /** Whether the stream start is known (a SYN or a first data segment was seen). */
  get started(): boolean {
    return this.#next !== undefined;
  }

  /** Octets held out of order, waiting for a gap to be filled. */
  get held(): number {
    return this.#heldBytes;
  }

  /**
   * One segment's payload at sequence number `seq` (the raw 32-bit value). Returns the octets this
   * segment makes available in order (none, its own new part, and any held segments it joins),
   * as views; empty when it only retransmits, or arrives early.
   */
  push(seq: number, data: Uint8Array): Uint8Array[] {
    seq >>>= 0;
    if (data.byteLength === 0) return [];
    if (this.#next === undefined) this.#next = seq;
    const out: Uint8Array[] = [];
    const d = seqDiff(seq, this.#next);
    if (d > 0) {
      this.#hold(seq, data);
      return out;
    }
    this.#take(data.subarray(-d), out);
    // Release held segments the stream now reaches.
    while (this.#held.length > 0) {
      const h = this.#held[0]!;
      const hd = seqDiff(h.seq, this.#next!);
      if (hd > 0) break;
      this.#held.shift();
      this.#heldBytes -= h.data.byteLength;
      if (this.#budget) this.#budget.left += h.data.byteLength;
      this.#take(h.data.subarray(-hd), out);
    }
    return out;
  }

  #take(part: Uint8Array, out: Uint8Array[]): void {
    if (part.byteLength === 0) return;
    out.push(part);
    this.#next = (this.#next! + part.byteLength) >>> 0;
    this.delivered += part.byteLength;
  }

  #hold(seq: number, data: Uint8Array): void {
    const ahead = seqDiff(seq, this.#next!);
    if (ahead >= 1 << 30 || this.#heldBytes + data.byteLength > this.#max || (this.#budget && this.#budget.left < data.byteLength)) {
      this.dropped++;
      return;
    }
    // Keep the list sorted by distance from the next expected octet; a copy: the frame is reused.
    let i = this.#held.length;
    while (i > 0 && seqDiff(this.#held[i - 1]!.seq, seq) > 0) i--;
    this.#held.splice(i, 0, { seq, data: data.slice() });
    this.#heldBytes += data.byteLength;
    if (this.#budget) this.#budget.left -= data.byteLength;
  }

  /** Drops everything held (the direction is no longer followed), returning it to the budget. */
  release(): void {
    if (this.#budget) this.#budget.left += this.#heldBytes;
    this.#held = [];
    this.#heldBytes = 0;
  }
}

/** An endpoint address and port, as the key of one direction. */
export interface Endpoint {
  addr: string;
  port: number;
}

/** The key of a connection, the same for both directions, and which side `src` is (0 or 1). */
export function connectionKey(src: Endpoint, dst: Endpoint): { key: string; side: 0 | 1 } {
  const a = `${src.addr}|${src.port}`;
  const b = `${dst.addr}|${dst.port}`;
  return a <= b ? { key: `${a}>${b}`, side: 0 } : { key: `${b}>${a}`, side: 1 };
}
