/**
 * HPACK decoder (RFC 7541). State (the dynamic table) lives in linear memory; each call crosses
 * into Wasm once per header block (or once per fed piece, and only when the piece completes a
 * field), then materialises all strings of the call from one latin1 pass.
 */
import { wasm, alloc, free, heapU8, guard, generation, assertGeneration } from '../runtime/core.js';
import { assertBytes, assertInteger, InvalidArgumentError } from '../runtime/errors.js';
import { HpackError } from '../http2/errors.js';
import { STATIC_NAMES, STATIC_VALUES } from './static-table.js';
import { workArea, heapU32, latin1 } from './work.js';

interface DecoderExports {
  hp_dec_ctx_size(cap: number): number;
  hp_dec_init(ctx: number, cap: number, listLimit: number): void;
  hp_dec_settings(ctx: number, n: number): void;
  hp_dec_run(ctx: number, inp: number, len: number, flags: number, rec: number, recCap: number, out: number, outCap: number): number;
  hp_dec_migrate(from: number, to: number): void;
}

/** A decoded header field. Strings hold one char per octet (U+0000..U+00FF), byte-exact. */
export interface HeaderField {
  name: string;
  value: string;
  /** Sent as "never indexed" (RFC 7541 §6.2.3): keep it out of any re-encoding's table. */
  sensitive: boolean;
}

export interface HpackDecoderOptions {
  /** SETTINGS_HEADER_TABLE_SIZE this decoder advertises, octets (default 4096, RFC 9113 §6.5.2). */
  maxTableSize?: number;
  /**
   * Largest decoded header list accepted, octets counted as name + value + 32 per field (RFC 9113
   * §6.5.2). Default 65536. Checked while decoding, before any string is materialised.
   */
  maxHeaderListSize?: number;
}

// Context fields (byte offsets, see assembly/hpack/decoder.ts).
const F_CAP = 0, F_MASK = 4, F_SETTINGS = 8, F_CUR_MAX = 12, F_SIZE = 16, F_COUNT = 20, F_SEQ = 28;
const F_LIST = 48, F_OVERFLOW = 56, F_CONSUMED = 64, F_NEEDED = 68, F_OUT_USED = 72, F_ERR_AT = 76;
const HDR = 128, ENTRY = 12, REC = 24;

const REASONS: Record<number, [string, string]> = {
  1: ['TRUNCATED', 'the header block ends inside a field representation'],
  2: ['INTEGER_OVERFLOW', 'an integer exceeds 2^32-1 or 5 continuation octets (RFC 7541 §5.1)'],
  3: ['INDEX_ZERO', 'indexed field with index 0 (RFC 7541 §6.1)'],
  4: ['INDEX_OUT_OF_RANGE', 'index beyond the static and dynamic tables (RFC 7541 §2.3.3)'],
  5: ['HUFFMAN_EOS', 'Huffman string contains the EOS symbol (RFC 7541 §5.2)'],
  6: ['HUFFMAN_PADDING', 'Huffman padding longer than 7 bits or not all ones (RFC 7541 §5.2)'],
  7: ['TABLE_SIZE_UPDATE_TOO_LARGE', 'dynamic table size update above SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §6.3)'],
  8: ['TABLE_SIZE_UPDATE_POSITION', 'dynamic table size update after the first field of the block (RFC 7541 §4.2)'],
  9: ['TABLE_SIZE_UPDATE_MISSING', 'block does not start with the size update required after SETTINGS lowered the table size (RFC 7541 §4.2)'],
  10: ['STRING_TOO_LONG', 'a string literal is longer than the header list limit allows'],
  12: ['OUTPUT', 'internal output area exhausted'],
};

const registry = new FinalizationRegistry<Uint8Array>((ctx) => {
  try {
    free(ctx);
  } catch {
    // instance replaced meanwhile
  }
});

/**
 * Decodes HPACK header blocks of one direction of one connection.
 *
 * - `decode(block)`: one complete header block (HEADERS/PUSH_PROMISE + CONTINUATION payloads
 *   joined) → fields in order.
 * - `push(piece)` ... `end()`: the same block fed in pieces (e.g. frame by frame); total cost is
 *   linear in the block size however it is split (no re-decoding, CVE-2022-41723).
 * - Any error but HEADER_LIST_TOO_LARGE is sticky: every later call throws it again (RFC 9113 §4.3).
 */
