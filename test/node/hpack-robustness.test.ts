// Bad input: random byte flips and truncations of every corpus block (all 14 encoders'
// directories, 47,142 blocks) give only typed HpackErrors, no hang, bounded memory, and a fresh
// decoder works right after a failed one. Plus property tests of the codec (fast-check).
import { describe, test, expect } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { corpusDir } from './corpus.js';
import { HpackDecoder, HpackEncoder, HpackError, runtimeInfo } from '../../src/index.js';

const root = join(corpusDir, 'hpack-test-case');
const present = existsSync(root);
const blocksOf = (dir: string): Uint8Array[][] =>
  readdirSync(join(root, dir)).filter((f) => f.endsWith('.json')).sort().map((f) =>
    (JSON.parse(readFileSync(join(root, dir, f), 'utf8')).cases as Array<{ wire: string }>).map((c) => new Uint8Array(Buffer.from(c.wire, 'hex'))));

describe.skipIf(!present)('corrupted corpus blocks', () => {
  const dirs = present ? readdirSync(root).filter((d) => existsSync(join(root, d, 'story_00.json')) && d !== 'raw-data').sort() : [];
  test('all 14 encoded directories are covered', () => expect(dirs.length).toBe(14));
  for (const dir of dirs) {
    test(`${dir}: every block with a random byte flipped, or truncated, gives only HpackError`, () => {
      let seed = 7;
      const rnd = (n: number) => (((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n);
      const heapBefore = runtimeInfo().heapBytes;
      let errors = 0, accepted = 0;
      for (const story of blocksOf(dir)) {
        let dec = new HpackDecoder({ maxHeaderListSize: 16384 });
        for (const block of story) {
          const bad = block.slice(0, rnd(3) === 0 ? rnd(block.length + 1) : block.length);
          if (bad.length > 0) {
            const i = rnd(bad.length);
            bad[i] = bad[i]! ^ (1 << rnd(8));
          }
          const t = performance.now();
          try {
            dec.decode(bad);
            accepted++;
          } catch (e) {
            expect(e).toBeInstanceOf(HpackError);
            expect((e as HpackError).http2Code).toMatch(/^(COMPRESSION_ERROR|PROTOCOL_ERROR)$/);
            errors++;
            dec.dispose();
            dec = new HpackDecoder({ maxHeaderListSize: 16384 });
            expect(dec.decode(Uint8Array.of(0x82))).toEqual([{ name: ':method', value: 'GET', sensitive: false }]);
          }
          expect(performance.now() - t).toBeLessThan(1000); // no hang (generous: the machine is shared)
        }
        dec.dispose();
      }
      expect(errors).toBeGreaterThan(100);
      expect(accepted).toBeGreaterThan(0);
      expect(runtimeInfo().heapBytes - heapBefore).toBeLessThan(1 << 20);
    });
  }
});

describe('properties', () => {
  const octets = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  const list = fc.array(fc.tuple(octets, octets, fc.boolean()), { maxLength: 12 });
  test('any header lists round-trip through encoder and decoder, in any pieces, with table size changes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(list, fc.nat(300), fc.boolean()), { maxLength: 12 }), fc.constantFrom('auto', 'always', 'never'), (blocks, huffman) => {
        const enc = new HpackEncoder({ maxTableSize: 256, huffman });
        const dec = new HpackDecoder({ maxTableSize: 256 });
        for (const [fields, size, resize] of blocks) {
          if (resize) {
            dec.setMaxTableSize(size % 257);
            enc.setMaxTableSize(size % 257);
          }
          const block = enc.encode(fields.map(([name, value, sensitive]) => ({ name, value, sensitive })));
          const step = 1 + (size % 5);
          for (let i = 0; i < block.length; i += step) dec.push(block.subarray(i, i + step));
          const got = dec.end();
          expect(got.map((f) => [f.name, f.value])).toEqual(fields.map(([n, v]) => [n, v]));
          fields.forEach(([, , s], i) => s && expect(got[i]!.sensitive).toBe(true));
          expect(dec.tableSize).toBe(enc.tableSize);
        }
        enc.dispose();
        dec.dispose();
      }),
      { numRuns: 300 },
    );
  });
  test('random bytes never crash the decoder: HpackError or a header list', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const dec = new HpackDecoder();
        try {
          dec.decode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(HpackError);
        }
        dec.dispose();
      }),
      { numRuns: 3000 },
    );
  });
});

describe('linear cost of fragmented blocks (CVE-2022-41723)', () => {
  test('a 60 KB Huffman value fed one octet at a time costs about as much as in one piece', () => {
    const enc = new HpackEncoder({ huffman: 'always' });
    const value = 'abcdefghij'.repeat(6000);
    const block = enc.encode([{ name: 'x-big', value, indexing: 'without' }]);
    const dec = new HpackDecoder({ maxHeaderListSize: 1 << 20 });
    let t = performance.now();
    for (let i = 0; i < 20; i++) dec.decode(block);
    const whole = (performance.now() - t) / 20;
    t = performance.now();
    for (let i = 0; i < block.length; i++) dec.push(block.subarray(i, i + 1));
    expect(dec.end()[0]!.value).toBe(value);
    const pieces = performance.now() - t;
    // Per-piece overhead only (no re-decoding): ~45,000 pieces must not cost 45,000 decodes.
    expect(pieces).toBeLessThan(whole * 2000 + 500);
  });
});

describe('RFC 9113 §6.10: setMaxTableSize cannot land inside a header block', () => {
  test('refused while a push() block is open; the block then decodes as the peer encoded it', () => {
    // RFC 7541 C.3.1 first request, split in two pieces.
    const block = Uint8Array.from(Buffer.from('828684410f7777772e6578616d706c652e636f6d', 'hex'));
    const d = new HpackDecoder();
    d.push(block.subarray(0, 5));
    expect(() => d.setMaxTableSize(8192)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'maxTableSize' }));
    d.push(block.subarray(5));
    expect(d.end().map((f) => [f.name, f.value])).toEqual([[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']]);
    d.setMaxTableSize(8192); // between blocks: fine
  });
});
