/**
 * HPACK encoder (RFC 7541) with an indexing policy modelled on nghttp2's: exact matches are
 * indexed; `authorization`, cookies shorter than 20 octets and caller-flagged fields are sent
 * never-indexed (§6.2.3, §7.1); `:path`, `age`, `content-length`, `etag`, `if-modified-since`,
 * `if-none-match`, `location`, `set-cookie` and entries larger than 3/4 of the table are sent
 * without indexing; everything else is indexed incrementally. One Wasm crossing per block.
 */
import { wasm, alloc, free, heapU8, guard } from '../runtime/core.js';
import { assertInteger, InvalidArgumentError } from '../runtime/errors.js';
import { workArea, heapU32, copyOut } from './work.js';
import { STATIC_NAMES } from './static-table.js';

interface EncoderExports {
  hp_enc_ctx_size(cap: number): number;
  hp_enc_init(ctx: number, cap: number): void;
  hp_enc_get(ctx: number, field: number): number;
  hp_enc_set_max(ctx: number, n: number): void;
  hp_enc_run(ctx: number, fields: number, n: number, bytes: number, out: number, mode: number): number;
}

/**
 * A field to encode: `{ name, value, sensitive? }` or `[name, value]`. Strings are octet strings:
 * every char must be U+0000..U+00FF (use latin1 / ASCII; encode other text to bytes first).
 * Names should be lower case (RFC 9113 §8.2.1); HPACK itself carries any octets.
 */
export type HeaderInput =
  | {
      name: string;
      value: string;
      /** Never indexed (§6.2.3), also by intermediaries: secrets such as tokens. */
      sensitive?: boolean;
      /** Overrides the policy for this field: §6.2.1 'incremental', §6.2.2 'without', §6.2.3 'never'. */
      indexing?: 'incremental' | 'without' | 'never';
    }
  | readonly [string, string];

export interface HpackEncoderOptions {
  /**
   * The peer decoder's SETTINGS_HEADER_TABLE_SIZE at the start (default 4096) and the most this
   * encoder will ever use, octets. Later SETTINGS go through {@link HpackEncoder.setMaxTableSize}.
   */
  maxTableSize?: number;
  /** 'auto' (default): Huffman only when strictly shorter. 'always' or 'never'. */
  huffman?: 'auto' | 'always' | 'never';
}

const F_MAX = 8, F_SIZE = 12, F_COUNT = 16;
const utf8 = new TextEncoder();
let staging = new Uint32Array(96);
/** Static table name -> its first index (RFC 7541 Appendix A). */
const STATIC_NAME_INDEX = new Map<string, number>();
STATIC_NAMES.forEach((n, i) => i > 0 && !STATIC_NAME_INDEX.has(n) && STATIC_NAME_INDEX.set(n, i));
type Latin1Write = (this: Uint8Array, s: string, offset: number, length: number) => number;
const NodeBuffer = (globalThis as { Buffer?: { byteLength(s: string, enc: string): number; prototype: { latin1Write?: Latin1Write } } }).Buffer;
const nodeLatin1Write = NodeBuffer?.prototype.latin1Write;

/** Writes `s` at u8[p] if it is all ASCII (one native call); false (nothing promised) otherwise. */
function writeAscii(s: string, u8: Uint8Array, p: number): boolean {
  const n = s.length;
  if (n <= 64) {
    // Short: a JS loop beats the native calls' fixed cost.
    let bad = 0;
    for (let k = 0; k < n; k++) {
      const c = s.charCodeAt(k);
      bad |= c;
      u8[p + k] = c;
    }
    return bad < 0x80;
  }
  if (nodeLatin1Write !== undefined) {
    if (NodeBuffer!.byteLength(s, 'utf8') !== n) return false;
    nodeLatin1Write.call(u8, s, p, n);
    return true;
  }
  const r = utf8.encodeInto(s, u8.subarray(p, p + n));
  return r.read === n && r.written === n;
}
const MODES = { auto: 0, always: 1, never: 2 } as const;

const registry = new FinalizationRegistry<Uint8Array>((ctx) => {
  try {
    free(ctx);
  } catch {
    // instance replaced meanwhile
  }
});

export class HpackEncoder {
  #ctx: Uint8Array;
  #cap: number;
  #mode: number;

