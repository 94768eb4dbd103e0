// Node-only checksum checks: live peers (node:zlib, @node-rs/crc32), every length and
// alignment, 16 MiB, real IPv4 headers from the capture corpus against tshark's verdicts.
import { describe, expect, test } from 'vitest';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c as nodeRsCrc32c } from '@node-rs/crc32';
import * as fc from 'fast-check';
import * as lib from '../../src/index.js';
import { corpusDir, corpusPresent } from './corpus.js';

/** RFC 1071 §4.1's C reference loop, transcribed (the spec's own algorithm, not our kernel). */
function rfc1071Sum(b: Uint8Array): number {
  let sum = 0;
  let i = 0;
  for (; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i < b.length) sum += b[i]! << 8;
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000); // (sum is a double: no 32-bit ops)
  return sum;
}

describe('CRC-32 against node:zlib.crc32', () => {
  const big = randomBytes(4096 + 64);
  test('every length 0..4096 at start offsets 0..7, with a running value', () => {
    for (let start = 0; start < 8; start++) {
      for (let n = 0; n <= 4096; n++) {
        const b = big.subarray(start, start + n);
        const prev = (n * 2654435761) >>> 0;
        if (lib.crc32(b) !== zlibCrc32(b)) throw new Error(`crc32 mismatch at length ${n} offset ${start}`);
        if (lib.crc32(b, prev) !== zlibCrc32(b, prev)) throw new Error(`crc32 running mismatch at length ${n}`);
      }
    }
  });
  test('16 MiB random buffer (copied in chunk by chunk) and the same inside linear memory', () => {
    const b = randomBytes(16 * 1024 * 1024);
    expect(lib.crc32(b)).toBe(zlibCrc32(b));
    const v = lib.alloc(b.length);
    v.set(b);
    expect(lib.crc32(v)).toBe(zlibCrc32(b));
    lib.free(v);
  });
});

describe('CRC-32C against @node-rs/crc32', () => {
  const big = randomBytes(4096 + 64);
  test('every length 0..4096 at start offsets 0..7, with a running value', () => {
    for (let start = 0; start < 8; start++) {
      for (let n = 0; n <= 4096; n++) {
        const b = big.subarray(start, start + n);
        if (lib.crc32c(b) !== nodeRsCrc32c(b)) throw new Error(`crc32c mismatch at length ${n} offset ${start}`);
        if (lib.crc32c(b, 0x12345678) !== nodeRsCrc32c(b, 0x12345678)) throw new Error(`crc32c running mismatch at ${n}`);
      }
    }
  });
  test('16 MiB', () => {
    const b = randomBytes(16 * 1024 * 1024);
    expect(lib.crc32c(b)).toBe(nodeRsCrc32c(b));
  });
});

describe('CRC properties (fast-check)', () => {
  test('streaming in random pieces equals one shot; combine equals concatenation', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), (a, b) => {
        const ab = new Uint8Array([...a, ...b]);
        expect(new lib.Crc32Stream().update(a).update(b).digest()).toBe(zlibCrc32(ab));
        expect(lib.crc32Combine(lib.crc32(a), lib.crc32(b), b.length)).toBe(zlibCrc32(ab));
        expect(lib.crc32cCombine(lib.crc32c(a), lib.crc32c(b), b.length)).toBe(nodeRsCrc32c(ab));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Internet checksum against the RFC 1071 §4.1 reference loop', () => {
  test('every length 0..4096 at start offsets 0..7', () => {
    const big = randomBytes(4096 + 64);
    for (let start = 0; start < 8; start++) {
      for (let n = 0; n <= 4096; n++) {
        const b = big.subarray(start, start + n);
        if (lib.onesComplementSum(b) !== rfc1071Sum(b)) throw new Error(`sum mismatch at length ${n} offset ${start}`);
      }
    }
  });
  test('all-0xff and all-zero buffers (the 0 / 0xffff corner), and 16 MiB + 3', () => {
    expect(lib.onesComplementSum(new Uint8Array(1000))).toBe(0);
    expect(lib.onesComplementSum(new Uint8Array(1000).fill(0xff))).toBe(0xffff);
    expect(lib.onesComplementSum(new Uint8Array(200_000).fill(0xff))).toBe(0xffff);
    const b = randomBytes(16 * 1024 * 1024 + 3);
    expect(lib.onesComplementSum(b)).toBe(rfc1071Sum(b));
  });
  test('pieces of even length chain through `initial`; odd ones through combineSums (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.uint8Array({ maxLength: 2000 }), (a, b) => {
        const ab = new Uint8Array([...a, ...b]);
        expect(lib.combineSums(lib.onesComplementSum(a), lib.onesComplementSum(b), a.length)).toBe(rfc1071Sum(ab));
        if (a.length % 2 === 0) expect(lib.onesComplementSum(b, lib.onesComplementSum(a))).toBe(rfc1071Sum(ab));
      }),
      { numRuns: 300 },
    );
  });
  test('RFC 1624 update equals recomputation for random 16-bit field changes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 200 }), fc.nat(), fc.integer({ min: 0, max: 0xffff }), (raw, at, nw) => {
        const b = raw.slice(0, raw.length & ~1);
        const i = (at % (b.length / 2)) * 2;
        const before = lib.internetChecksum(b);
        const old = (b[i]! << 8) | b[i + 1]!;
        b[i] = nw >> 8;
        b[i + 1] = nw & 0xff;
        const updated = lib.updateChecksum(before, old, nw);
        // Equal as one's-complement numbers: 0x0000 and 0xffff are both zero.
        expect(updated % 0xffff).toBe(lib.internetChecksum(b) % 0xffff);
      }),
      { numRuns: 500 },
    );
  });
});

