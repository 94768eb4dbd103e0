// CRC-32, CRC-32C and RFC 1071 checksum against their peers, side by side in one process.
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import * as wk from '../dist/index.js';
import { compare, table, nativePeer } from './lib.mjs';

const require = createRequire(import.meta.url);
const CRC32 = require('crc-32');
const nodeRs = require('@node-rs/crc32');
const hashWasm = require('hash-wasm');
const sse4 = nativePeer('sse4_crc32');
const fastCrc32c = nativePeer('fast-crc32c');

const SIZES = { '64 B': 64, '1500 B': 1500, '64 KiB': 65536, '16 MiB': 16 * 1024 * 1024 };

/** The best plain-JS RFC 1071 loop measured here (perf-anchors.md): Uint32Array words, float64 accumulators. */
function jsInet32(b) {
  const n4 = b.byteLength >>> 2;
  const w = b.byteOffset % 4 === 0 ? new Uint32Array(b.buffer, b.byteOffset, n4) : null;
  let a0 = 0, a1 = 0, i = 0;
  if (w) {
    for (; i + 1 < n4; i += 2) {
      const x = w[i], y = w[i + 1];
      a0 += (x & 0xffff) + (x >>> 16);
      a1 += (y & 0xffff) + (y >>> 16);
    }
    i *= 4;
  }
  let s = a0 + a1; // little-endian words: swap at the end
  for (; i + 1 < b.byteLength; i += 2) s += b[i] | (b[i + 1] << 8);
  if (i < b.byteLength) s += b[i];
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return ((s & 0xff) << 8) | (s >>> 8);
}

/** The textbook byte-pair loop of RFC 1071 §4.1. */
function jsInetBytes(b) {
  let s = 0, i = 0;
  for (; i + 1 < b.length; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < b.length) s += b[i] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

export default async function checksumBench() {
  await wk.init();
  const sections = [];
  const all = [];
  for (const [algo, build] of [['CRC-32 (IEEE)', crcCases], ['CRC-32C', crc32cCases], ['Internet checksum (RFC 1071)', inetCases]]) {
    const cases = [];
    for (const [size, n] of Object.entries(SIZES)) {
      const buf = Buffer.alloc(n);
      for (let i = 0; i < n; i++) buf[i] = (i * 131 + 7) & 0xff;
      const view = wk.alloc(n);
      view.set(buf);
      cases.push(...build(size, n, buf, view).map((c) => ({ ...c, size, bytes: n })));
    }
    const rows = await compare(algo, cases);
    for (const c of cases) if (c.view) wk.free(c.view);
    all.push(...rows);
    sections.push(`### ${algo}\n\nGB/s (ratio to the best peer in the same run; >1 = faster)\n\n${table(rows)}`);
  }
  return { title: 'Checksums', markdown: sections.join('\n'), rows: all };
}

function crcCases(size, n, buf, view) {
  const h = hashWasm.createCRC32 ? null : null;
  return [
    { impl: 'wirekit crc32 (data in linear memory)', fn: () => wk.crc32(view), view },
    { impl: 'wirekit crc32 (copy in)', fn: () => wk.crc32(buf) },
    { impl: 'node:zlib.crc32', peer: true, fn: () => zlib.crc32(buf) },
    { impl: 'crc-32 (SheetJS)', peer: true, fn: () => CRC32.buf(buf) },
    { impl: '@node-rs/crc32 (native)', peer: true, fn: () => nodeRs.crc32(buf) },
    hashWasmCase(0xedb88320, buf),
  ].filter(Boolean);
}

function crc32cCases(size, n, buf, view) {
  return [
    { impl: 'wirekit crc32c (data in linear memory)', fn: () => wk.crc32c(view), view },
    { impl: 'wirekit crc32c (copy in)', fn: () => wk.crc32c(buf) },
    { impl: '@node-rs/crc32 crc32c (native)', peer: true, fn: () => nodeRs.crc32c(buf) },
    hashWasmCase(0x82f63b78, buf),
    sse4 && { impl: 'sse4_crc32 (native SSE4.2)', peer: true, fn: () => sse4.calculate(buf) },
    fastCrc32c && { impl: 'fast-crc32c', peer: true, fn: () => fastCrc32c.calculate(buf) },
  ].filter(Boolean);
}

let hashers = new Map();
function hashWasmCase(poly, buf) {
  // hash-wasm's sync hasher (its async crc32() awaits per call and was measured no faster).
  let h = hashers.get(poly);
  if (!h) return { impl: `hash-wasm createCRC32(${poly.toString(16)})`, peer: true, fn: hashWasmLazy(poly, buf) };
  return { impl: `hash-wasm createCRC32(${poly.toString(16)})`, peer: true, fn: () => (h.init(), h.update(buf), parseInt(h.digest(), 16)) };
}
function hashWasmLazy(poly, buf) {
  let h;
  return () => {
    h ??= hashers.get(poly);
    h.init();
    h.update(buf);
    return parseInt(h.digest(), 16);
  };
}
hashers.set(0xedb88320, await hashWasm.createCRC32(0xedb88320));
hashers.set(0x82f63b78, await hashWasm.createCRC32(0x82f63b78));

function inetCases(size, n, buf, view) {
  return [
    { impl: 'wirekit onesComplementSum (data in linear memory)', fn: () => wk.onesComplementSum(view), view },
    { impl: 'wirekit onesComplementSum (copy in)', fn: () => wk.onesComplementSum(buf) },
    { impl: 'plain JS, Uint32Array + float64 accumulators', peer: true, fn: () => jsInet32(buf) },
    { impl: 'plain JS, RFC 1071 byte pairs', peer: true, fn: () => jsInetBytes(buf) },
  ];
}