  constructor(options: HpackEncoderOptions = {}) {
    const cap = options.maxTableSize ?? 4096;
    assertInteger(cap, 'maxTableSize', 0, 2 ** 30);
    const h = options.huffman ?? 'auto';
    if (!(h in MODES)) throw new InvalidArgumentError(`huffman must be 'auto', 'always' or 'never', got ${String(h)}`, { field: 'huffman' });
    this.#mode = MODES[h];
    this.#cap = cap;
    const w = wasm<EncoderExports>();
    this.#ctx = alloc(w.hp_enc_ctx_size(cap));
    w.hp_enc_init(this.#ctx.byteOffset, cap);
    registry.register(this, this.#ctx, this);
  }

  /** Releases the table memory now (otherwise on garbage collection). */
  dispose(): void {
    registry.unregister(this);
    free(this.#ctx);
  }

  /**
   * Applies the peer's new SETTINGS_HEADER_TABLE_SIZE (clamped to the constructor's maxTableSize).
   * The next block starts with the size update(s): the smallest value set since the last block,
   * then the final one, as RFC 7541 §4.2 requires.
   */
  setMaxTableSize(n: number): void {
    assertInteger(n, 'maxTableSize', 0, 2 ** 32 - 1);
    wasm<EncoderExports>().hp_enc_set_max(this.#ctx.byteOffset, Math.min(n, this.#cap));
  }

  /** Current dynamic table size (§4.1) and maximum, octets; entry count. */
  get tableSize(): number {
    return wasm<EncoderExports>().hp_enc_get(this.#ctx.byteOffset, F_SIZE);
  }
  get maxTableSize(): number {
    return wasm<EncoderExports>().hp_enc_get(this.#ctx.byteOffset, F_MAX);
  }
  get tableLength(): number {
    return wasm<EncoderExports>().hp_enc_get(this.#ctx.byteOffset, F_COUNT);
  }

  /**
   * Encodes one header list into one header block. The result is a new Uint8Array of its own
   * bytes; when small it is a view into a shared pool buffer (non-zero `byteOffset`), like a
   * Node Buffer.
   */
  encode(headers: readonly HeaderInput[]): Uint8Array {
    if (!Array.isArray(headers)) throw new InvalidArgumentError('headers must be an array of { name, value } or [name, value]', { field: 'headers' });
    const n = headers.length;
    const fieldsLen = n * 12;
    // One pass over the fields: shapes, records (name length, value length, flags) into a JS
    // staging array, and all strings joined (a rope, flattened once by the native write).
    if (staging.length < 3 * n) staging = new Uint32Array(Math.max(3 * n, 2 * staging.length));
    let all = '';
    for (let i = 0, f = 0; i < n; i++, f += 3) {
      const h = headers[i] as { name?: unknown; value?: unknown; sensitive?: boolean; indexing?: string } | [unknown, unknown];
      let name: unknown, value: unknown, flags = 0;
      if (Array.isArray(h)) {
        name = h[0];
        value = h[1];
      } else {
        name = h?.name;
        value = h?.value;
        if (h?.sensitive || h?.indexing === 'never') flags = 1;
        else if (h?.indexing !== undefined) flags = h.indexing === 'incremental' ? 2 : h.indexing === 'without' ? 4 : 0;
      }
      if (typeof name !== 'string' || typeof value !== 'string') {
        throw new InvalidArgumentError(`headers[${i}]: name and value must be strings`, { field: `headers[${i}]` });
      }
      const si = STATIC_NAME_INDEX.get(name);
      if (si !== undefined) {
        staging[f] = 0; // the Wasm side takes the name from the static table
        flags |= si << 8;
      } else {
        staging[f] = name.length;
        all += name;
      }
      staging[f + 1] = value.length;
      staging[f + 2] = flags;
      all += value;
    }
    const bytes = all.length;
    const outCap = 4 * bytes + 12 * n + 16;
    const area = workArea(fieldsLen + bytes + outCap);
    const u8 = heapU8(), u32 = heapU32();
    u32.set(staging.subarray(0, 3 * n), area >>> 2);
    // Pass 2: the octets. ASCII (the common case) in one native call; otherwise char by char.
    const p0 = area + fieldsLen;
    if (!writeAscii(all, u8, p0)) {
      for (let k = 0; k < bytes; k++) {
        const c = all.charCodeAt(k);
        if (c > 0xff) {
          let i = 0;
          for (let at = k, f = area >>> 2; at >= u32[f]! + u32[f + 1]!; i++, f += 3) at -= u32[f]! + u32[f + 1]!;
          throw new InvalidArgumentError(`headers[${i}]: names and values are octet strings; a char above U+00FF is not allowed (encode text to bytes first)`, {
            field: `headers[${i}]`,
          });
        }
        u8[p0 + k] = c;
      }
    }
    const out = area + fieldsLen + bytes;
    let len: number;
    try {
      len = wasm<EncoderExports>().hp_enc_run(this.#ctx.byteOffset, area, n, area + fieldsLen, out, this.#mode);
    } catch (e) {
      return guard(() => {
        throw e; // a trap (a wirekit bug): the runtime resets the instance, throws RuntimeError WASM_TRAP
      });
    }
    return copyOut(out, len);
  }
}
