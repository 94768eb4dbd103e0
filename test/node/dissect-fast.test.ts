// `wirekit dissect -T fields` fast path (classic pcap: Wasm decode + Wasm row printer, per-packet
// fallback) against the per-packet path, which the corpus tests hold to tshark's output: any
// subset and order of the fast fields, on every classic pcap of the corpus, with reads small
// enough that records straddle chunk boundaries.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printFieldsFast } from '../../src/cli/dissect-fast.js';
import { dissectFields } from '../../src/cli/dissect-fields.js';
import { WASM_FIELDS } from '../../src/packet/fields.js';
import { initSync } from '../../src/index.js';
import { corpusDir, corpusPresent } from './corpus.js';

const CLASSIC = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];
const files = corpusPresent
  ? readdirSync(join(corpusDir, 'pcap'))
      .sort()
      .map((f) => join(corpusDir, 'pcap', f))
      .filter((p) => CLASSIC.includes(readFileSync(p).subarray(0, 4).readUInt32BE(0)))
  : [];

/** What the per-packet path prints (its good rows when the file has a damaged tail) and the damage. */
function perPacket(path: string, fields: readonly string[]): { text: string; error?: string } {
  try {
    return { text: dissectFields(new Uint8Array(readFileSync(path)), fields) };
  } catch (e) {
    return { text: (e as { partial?: string }).partial ?? '', error: (e as Error).message };
  }
}

async function fast(path: string, fields: readonly string[], chunk?: number): Promise<{ text: string; error?: string }> {
  const parts: Buffer[] = [];
  const write = (b: Uint8Array): void => void parts.push(Buffer.from(b));
  try {
    await printFieldsFast(path, fields, false, { chunk, write });
    return { text: Buffer.concat(parts).toString() };
  } catch (e) {
    return { text: Buffer.concat(parts).toString(), error: (e as Error).message };
  }
}

describe.skipIf(!corpusPresent)('dissect fast path vs per-packet path', () => {
  initSync();
  test('corpus has classic pcaps with IPv6, VLAN and damaged tails to cover', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  test('every classic pcap, all fast fields, 4 MiB reads: identical bytes and the same damage', async () => {
    for (const path of files) expect(await fast(path, WASM_FIELDS), path).toEqual(perPacket(path, WASM_FIELDS));
  }, 120_000);

  test('any subset and order of the fast fields (repeats allowed), reads of 1 to 5000 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.constantFrom(...WASM_FIELDS), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 5000 }),
        async (k, fields, chunk) => {
          expect(await fast(files[k]!, fields, chunk)).toEqual(perPacket(files[k]!, fields));
        },
      ),
      { numRuns: 60, seed: 20261122 },
    );
  }, 120_000);
});
