// A valid block with one string longer than maxHeaderListSize allows is a non-fatal
// HEADER_LIST_TOO_LARGE (like any other oversize list), not a fatal COMPRESSION_ERROR: the
// decoder keeps its dynamic table in sync with the encoder (§4.4) and decodes the next blocks.
import { describe, expect, test } from 'vitest';
import { HpackDecoder, HpackEncoder, HpackError } from '../../src/index.js';

type F = [string, string];
const plain = (fs: { name: string; value: string }[]): F[] => fs.map((f) => [f.name, f.value]);

function tooLarge(fn: () => unknown): HpackError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HpackError);
    const err = e as HpackError & { reason: string; http2Code: string };
    expect(err.reason).toBe('HEADER_LIST_TOO_LARGE');
    expect(err.http2Code).toBe('PROTOCOL_ERROR');
    return err;
  }
  throw new Error('expected HEADER_LIST_TOO_LARGE');
}

describe('HPACK: one string longer than the list limit', () => {
  for (const huffman of ['never', 'always'] as const) {
    for (const tableSize of [4096, 65536]) {
      test(`33 KB cookie, limit 8192, huffman ${huffman}, table ${tableSize}`, () => {
        const enc = new HpackEncoder({ huffman, maxTableSize: tableSize });
        const dec = new HpackDecoder({ maxHeaderListSize: 8192, maxTableSize: tableSize });
        const cookie = 'c=' + 'abcdefghij'.repeat(3300);
        const first: F[] = [[':method', 'GET'], [':path', '/'], ['cookie', cookie], ['x-after', 'tail']];
        tooLarge(() => dec.decode(enc.encode(first)));
        // The table stays in sync: later blocks that reference it decode to the encoder's input.
        const next: F[] = [[':method', 'GET'], [':path', '/'], ['x-after', 'tail'], ['cookie', 'small']];
        expect(plain(dec.decode(enc.encode(next)))).toEqual(next);
        const again: F[] = [['x-after', 'tail'], ['cookie', 'small'], [':path', '/2']];
        expect(plain(dec.decode(enc.encode(again)))).toEqual(again);
      });
    }
  }

  test('hand-built incremental-indexing literal: small table evicts to 0, large table inserts', () => {
    const lit = (n: number): number[] => {
      const out: number[] = [];
      if (n < 127) out.push(n);
      else {
        out.push(127);
        let v = n - 127;
        while (v >= 128) { out.push((v & 127) | 128); v >>>= 7; }
        out.push(v);
      }
      return out;
    };
    const str = (s: string): number[] => [...lit(s.length), ...Buffer.from(s, 'latin1')];
    const B = (...a: number[][]): Uint8Array => Uint8Array.from(a.flat());
    for (const n of [400, 500, 5000]) {
      const d = new HpackDecoder({ maxHeaderListSize: 100 });
      d.decode(B([0x40], str('x-a'), str('1'))); // dynamic entry 62: x-a: 1
      tooLarge(() => d.decode(B([0x40], str('x-big'), str('v'.repeat(n)))));
      if (n + 5 + 32 <= 4096) {
        // Inserted: index 62 is x-big, 63 the older x-a.
        tooLarge(() => d.decode(B([0xbe])));
        expect(plain(d.decode(B([0xbf])))).toEqual([['x-a', '1']]);
      } else {
        // Larger than the table: the table is emptied and nothing is added (§4.4).
        expect(d.tableSize).toBe(0);
        expect(() => d.decode(B([0xbe]))).toThrow(HpackError);
      }
      expect(plain(new HpackDecoder({ maxHeaderListSize: 100 }).decode(B([0x82])))).toEqual([[':method', 'GET']]);
    }
  });

  test('a bad Huffman string longer than the limit stays fatal', () => {
    const d = new HpackDecoder({ maxHeaderListSize: 100 });
    // Literal without indexing, new name 'x', Huffman value of 1000 octets of 0xff: EOS inside.
    const block = Uint8Array.from([0x00, 0x01, 0x78, 0xff, 0xe9, 0x06, ...new Array(1000).fill(0xff)]);
    let err: (HpackError & { reason: string; http2Code: string }) | undefined;
    try { d.decode(block); } catch (e) { err = e as never; }
    expect(err).toBeInstanceOf(HpackError);
    expect(err!.http2Code).toBe('COMPRESSION_ERROR');
    expect(() => d.decode(Uint8Array.from([0x82]))).toThrow(HpackError);
  });
});
