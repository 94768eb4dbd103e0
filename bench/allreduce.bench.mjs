// AllReduce kernels and planner (issue #5 targets), side by side in one process:
// - f32 sum, data in linear memory, vs a plain JS `a[i] += b[i]` loop at 64 KiB (target >= 10x);
// - f32 sum at 128 MiB vs a memory copy of the same size in the same run (target >= 0.8x);
// - float16 / bfloat16 sums vs a JS implementation converting per element (target >= 5x);
// - ringSchedule for 1024 ranks (target < 1 ms);
// - small plain arrays: reduce() (JS loop up to jsCutoff, then Wasm through scratch) vs the JS loop.
// GB/s = bytes of ONE array per second (a copy moves 2 streams, a reduction 3).
import * as wk from '../dist/index.js';
import { compare, table } from './lib.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;

function f32View(n) {
  const v = wk.alloc(4 * n);
  return new Float32Array(v.buffer, v.byteOffset, n);
}
function u16View(n) {
  const v = wk.alloc(2 * n);
  return new Uint16Array(v.buffer, v.byteOffset, n);
}
function jsAdd(a, b) {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a.length;
}
function jsAdd4(a, b) {
  const n = a.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a[i] += b[i];
    a[i + 1] += b[i + 1];
    a[i + 2] += b[i + 2];
    a[i + 3] += b[i + 3];
  }
  for (; i < n; i++) a[i] += b[i];
  return n;
}

// A fast JS float16/bfloat16 sum: decode through a 65536-entry table, add in float64,
// encode with round-to-nearest-even bit arithmetic on the float32 bits (NaN -> canonical).
const F16_TABLE = new Float32Array(65536);
for (let h = 0; h < 65536; h++) F16_TABLE[h] = wk.float16ToNumber(h);
const sf = new Float32Array(1);
const su = new Uint32Array(sf.buffer);
function encF16(x) {
  sf[0] = x;
  const u = su[0];
  const a = u & 0x7fffffff;
  const sign = (u >>> 16) & 0x8000;
  if (a > 0x7f800000) return 0x7e00;
  if (a >= 0x47800000) return sign | 0x7c00;
  if (a < 0x38800000) {
    sf[0] = Math.fround(Math.abs(x) + 0.5);
    return sign | (su[0] - 0x3f000000);
  }
  return sign | ((a - 0x37fff001 + ((a >>> 13) & 1)) >>> 13);
}
function encBf16(x) {
  sf[0] = x;
  const u = su[0];
  if ((u & 0x7fffffff) > 0x7f800000) return 0x7fc0;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}
function jsHalfSum(a, b) {
  for (let i = 0; i < a.length; i++) a[i] = encF16(F16_TABLE[b[i]] + F16_TABLE[a[i]]);
  return a.length;
}
function jsBf16Sum(a, b) {
  for (let i = 0; i < a.length; i++) {
    su[0] = b[i] << 16;
    const x = sf[0];
    su[0] = a[i] << 16;
    a[i] = encBf16(x + sf[0]);
  }
  return a.length;
}

function ratio(rows, size, impl, peerImpl) {
  const r = rows.find((x) => x.size === size && x.impl === impl);
  const p = rows.find((x) => x.size === size && x.impl === peerImpl);
  return p.ns / r.ns;
}