export class HpackDecoder {
  #ctx: Uint8Array;
  #limit: number;
  #names: string[] = [];
  #values: string[] = [];
  #seqs: number[] = [];
  #error: HpackError | undefined;
  #disposed = false;
  #ptr: number; // this.#ctx.byteOffset (getters on linear-memory views are slow)
  #overflow = 0;
  #cap: number;
  #inBlock = false;
  #fields: HeaderField[] = [];
  #pending = new Uint8Array(0);
  #pendingLen = 0;
  #needed = 0;
  #offset = 0; // octets of the current block consumed by earlier pieces
  #gen = 0; // instance generation this object's memory belongs to (set after wasm() initialised)

  constructor(options: HpackDecoderOptions = {}) {
    const cap = options.maxTableSize ?? 4096;
    assertInteger(cap, 'maxTableSize', 0, 2 ** 30);
    const limit = options.maxHeaderListSize ?? 65536;
    if (limit !== Infinity) assertInteger(limit, 'maxHeaderListSize', 0, 2 ** 32 - 1);
    this.#limit = limit === Infinity ? 2 ** 32 - 1 : limit;
    const w = wasm<DecoderExports>();
    this.#gen = generation();
    this.#cap = cap;
    this.#ctx = alloc(w.hp_dec_ctx_size(cap));
    this.#ptr = this.#ctx.byteOffset;
    w.hp_dec_init(this.#ptr, cap, this.#limit);
    registry.register(this, this.#ctx, this);
  }

  /** Releases the table memory now (otherwise on garbage collection). The decoder is unusable after. */
  dispose(): void {
    registry.unregister(this);
    free(this.#ctx);
    this.#disposed = true;
  }

  #get(field: number): number {
    return heapU32()[(this.#ptr + field) >>> 2]!;
  }

  /**
   * Sets the SETTINGS_HEADER_TABLE_SIZE this decoder advertises (call when the SETTINGS frame is
   * acknowledged). Lowering it below the table's current maximum requires the peer's next block
   * to start with a dynamic table size update (RFC 7541 §4.2); raising it allows larger updates.
   * Not inside a block fed with push(): no frame can come between a header block's frames (RFC
   * 9113 §6.10), so neither can the SETTINGS acknowledgement.
   * @throws InvalidArgumentError for a size outside 0..2^30 or while a push() block is open.
   */
  setMaxTableSize(n: number): void {
    assertInteger(n, 'maxTableSize', 0, 2 ** 30);
    this.#alive();
    if (this.#inBlock) throw new InvalidArgumentError('a block fed with push() is in progress: call end() first', { field: 'maxTableSize' });
    const w = wasm<DecoderExports>();
    if (n > this.#get(F_CAP)) {
      const next = alloc(w.hp_dec_ctx_size(n));
      w.hp_dec_init(next.byteOffset, n, this.#limit);
      w.hp_dec_migrate(this.#ctx.byteOffset, next.byteOffset);
      w.hp_dec_settings(next.byteOffset, this.#get(F_SETTINGS));
      registry.unregister(this);
      free(this.#ctx);
      this.#ctx = next;
      this.#ptr = next.byteOffset;
      this.#cap = n;
      registry.register(this, next, this);
      this.#seqs = [];
      this.#syncCache();
    }
    w.hp_dec_settings(this.#ptr, n);
  }

  /** Current dynamic table size (RFC 7541 §4.1), octets. */
  get tableSize(): number {
    return this.#get(F_SIZE);
  }

  /** Current dynamic table maximum (the last size update, or SETTINGS), octets. */
  get maxTableSize(): number {
    return this.#get(F_CUR_MAX);
  }

  /** The dynamic table, newest entry first (index 62 first), with entry sizes (§4.1). */
  table(): Array<{ name: string; value: string; size: number }> {
    const count = this.#get(F_COUNT), seq = this.#get(F_SEQ);
    const out = [];
    for (let i = 1; i <= count; i++) {
      const s = (seq - i) >>> 0;
      const name = this.#entry(s, true), value = this.#entry(s, false);
      out.push({ name, value, size: name.length + value.length + 32 });
    }
    return out;
  }

  /** Name or value of live entry `seq`, from the cache or read out of the table. */
  #entry(seq: number, name: boolean): string {
    const mask = this.#get(F_MASK);
    const slot = seq & mask;
    if (this.#seqs[slot] !== seq) {
      const base = this.#ptr;
      const e = base + HDR + slot * ENTRY;
      const ring = base + HDR + (((mask + 1) * ENTRY + 7) & ~7);
      const cap = this.#get(F_CAP);
      const u32 = heapU32(), u8 = heapU8();
      const pos = u32[e >>> 2]!, nl = u32[(e >>> 2) + 1]!, vl = u32[(e >>> 2) + 2]!;
      const read = (p: number, n: number): string => {
        const first = Math.min(n, cap - p);
        const a = latin1(u8, ring + p, ring + p + first);
        return first < n ? a + latin1(u8, ring, ring + n - first) : a;
      };
      this.#names[slot] = read(pos, nl);
      this.#values[slot] = read(pos + nl >= cap ? pos + nl - cap : pos + nl, vl);
      this.#seqs[slot] = seq;
    }
    return name ? this.#names[slot]! : this.#values[slot]!;
  }

  /** Caches every live entry not cached yet (entries inserted while not emitting, or after a move). */
  #syncCache(): void {
    const count = this.#get(F_COUNT), seq = this.#get(F_SEQ);
    for (let i = 1; i <= count; i++) this.#entry((seq - i) >>> 0, true);
  }

  #alive(): void {
    assertGeneration(this.#gen, 'HpackDecoder');
    if (this.#error) throw this.#error;
    if (this.#disposed) throw new InvalidArgumentError('this HpackDecoder was disposed', { field: 'this' });
  }

  /** Decodes one complete header block. @throws HpackError (see the class notes). */
  decode(block: Uint8Array): HeaderField[] {
    assertBytes(block, 'block');
    this.#alive();
    if (this.#inBlock) throw new InvalidArgumentError('a block fed with push() is in progress: call end() first', { field: 'block' });
    this.#fields = [];
    this.#offset = 0;
    this.#run(block, 3);
    return this.#finish();
  }

  /**
   * Feeds the next piece of a header block (any split). Fields completed so far are kept until
   * {@link end}. Input that cannot complete a field is buffered, not decoded again and again.
   */
  push(piece: Uint8Array): void {
    assertBytes(piece, 'piece');
    this.#alive();
    const first = !this.#inBlock;
    if (first) {
      this.#inBlock = true;
      this.#fields = [];
      this.#offset = 0;
      this.#pendingLen = 0;
      this.#needed = 0;
    }
    if (this.#pendingLen === 0 && piece.byteLength >= this.#needed) {
      this.#run(piece, first ? 1 : 0);
      return;
    }
    this.#append(piece);
    if (this.#pendingLen >= this.#needed) this.#run(this.#pending.subarray(0, this.#pendingLen), first ? 1 : 0);
  }

  /** Ends the block fed with {@link push} (no push: an empty block) and returns its fields. */
  end(): HeaderField[] {
    this.#alive();
    if (!this.#inBlock) return this.decode(new Uint8Array(0)); // an empty block
    this.#inBlock = false;
    this.#run(this.#pending.subarray(0, this.#pendingLen), 2);
    this.#pendingLen = 0;
    return this.#finish();
  }

  #append(piece: Uint8Array): void {
    const need = this.#pendingLen + piece.byteLength;
    if (need > this.#pending.byteLength) {
      const next = new Uint8Array(Math.max(need, this.#pending.byteLength * 2, 256));
      next.set(this.#pending.subarray(0, this.#pendingLen));
      this.#pending = next;
    }
    this.#pending.set(piece, this.#pendingLen);
    this.#pendingLen = need;
  }

  #finish(): HeaderField[] {
    const fields = this.#fields;
    this.#fields = [];
    if (this.#overflow) {
      throw new HpackError('PROTOCOL_ERROR', 'HEADER_LIST_TOO_LARGE', `decoded header list is larger than maxHeaderListSize (${this.#limit} octets; at least ${this.#get(F_LIST)})`, {
        needed: this.#get(F_LIST),
        available: this.#limit,
        field: 'maxHeaderListSize',
      });
    }
    return fields;
  }

  /** One crossing: decodes `bytes` (flags: 1 first piece, 2 last piece), appends fields. */
  #run(bytes: Uint8Array, flags: number): void {
    const w = wasm<DecoderExports>();
    const len = bytes.byteLength;
    const limit = this.#limit;
    const recCap = Math.min(Math.floor(limit / 32) + 2, len + 1);
    const outCap = Math.min(limit, 2 * len) + 2 * len + this.#cap + 64;
    const area = workArea(recCap * REC + outCap + len);
    const out = area + recCap * REC;
    let u8 = heapU8();
    let inp = 0;
    if (len > 0) {
      // Already in linear memory (e.g. from alloc()): no copy. Small blocks are copied without
      // looking (the buffer getter costs about as much as copying them).
      if (len >= 1024 && bytes.buffer === u8.buffer) inp = bytes.byteOffset;
      else {
        inp = out + outCap;
        u8.set(bytes, inp);
      }
    }
    const ctx = this.#ptr;
    let n: number;
    try {
      n = w.hp_dec_run(ctx, inp, len, flags, area, recCap, out, outCap);
    } catch (e) {
      // A trap is a wirekit bug: the runtime resets the instance and throws RuntimeError WASM_TRAP.
      this.#disposed = true;
      return guard(() => {
        throw e;
      });
    }
    const u32 = heapU32(), c = ctx >>> 2;
    u8 = heapU8();
    if (n < 0) {
      const at = this.#offset + this.#get(F_ERR_AT);
      const [reason, text] = REASONS[-n] ?? ['UNKNOWN', `error ${-n}`];
      this.#inBlock = false;
      this.#error = new HpackError('COMPRESSION_ERROR', reason, `HPACK: ${text} at octet ${at}`, { offset: at, field: 'block' });
      throw this.#error;
    }
    const consumed = u32[c + F_CONSUMED / 4]!;
    if (flags & 2) this.#pendingLen = 0;
    else {
      this.#needed = u32[c + F_NEEDED / 4]!;
      const rest = len - consumed;
      if (bytes === this.#pending.subarray(0, len) || bytes.buffer === this.#pending.buffer) {
        this.#pending.copyWithin(0, consumed, len);
        this.#pendingLen = rest;
      } else {
        this.#pendingLen = 0;
        if (rest > 0) this.#append(bytes.subarray(consumed));
      }
    }
    this.#offset += consumed;
    this.#overflow = u32[c + F_OVERFLOW / 4]!;
    if (this.#overflow) this.#syncCache();
    if (n === 0) return;
    const outUsed = u32[c + F_OUT_USED / 4]!;
    const str = outUsed > 0 ? latin1(u8, out, out + outUsed) : '';
    const fields = this.#fields;
    const mask = u32[c + F_MASK / 4]!;
    const seqs = this.#seqs, names = this.#names, values = this.#values;
    for (let i = 0, r = area >>> 2; i < n; i++, r += REC >>> 2) {
      const f = u32[r]!, nref = u32[r + 1]!, vref = u32[r + 3]!;
      const nk = f & 3, vk = (f >>> 2) & 3;
      const name =
        nk === 0 ? str.substring(nref, nref + u32[r + 2]!)
        : nk === 1 ? STATIC_NAMES[nref]!
        : seqs[nref & mask] === nref ? names[nref & mask]! : this.#entry(nref, true);
      const value =
        vk === 0 ? str.substring(vref, vref + u32[r + 4]!)
        : vk === 1 ? STATIC_VALUES[vref]!
        : seqs[vref & mask] === vref ? values[vref & mask]! : this.#entry(vref, false);
      if (f & 32) {
        const seq = u32[r + 5]!, slot = seq & mask;
        names[slot] = name;
        values[slot] = value;
        seqs[slot] = seq;
      }
      fields.push({ name, value, sensitive: (f & 16) !== 0 });
    }
  }
}
