// hpack-test-case (read in place from the shared corpus): every encoded story decoded to the
// listed headers; raw-data re-encoded by our encoder and decoded by ours and by hpack.js;
// compressed size against the corpus's nghttp2 encoding; streaming in random pieces.
import { describe, test, expect } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { corpusDir } from './corpus.js';
import { HpackDecoder, HpackEncoder, type HeaderField } from '../../src/index.js';

const require = createRequire(import.meta.url);
const hpackjs = require('hpack.js');
const HPACK = require('hpack');
const root = join(corpusDir, 'hpack-test-case');
const present = existsSync(root);

interface Case { seqno: number; wire?: string; headers: Array<Record<string, string>>; header_table_size?: number | null }
interface Story { cases: Case[] }

const dirs = present ? readdirSync(root).filter((d) => d !== 'raw-data' && !d.includes('.') && existsSync(join(root, d, 'story_00.json'))).sort() : [];
const storiesOf = (dir: string): Array<[string, Story]> =>
  readdirSync(join(root, dir)).filter((f) => f.endsWith('.json')).sort().map((f) => [f, JSON.parse(readFileSync(join(root, dir, f), 'utf8')) as Story]);
const pairs = (c: Case): Array<[string, string]> => c.headers.map((h) => Object.entries(h)[0] as [string, string]);
const plain = (fs: HeaderField[]): Array<[string, string]> => fs.map((f) => [f.name, f.value]);

/** Decodes a story the way a connection would: SETTINGS changes applied before their block. */
function decodeStory(story: Story, feed: (d: HpackDecoder, wire: Uint8Array) => HeaderField[]): number {
  const dec = new HpackDecoder();
  let blocks = 0;
  for (const c of story.cases) {
    if (c.header_table_size != null) dec.setMaxTableSize(c.header_table_size);
    const got = feed(dec, Buffer.from(c.wire!, 'hex'));
    expect(plain(got), `seqno ${c.seqno}`).toEqual(pairs(c));
    blocks++;
  }
  dec.dispose();
  return blocks;
}

describe.skipIf(!present)('hpack-test-case: decode every encoded story', () => {
  let total = 0;
  for (const dir of dirs) {
    test(`${dir}: every block decodes to the listed headers`, () => {
      let blocks = 0;
      for (const [, story] of storiesOf(dir)) blocks += decodeStory(story, (d, w) => d.decode(w));
      expect(blocks).toBeGreaterThan(3000);
      total += blocks;
    });
  }
  test('all 14 encoders: 47,142 blocks decoded', () => {
    expect(dirs.length).toBe(14);
    expect(total).toBe(47142);
  });
});

describe.skipIf(!present)('hpack-test-case: streaming', () => {
  test('nghttp2 and python-hpack stories fed in random pieces (1..7 octets) equal whole-block decoding', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) / 65536;
    for (const dir of ['nghttp2', 'python-hpack']) {
      for (const [, story] of storiesOf(dir)) {
        decodeStory(story, (d, w) => {
          for (let i = 0; i < w.length; ) {
            const n = 1 + Math.floor(rnd() * 7);
            d.push(w.subarray(i, i + n));
            i += n;
          }
          return d.end();
        });
      }
    }
  });
});

describe.skipIf(!present)('hpack-test-case raw-data: our encoder', () => {
  const raw = present ? storiesOf('raw-data') : [];
  const ours: Record<string, number> = {};
  for (const huffman of ['auto', 'always', 'never'] as const) {
    test(`huffman '${huffman}': every story re-encoded, decoded by ours, by hpack.js and by npm hpack to the same lists`, () => {
      let bytes = 0, blocks = 0;
      for (const [, story] of raw) {
        const enc = new HpackEncoder({ huffman });
        const dec = new HpackDecoder();
        const peer = hpackjs.decompressor.create({ table: { maxSize: 4096 } });
        const peer2 = new HPACK();
        for (const c of story.cases) {
          const want = pairs(c);
          const block = enc.encode(want);
          bytes += block.length;
          blocks++;
          expect(plain(dec.decode(block))).toEqual(want);
          peer.write(Buffer.from(block));
          peer.execute();
          const got: Array<[string, string]> = [];
          let h;
          while ((h = peer.read()) !== null) got.push([h.name, h.value]);
          expect(got).toEqual(want);
          expect(peer2.decode(Buffer.from(block))).toEqual(want);
        }
      }
      expect(blocks).toBe(3384);
      ours[huffman] = bytes;
    });
  }
  test('compressed size within 2% of nghttp2 (the corpus nghttp2/ directory, 360,319 octets)', () => {
    let ng = 0;
    for (const [, story] of storiesOf('nghttp2')) for (const c of story.cases) ng += c.wire!.length / 2;
    expect(ng).toBe(360319);
    const ratio = ours.auto! / ng;
    console.log(`raw-data encoded: ours ${ours.auto} octets (auto), ${ours.always} (always), ${ours.never} (never); nghttp2 ${ng}; ratio ${ratio.toFixed(4)}`);
    expect(ratio).toBeLessThan(1.02);
  });
});