/** Minimal classic-pcap walk (LE/BE, µs/ns) for Ethernet captures: enough to reach IPv4 headers. */
function* ethernetFrames(file: Uint8Array): Generator<{ number: number; data: Uint8Array }> {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = dv.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && dv.getUint32(0, false) !== 0xa1b2c3d4 && dv.getUint32(0, false) !== 0xa1b23c4d) return;
  if ((dv.getUint32(20, le) & 0xffff) !== 1) return;
  let off = 24;
  for (let n = 1; off + 16 <= file.length; n++) {
    const incl = dv.getUint32(off + 8, le);
    yield { number: n, data: file.subarray(off + 16, Math.min(file.length, off + 16 + incl)) };
    off += 16 + incl;
  }
}

describe.skipIf(!corpusPresent)('IPv4 header checksums in the real captures (truth: tshark ip.checksum.status)', () => {
  const files = corpusPresent ? readdirSync(join(corpusDir, 'pcap')).filter((f) => f.endsWith('.pcap')) : [];
  test('every untagged Ethernet/IPv4 frame: recomputed checksum equals the field, verdict equals tshark', () => {
    let checked = 0;
    for (const f of files) {
      const truthPath = join(corpusDir, 'pcap-truth', f.replace(/\.pcap$/, '.tsv'));
      let truth: string[];
      try {
        truth = readFileSync(truthPath, 'utf8').trimEnd().split('\n');
      } catch {
        continue;
      }
      const cols = truth[0]!.split('\t');
      const ci = cols.indexOf('ip.checksum');
      const si = cols.indexOf('ip.checksum.status');
      const rows = new Map(truth.slice(1).map((l) => l.split('\t')).map((r) => [Number(r[0]), r]));
      for (const { number, data } of ethernetFrames(new Uint8Array(readFileSync(join(corpusDir, 'pcap', f))))) {
        if (data.length < 34 || data[12] !== 0x08 || data[13] !== 0x00 || data[14]! >> 4 !== 4) continue;
        const ihl = (data[14]! & 15) * 4;
        if (ihl < 20 || data.length < 14 + ihl) continue;
        const row = rows.get(number);
        const status = row?.[si]?.split(',')[0];
        if (status !== '0' && status !== '1') continue;
        const header = data.slice(14, 14 + ihl);
        const field = (header[10]! << 8) | header[11]!;
        expect(`0x${field.toString(16).padStart(4, '0')}`, `${f} #${number}`).toBe(row![ci]!.split(',')[0]);
        expect(lib.verifyInternetChecksum(header), `${f} #${number}`).toBe(status === '1');
        header[10] = header[11] = 0;
        if (status === '1') expect(lib.internetChecksum(header), `${f} #${number}`).toBe(field);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    console.log(`checked ${checked} IPv4 header checksums from ${files.length} captures`);
  });
});
