// QUIC varint decode (RFC 9000 §16): batch Wasm vs inline JS vs one call per value, over
// dist/index.js, on 1,048,576 values in two length mixes. `node bench/quic.bench.mjs` or
// `npm run bench quic`. Ratios are speed relative to the inline-JS Uint8Array loop.
import { Bench } from 'tinybench';
import * as lib from '../dist/index.js';

const N = 1 << 20;
const MIXES = {
  'uniform 1/2/4/8 B': [0.25, 0.5, 0.75],
  '70/20/8/2 %': [0.7, 0.9, 0.98],
};

function generate(cuts) {
  let s = 0x9e3779b9;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const out = new Uint8Array(N * 8);
  let p = 0;
  for (let i = 0; i < N; i++) {
    const r = rnd();
    const lg = r < cuts[0] ? 0 : r < cuts[1] ? 1 : r < cuts[2] ? 2 : 3;
    const n = 1 << lg;
    for (let k = 0; k < n; k++) out[p + k] = (rnd() * 256) | 0;
    out[p] = (lg << 6) | (out[p] & 0x3f);
    if (lg === 3) out[p] = 0xc0, (out[p + 1] &= 0x1f); // <= 2^53-1: valid for the number APIs
    p += n;
  }
  return out.slice(0, p);
}

/** The inline-JS baseline: the loop a user would write, Uint8Array byte loads. */
function inlineJs(b, out) {
  let p = 0;
  let k = 0;
  const n = b.length;
  while (p < n) {
    const b0 = b[p];
    switch (b0 >> 6) {
      case 0: out[k++] = b0; p += 1; break;
      case 1: out[k++] = ((b0 & 0x3f) << 8) | b[p + 1]; p += 2; break;
      case 2: out[k++] = (b0 & 0x3f) * 16777216 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]); p += 4; break;
      default:
        out[k++] = ((b0 & 0x3f) * 16777216 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3])) * 4294967296 +
          (((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0);
        p += 8;
    }
  }
  return k;
}

/** Inline JS with DataView word loads (the faster JS variant in perf-anchors.md). */
function inlineDataView(dv, n, out) {
  let p = 0;
  let k = 0;
  while (p < n) {
    const b0 = dv.getUint8(p);
    switch (b0 >> 6) {
      case 0: out[k++] = b0; p += 1; break;
      case 1: out[k++] = dv.getUint16(p) & 0x3fff; p += 2; break;
      case 2: out[k++] = dv.getUint32(p) & 0x3fffffff; p += 4; break;
      default: out[k++] = (dv.getUint32(p) & 0x3fffffff) * 4294967296 + dv.getUint32(p + 4); p += 8;
    }
  }
  return k;
}

/** A single-value decoder with the same contract as decodeVarint, written inline (no checks). */
function inlineOne(b, o) {
  const b0 = b[o];
  switch (b0 >> 6) {
    case 0: return { value: b0, length: 1 };
    case 1: return { value: ((b0 & 0x3f) << 8) | b[o + 1], length: 2 };
    case 2: return { value: (b0 & 0x3f) * 16777216 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]), length: 4 };
    default: return { value: ((b0 & 0x3f) * 16777216 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3])) * 4294967296 + (((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0), length: 8 };
  }
}

let sink = 0;

export default async function quicBench({ time = 1500 } = {}) {
  const rows = [];
  for (const [mix, cuts] of Object.entries(MIXES)) {
    const bytes = generate(cuts);
    const out = new Float64Array(N);
    const outBig = new BigUint64Array(N);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const inMem = lib.alloc(bytes.length);
    inMem.set(bytes);
    const outMemBytes = lib.alloc(8 * N);
    const outMem = new Float64Array(outMemBytes.buffer, outMemBytes.byteOffset, N);
    const expected = new Float64Array(N);
    if (inlineJs(bytes, expected) !== N) throw new Error('generator');
    const check = (r) => {
      if (r.length !== N || r[N - 1] !== expected[N - 1] || r[N >> 1] !== expected[N >> 1]) throw new Error('wrong result');
      return r.length;
    };
    check(lib.decodeVarints(bytes));
    check(lib.decodeVarints(inMem, outMem));
    const tasks = {
      'inline JS loop (Uint8Array byte loads)': () => inlineJs(bytes, out),
      'inline JS loop (DataView word loads)': () => inlineDataView(dv, bytes.length, out),
      'decodeVarint per value (inline JS facade, checks + result object)': () => {
        let s = 0;
        for (let p = 0; p < bytes.length; ) {
          const d = lib.decodeVarint(bytes, p);
          s += d.value;
          p += d.length;
        }
        return s;
      },
      'inline JS single-value function (same contract, no checks)': () => {
        let s = 0;
        for (let p = 0; p < bytes.length; ) {
          const d = inlineOne(bytes, p);
          s += d.value;
          p += d.length;
        }
        return s;
      },
      'decodeVarints(bytes) -> new Float64Array (copy in, copy out)': () => lib.decodeVarints(bytes).length,
      'decodeVarints(bytes, out) (copy in, copy out into out)': () => lib.decodeVarints(bytes, out).length,
      'decodeVarints(alloc view, Float64Array over alloc) (zero copy)': () => lib.decodeVarints(inMem, outMem).length,
      'decodeVarintsBig(bytes, out) (BigUint64Array)': () => lib.decodeVarintsBig(bytes, outBig).length,
    };
    const bench = new Bench({ time, warmupTime: 300, iterations: 10 });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, () => (sink ^= fn()));
    await bench.run();
    for (const name of Object.keys(tasks)) {
      const t = bench.getTask(name);
      rows.push({ mix, name, ns: (t.result.latency.p50 * 1e6) / N });
    }
    lib.free(inMem);
    lib.free(outMemBytes);
  }
  const mixes = Object.keys(MIXES);
  const names = [...new Set(rows.map((r) => r.name))];
  const base = (mix) => rows.find((r) => r.mix === mix && r.name.startsWith('inline JS loop (Uint8Array')).ns;
  let md = `1,048,576 values per run, ns per value (tinybench median); ratio = inline-JS-loop time / this time (>1 = faster). Build: ${lib.runtimeInfo().build}.\n\n`;
  md += `| implementation | ${mixes.map((m) => `${m} ns/value | ratio`).join(' | ')} |\n|---|${mixes.map(() => '---:|---:').join('|')}|\n`;
  for (const name of names) {
    md += `| ${name} | ${mixes.map((m) => {
      const r = rows.find((x) => x.mix === m && x.name === name);
      return `${r.ns.toFixed(2)} | ${(base(m) / r.ns).toFixed(2)}×`;
    }).join(' | ')} |\n`;
  }
  return { title: 'QUIC varint decode (RFC 9000 §16)', markdown: md, rows };
}

if (import.meta.url === new URL(process.argv[1], 'file:').href) {
  const r = await quicBench();
  console.log(`## ${r.title}\n\n${r.markdown}`);
}
