/**
 * HPACK encoder (RFC 7541) with an indexing policy modelled on nghttp2's: exact matches are
 * indexed; `authorization`, cookies shorter than 20 octets and caller-flagged fields are sent
 * never-indexed (§6.2.3, §7.1); `:path`, `age`, `content-length`, `etag`, `if-modified-since`,
 * `if-none-match`, `location`, `set-cookie` and entries larger than 3/4 of the table are sent
 * without indexing; everything else is indexed incrementally. One Wasm crossing per block.
 */
import { wasm, alloc, free, heapU8 } from '../runtime/core.js';
import { assertInteger, InvalidArgumentError } from '../runtime/errors.js';
import { workArea, heapU32 } from './work.js';

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

  /** Encodes one header list into one header block (a new Uint8Array). */
  encode(headers: readonly HeaderInput[]): Uint8Array {
    if (!Array.isArray(headers)) throw new InvalidArgumentError('headers must be an array of { name, value } or [name, value]', { field: 'headers' });
    const n = headers.length;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const h = headers[i] as { name?: unknown; value?: unknown; 0?: unknown; 1?: unknown };
      const name = Array.isArray(h) ? h[0] : h?.name;
      const value = Array.isArray(h) ? h[1] : h?.value;
      if (typeof name !== 'string' || typeof value !== 'string') {
        throw new InvalidArgumentError(`headers[${i}]: name and value must be strings`, { field: `headers[${i}]` });
      }
      bytes += name.length + value.length;
    }
    const fieldsLen = n * 12;
    const outCap = 4 * bytes + 12 * n + 16;
    const area = workArea(fieldsLen + bytes + outCap);
    const u8 = heapU8(), u32 = heapU32();
    let p = area + fieldsLen;
    for (let i = 0, f = area >>> 2; i < n; i++, f += 3) {
      const h = headers[i]!;
      let name: string, value: string, flags = 0;
      if (Array.isArray(h)) {
        name = h[0];
        value = h[1];
      } else {
        const o = h as { name: string; value: string; sensitive?: boolean; indexing?: string };
        name = o.name;
        value = o.value;
        if (o.sensitive || o.indexing === 'never') flags = 1;
        else if (o.indexing === 'incremental') flags = 2;
        else if (o.indexing === 'without') flags = 4;
      }
      let bad = 0;
      for (let k = 0; k < name.length; k++) {
        const c = name.charCodeAt(k);
        bad |= c;
        u8[p++] = c;
      }
      for (let k = 0; k < value.length; k++) {
        const c = value.charCodeAt(k);
        bad |= c;
        u8[p++] = c;
      }
      if (bad > 0xff) {
        throw new InvalidArgumentError(`headers[${i}]: names and values are octet strings; a char above U+00FF is not allowed (encode text to bytes first)`, {
          field: `headers[${i}]`,
        });
      }
      u32[f] = name.length;
      u32[f + 1] = value.length;
      u32[f + 2] = flags;
    }
    const out = area + fieldsLen + bytes;
    const len = wasm<EncoderExports>().hp_enc_run(this.#ctx.byteOffset, area, n, area + fieldsLen, out, this.#mode);
    return heapU8().slice(out, out + len);
  }
}