export default async function allreduceBench() {
  await wk.init({ maximumMemory: 768 * MiB });
  const out = [];

  // 1. f32 sum at 64 KiB (and 16 MiB) in linear memory vs plain JS.
  const small = [];
  for (const [size, bytes] of [['64 KiB', 64 * KiB], ['16 MiB', 16 * MiB]]) {
    const n = bytes / 4;
    const a = f32View(n).fill(1);
    const b = f32View(n).fill(0.5);
    const pa = new Float32Array(n).fill(1);
    const pb = new Float32Array(n).fill(0.5);
    small.push(
      { impl: 'wirekit reduce, alloc() views (Wasm f32x4, zero copy)', size, bytes, fn: () => (wk.reduce('sum', a, b), n) },
      { impl: 'wirekit reduce, plain arrays (copied through scratch)', size, bytes, fn: () => (wk.reduce('sum', pa, pb), n) },
      { impl: 'plain JS a[i] += b[i]', size, bytes, peer: true, fn: () => jsAdd(pa, pb) },
      { impl: 'plain JS, 4x unrolled', size, bytes, fn: () => jsAdd4(pa, pb) },
    );
  }
  const r1 = await compare('f32 sum', small);
  const k64 = ratio(r1, '64 KiB', 'wirekit reduce, alloc() views (Wasm f32x4, zero copy)', 'plain JS a[i] += b[i]');
  out.push(`### f32 sum vs plain JS (ratio to the plain loop)\n\n${table(r1)}\n**64 KiB, data in linear memory: ${k64.toFixed(1)}x the plain JS loop (target >= 10x).**\n`);

  // 2. 128 MiB: reduction vs memory copy, both in linear memory, same run.
  {
    const n = (128 * MiB) / 4;
    const a = f32View(n).fill(1);
    const b = f32View(n).fill(0.5);
    const src = new Uint8Array(b.buffer, b.byteOffset, 128 * MiB);
    const dst = new Uint8Array(a.buffer, a.byteOffset, 128 * MiB);
    const cases = [
      { impl: 'wirekit reduce f32 sum, in memory', size: '128 MiB', bytes: 128 * MiB, fn: () => (wk.reduce('sum', a, b), n) },
      { impl: 'memory copy (Uint8Array.set, 128 MiB)', size: '128 MiB', bytes: 128 * MiB, peer: true, fn: () => (dst.set(src), n) },
    ];
    const r2 = await compare('f32 sum 128 MiB vs copy', cases, { time: 1500, warmupTime: 300 });
    const k = ratio(r2, '128 MiB', 'wirekit reduce f32 sum, in memory', 'memory copy (Uint8Array.set, 128 MiB)');
    out.push(`### f32 sum at 128 MiB vs a memory copy (ratio to the copy)\n\n${table(r2)}\n**128 MiB: reduction at ${(100 * k).toFixed(0)}% of the copy's bandwidth (target >= 80%).** A copy reads 1 and writes 1 array; the reduction reads 2 and writes 1.\n`);
    wk.initSync({ maximumMemory: 64 * MiB }); // release the 256 MiB
  }

  // 3. float16 / bfloat16 sums vs a per-element converting JS implementation.
  {
    const cases = [];
    for (const [size, bytes] of [['64 KiB', 64 * KiB], ['4 MiB', 4 * MiB]]) {
      const n = bytes / 2;
      const h = u16View(n).fill(0x3c00);
      const hb = u16View(n).fill(0x1400);
      const g = u16View(n).fill(0x3f80);
      const gb = u16View(n).fill(0x3a80);
      const ph = new Uint16Array(n).fill(0x3c00);
      const phb = new Uint16Array(n).fill(0x1400);
      const pg = new Uint16Array(n).fill(0x3f80);
      const pgb = new Uint16Array(n).fill(0x3a80);
      const small16 = n <= 32768;
      cases.push(
        { impl: 'wirekit reduce float16, in memory', size, bytes, fn: () => (wk.reduce('sum', h, hb, { dtype: 'float16' }), n) },
        { impl: 'JS float16 (table decode, bit-twiddling RNE encode)', size, bytes, peer: true, fn: () => jsHalfSum(ph, phb) },
        { impl: 'wirekit reduce bfloat16, in memory', size, bytes, fn: () => (wk.reduce('sum', g, gb, { dtype: 'bfloat16' }), n) },
        { impl: 'JS bfloat16 (shift decode, RNE encode)', size, bytes, fn: () => jsBf16Sum(pg, pgb) },
        ...(small16 ? [{ impl: 'reduceIntoReference float16 (exact, slow)', size, bytes, fn: () => (wk.reduceIntoReference('sum', ph, phb, { dtype: 'float16' }), n) }] : []),
      );
    }
    const r3 = await compare('16-bit float sums', cases);
    const kh = ratio(r3, '64 KiB', 'wirekit reduce float16, in memory', 'JS float16 (table decode, bit-twiddling RNE encode)');
    const kb = ratio(r3, '64 KiB', 'wirekit reduce bfloat16, in memory', 'JS bfloat16 (shift decode, RNE encode)');
    out.push(`### float16 / bfloat16 sums (ratio to the JS float16 implementation)\n\n${table(r3)}\n**64 KiB: float16 ${kh.toFixed(1)}x, bfloat16 ${kb.toFixed(1)}x the per-element-converting JS (target >= 5x).**\n`);
  }

  // 4. The planner: one rank's schedule for 1024 ranks.
  {
    const cases = ['ompi', 'mpich', 'nccl', 'gloo'].map((scheme) => ({
      impl: `ringSchedule(rank 5, 1024 ranks, 2^28 elements, '${scheme}')`, size: '1024 ranks', peer: scheme === 'ompi',
      fn: () => wk.ringSchedule(5, 1024, 2 ** 28, { scheme }).steps.length,
    }));
    const r4 = await compare('ringSchedule', cases);
    const worst = Math.max(...r4.map((r) => r.ns)) / 1e6;
    out.push(`### ringSchedule, 1024 ranks\n\n${table(r4, { metric: 'ns' })}\n**Slowest scheme: ${worst.toFixed(3)} ms per schedule (target < 1 ms).**\n`);
  }

  // 5. Small plain arrays: where the JS loop beats copy-in + Wasm + copy-out.
  {
    const cases = [];
    for (const n of [8, 32, 128, 256, 257, 512, 2048]) {
      const a = new Float32Array(n).fill(1);
      const b = new Float32Array(n).fill(0.5);
      const size = `${n} el`;
      cases.push(
        { impl: `wirekit reduce, plain arrays (JS <= ${wk.jsCutoff('float32')} el, else Wasm via scratch)`, size, bytes: 4 * n, fn: () => (wk.reduce('sum', a, b), n) },
        { impl: 'reduceIntoReference (same validation + JS loop)', size, bytes: 4 * n, peer: true, fn: () => (wk.reduceIntoReference('sum', a, b), n) },
      );
    }
    const r5 = await compare('small arrays', cases);
    out.push(`### Small plain Float32Arrays: the JS/Wasm crossover (ratio to the JS reference)\n\n${table(r5, { metric: 'ns' })}\n`);
  }
  return { title: 'AllReduce kernels and planner', markdown: out.join('\n') };
}
