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
function rfc1071Sum(b: Uint8Array, initial = 0): number {
  let sum = initial;
  let i = 0;
  for (; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i < b.length) sum += b[i]! << 8;
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000); // (sum is a double: no 32-bit ops)
  return sum;
}

describe.each(['baseline', 'simd'] as const)('CRC-32 / CRC-32C / RFC 1071 sum, %s build, against live peers', (build) => {
  const big = randomBytes(4096 + 64);
  test('every length 0..4096 at start offsets 0..7, with a running value: node:zlib, @node-rs/crc32, RFC 1071 loop', () => {
    lib.initSync({ build });
    expect(lib.runtimeInfo().build).toBe(build);
    for (let start = 0; start < 8; start++) {
      for (let n = 0; n <= 4096; n++) {
        const b = big.subarray(start, start + n);
        const prev = (n * 2654435761) >>> 0;
        if (lib.crc32(b) !== zlibCrc32(b)) throw new Error(`crc32 mismatch at length ${n} offset ${start}`);
        if (lib.crc32(b, prev) !== zlibCrc32(b, prev)) throw new Error(`crc32 running mismatch at length ${n}`);
        if (lib.crc32c(b, prev) !== nodeRsCrc32c(b, prev)) throw new Error(`crc32c mismatch at length ${n} offset ${start}`);
        if (lib.onesComplementSum(b) !== rfc1071Sum(b)) throw new Error(`sum mismatch at length ${n} offset ${start}`);
      }
    }
  });
  test('16 MiB + 3 random buffer (copied in chunk by chunk) and the same inside linear memory', () => {
    lib.initSync({ build });
    const b = randomBytes(16 * 1024 * 1024 + 3);
    expect(lib.crc32(b)).toBe(zlibCrc32(b));
    expect(lib.crc32c(b)).toBe(nodeRsCrc32c(b));
    expect(lib.onesComplementSum(b)).toBe(rfc1071Sum(b));
    const v = lib.alloc(b.length);
    v.set(b);
    expect(lib.crc32(v)).toBe(zlibCrc32(b));
    expect(lib.crc32c(v)).toBe(nodeRsCrc32c(b));
    expect(lib.onesComplementSum(v)).toBe(rfc1071Sum(b));
    lib.free(v);
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
  test('transportChecksum with a checksumOffset (odd or even) equals the sum with those two bytes zeroed (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 600 }), fc.nat(), fc.integer({ min: 0, max: 0xffff }), (seg, at, ph) => {
        const off = at % (seg.length - 1);
        const zeroed = seg.slice();
        zeroed[off] = zeroed[off + 1] = 0;
        const expected = ~rfc1071Sum(zeroed, ph) & 0xffff;
        expect(lib.transportChecksum(ph, seg, { checksumOffset: off })).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
  test('all-0xff and all-zero buffers (the 0 / 0xffff corner)', () => {
    expect(lib.onesComplementSum(new Uint8Array(1000))).toBe(0);
    expect(lib.onesComplementSum(new Uint8Array(1000).fill(0xff))).toBe(0xffff);
    expect(lib.onesComplementSum(new Uint8Array(200_000).fill(0xff))).toBe(0xffff);
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

/** Rows of a truth TSV keyed by frame number, with a column accessor (first occurrence). */
function truthOf(file: string): { rows: Map<number, string[]>; col: (row: string[] | undefined, name: string) => string | undefined } | null {
  let lines: string[];
  try {
    lines = readFileSync(join(corpusDir, 'pcap-truth', file.replace(/\.pcap$/, '.tsv')), 'utf8').trimEnd().split('\n');
  } catch {
    return null;
  }
  const cols = lines[0]!.split('\t');
  const rows = new Map(lines.slice(1).map((l) => l.split('\t')).map((r) => [Number(r[0]), r]));
  return { rows, col: (row, name) => row?.[cols.indexOf(name)]?.split(',')[0] };
}

const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

describe('checksums in the real captures (truth: tshark *.checksum.status with validation on)', () => {
  if (!corpusPresent && process.env.CI) test('the shared corpus is present in CI', () => expect(corpusPresent).toBe(true));
  const files = corpusPresent ? readdirSync(join(corpusDir, 'pcap')).filter((f) => f.endsWith('.pcap')) : [];
  test.skipIf(!corpusPresent)('every untagged Ethernet/IPv4 frame: recomputed header checksum equals the field, verdict equals tshark', () => {
    let checked = 0;
    for (const f of files) {
      const t = truthOf(f);
      if (!t) continue;
      for (const { number, data } of ethernetFrames(new Uint8Array(readFileSync(join(corpusDir, 'pcap', f))))) {
        if (data.length < 34 || data[12] !== 0x08 || data[13] !== 0x00 || data[14]! >> 4 !== 4) continue;
        const ihl = (data[14]! & 15) * 4;
        if (ihl < 20 || data.length < 14 + ihl) continue;
        const row = t.rows.get(number);
        const status = t.col(row, 'ip.checksum.status');
        if (status !== '0' && status !== '1') continue;
        const header = data.slice(14, 14 + ihl);
        const field = (header[10]! << 8) | header[11]!;
        expect(hex4(field), `${f} #${number}`).toBe(t.col(row, 'ip.checksum'));
        expect(lib.verifyInternetChecksum(header), `${f} #${number}`).toBe(status === '1');
        header[10] = header[11] = 0;
        if (status === '1') expect(lib.internetChecksum(header), `${f} #${number}`).toBe(field);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  test.skipIf(!corpusPresent)('every untagged Ethernet IPv4/IPv6 TCP and UDP segment tshark verified: pseudo-header + transportChecksum reproduce the field', () => {
    const seen = { tcp4: 0, udp4: 0, tcp6: 0, udp6: 0, bad: 0 };
    for (const f of files) {
      const t = truthOf(f);
      if (!t) continue;
      for (const { number, data } of ethernetFrames(new Uint8Array(readFileSync(join(corpusDir, 'pcap', f))))) {
        const row = t.rows.get(number);
        if (!row || data.length < 14 || t.col(row, 'frame.protocols')?.split(':').filter((p) => p === 'ip' || p === 'ipv6').length !== 1) continue;
        const type = (data[12]! << 8) | data[13]!;
        let proto: number, src: Uint8Array, dst: Uint8Array, seg: Uint8Array, ph: number, v: string;
        if (type === 0x0800 && data[14]! >> 4 === 4) {
          const ihl = (data[14]! & 15) * 4;
          const total = (data[16]! << 8) | data[17]!;
          const frag = ((data[20]! << 8) | data[21]!) & 0x3fff;
          if (frag !== 0 || total < ihl || data.length < 14 + total) continue;
          proto = data[23]!;
          src = data.subarray(26, 30);
          dst = data.subarray(30, 34);
          seg = data.subarray(14 + ihl, 14 + total);
          ph = lib.pseudoHeaderSumIPv4(src, dst, proto, seg.length);
          v = '4';
        } else if (type === 0x86dd && data.length >= 54) {
          const plen = (data[18]! << 8) | data[19]!;
          proto = data[20]!;
          if (data.length < 54 + plen) continue;
          src = data.subarray(22, 38);
          dst = data.subarray(38, 54);
          seg = data.subarray(54, 54 + plen);
          ph = lib.pseudoHeaderSumIPv6(src, dst, proto, seg.length);
          v = '6';
        } else continue;
        const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : null;
        if (!name) continue;
        if (name === 'udp' && seg.length >= 8) {
          // The UDP checksum covers the UDP length field's bytes (tshark too), not the IP payload.
          const ulen = (seg[4]! << 8) | seg[5]!;
          if (ulen < 8 || ulen > seg.length) continue;
          seg = seg.subarray(0, ulen);
          ph = v === '4' ? lib.pseudoHeaderSumIPv4(src, dst, proto, ulen) : lib.pseudoHeaderSumIPv6(src, dst, proto, ulen);
        }
        const status = t.col(row, `${name}.checksum.status`);
        const at = name === 'tcp' ? 16 : 6;
        if (seg.length < at + 2 || (status !== '0' && status !== '1')) continue;
        const field = (seg[at]! << 8) | seg[at + 1]!;
        expect(hex4(field), `${f} #${number}`).toBe(t.col(row, `${name}.checksum`));
        const computed = lib.transportChecksum(ph, seg, { checksumOffset: at, udp: name === 'udp' });
        expect(computed === field, `${f} #${number} ${name}${v} computed ${hex4(computed)}`).toBe(status === '1');
        expect(lib.verifyInternetChecksum(seg, ph), `${f} #${number}`).toBe(status === '1');
        if (status === '1') seen[`${name}${v}` as 'tcp4']++;
        else seen.bad++;
      }
    }
    expect(seen.tcp4).toBeGreaterThan(500);
    expect(seen.udp4).toBeGreaterThan(100);
    expect(seen.tcp6 + seen.udp6).toBeGreaterThan(20);
    console.log('transport checksums reproduced:', seen);
  });
});
