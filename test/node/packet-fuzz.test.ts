// Bad input: truncations and random byte flips of every corpus capture. readCapture,
// streamCapture and decodeCapture may only throw typed WirekitErrors (file-level damage);
// decodePacket and the field printer never throw; nothing hangs; Wasm memory does not grow.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lib from '../../src/index.js';
import { decodeForDissect, fieldCells, SUPPORTED_FIELDS } from '../../src/cli/dissect-fields.js';
import { corpusDir, corpusPresent } from './corpus.js';

/** Deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function typed(e: unknown, what: string): void {
  if (!(e instanceof lib.WirekitError)) throw new Error(`${what}: untyped ${(e as Error)?.name}: ${(e as Error)?.message}`);
}

function exercise(bytes: Uint8Array, what: string): void {
  let cap: lib.Capture | undefined;
  try {
    cap = lib.readCapture(bytes);
  } catch (e) {
    typed(e, what);
  }
  for (const p of cap?.packets ?? []) {
    if (p.linkType < 0) continue;
    const d = lib.decodePacket(p.data, p.linkType, { originalLength: p.originalLength });
    if (!Array.isArray(d.layers)) throw new Error(`${what}: no layers`);
    fieldCells(SUPPORTED_FIELDS, p, decodeForDissect(p));
  }
  for (const verifyChecksums of [false, true]) {
    try {
      const r = lib.decodeCapture(bytes, { verifyChecksums });
      if (cap && r.count > cap.packets.length) throw new Error(`${what}: decodeCapture found more packets than readCapture`);
      r.free();
    } catch (e) {
      typed(e, what);
    }
  }
}

const files = corpusPresent ? readdirSync(join(corpusDir, 'pcap')).sort() : [];

describe.skipIf(!corpusPresent)('truncations and byte flips of every capture', () => {
  const base = lib.runtimeInfo();
  for (const [k, f] of files.entries()) {
    test(f, () => {
      const orig = new Uint8Array(readFileSync(join(corpusDir, 'pcap', f)));
      const rand = rng(0x5eed + k);
      const budget = orig.length > 500_000 ? 4 : orig.length > 50_000 ? 12 : 40;
      for (let i = 0; i < budget; i++) {
        const cut = i < 8 ? i * 3 : Math.floor(rand() * orig.length);
        exercise(orig.subarray(0, cut), `${f} cut at ${cut}`);
      }
      for (let i = 0; i < budget; i++) {
        const b = orig.slice();
        const flips = 1 + Math.floor(rand() * 8);
        const at: number[] = [];
        for (let j = 0; j < flips; j++) {
          const o = Math.floor(rand() * b.length);
          b[o] = Math.floor(rand() * 256);
          at.push(o);
        }
        exercise(b, `${f} bytes changed at ${at.join(',')}`);
      }
    }, 60_000);
  }
  test('no Wasm memory growth: same live allocations and memory size as before', () => {
    const after = lib.runtimeInfo();
    expect(after.liveAllocations).toBe(base.liveAllocations);
    expect(after.memoryBytes).toBe(base.memoryBytes);
  });
});

test('streamCapture on flipped and cut bytes: typed errors only', async () => {
  if (!corpusPresent) return;
  const rand = rng(7);
  for (const f of ['ndpi-alexa-app.pcapng', 'pngt-le-test202.pcapng', 'gp-test_dns.pcap', 'td-time_2107.pcapng']) {
    const orig = new Uint8Array(readFileSync(join(corpusDir, 'pcap', f)));
    for (let i = 0; i < 20; i++) {
      const b = orig.slice(0, Math.floor(orig.length * (0.5 + rand() / 2)));
      for (let j = 0; j < 4; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      async function* src(): AsyncGenerator<Uint8Array> {
        for (let o = 0; o < b.length; o += 777) yield b.subarray(o, o + 777);
      }
      try {
        for await (const p of lib.streamCapture(src())) void p;
      } catch (e) {
        typed(e, `${f} stream`);
      }
    }
  }
});
