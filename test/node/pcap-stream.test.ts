// streamCapture: the same packets as readCapture for every corpus file, fed in chunks of many
// sizes (Node stream, web ReadableStream, async iterable); same error after the same packets.
import { describe, expect, test } from 'vitest';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lib from '../../src/index.js';
import { corpusDir, corpusPresent } from './corpus.js';

async function* pieces(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.slice(i, i + size);
}

async function collect(src: lib.ByteSource): Promise<{ packets: lib.CapturePacket[]; error?: { code: string; message: string } }> {
  const packets: lib.CapturePacket[] = [];
  try {
    for await (const p of lib.streamCapture(src, { copy: true })) packets.push(p);
  } catch (e) {
    return { packets, error: e as { code: string; message: string } };
  }
  return { packets };
}

function same(a: lib.CapturePacket[], b: lib.CapturePacket[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const { data: da, ...ra } = a[i]!;
    const { data: db, ...rb } = b[i]!;
    expect(ra).toEqual(rb);
    expect(Buffer.compare(Buffer.from(da), Buffer.from(db))).toBe(0);
  }
}

const files = corpusPresent ? readdirSync(join(corpusDir, 'pcap')).sort() : [];

describe.skipIf(!corpusPresent)('streamCapture equals readCapture', () => {
  for (const f of files) {
    test(f, async () => {
      const bytes = new Uint8Array(readFileSync(join(corpusDir, 'pcap', f)));
      let whole: lib.Capture | undefined;
      let refusal: string | undefined;
      try {
        whole = lib.readCapture(bytes);
      } catch (e) {
        refusal = (e as Error).message;
      }
      for (const size of [1, 7, 4096, 1 << 20]) {
        const r = await collect(pieces(bytes, size));
        if (refusal) {
          expect(r.error?.message).toBe(refusal);
          continue;
        }
        same(r.packets, whole!.packets);
        expect(r.error?.message).toBe(whole!.error?.message);
      }
      if (!refusal) {
        same((await collect(createReadStream(join(corpusDir, 'pcap', f), { highWaterMark: 1000 }))).packets, whole!.packets);
        const web = new Blob([bytes]).stream();
        same((await collect(web)).packets, whole!.packets);
      }
    });
  }
});

test('a cut tail: the good packets, then the TruncatedError readCapture reports', async () => {
  if (!corpusPresent) return;
  const bytes = new Uint8Array(readFileSync(join(corpusDir, 'pcap', 'ndpi-alexa-app.pcapng'))).subarray(0, 500000);
  const whole = lib.readCapture(bytes);
  const r = await collect(pieces(bytes, 3000));
  same(r.packets, whole.packets);
  expect(r.error?.code).toBe('TRUNCATED');
  expect(r.error?.message).toBe(whole.error!.message);
});

test('bounded memory: a 200 MB stream (larger than the 128 MiB Wasm memory) of replayed frames', async () => {
  if (!corpusPresent) return;
  const src = new Uint8Array(readFileSync(join(corpusDir, 'pcap', 'ndpi-1kxun.pcap')));
  const body = src.subarray(24);
  const copies = Math.ceil(200e6 / body.length);
  async function* big(): AsyncGenerator<Uint8Array> {
    yield src.subarray(0, 24);
    for (let i = 0; i < copies; i++) yield body;
  }
  const before = process.memoryUsage().rss;
  let n = 0;
  let peak = 0;
  for await (const p of lib.streamCapture(big())) {
    n++;
    if (n % 50000 === 0) peak = Math.max(peak, process.memoryUsage().rss - before);
    if (p.data.length === 0) throw new Error('empty frame');
  }
  expect(n).toBe(copies * 1723);
  expect(peak).toBeLessThan(64 * 1024 * 1024);
}, 120_000);
