// HPACK decode/encode throughput over the whole hpack-test-case corpus, wirekit (dist/index.js)
// vs hpack.js 2.1.6 and npm hpack 1.0.0, one process, tinybench 6. Every op processes the whole
// corpus (decode: 14 encoders' directories, 446 stories, 47,142 blocks, 548,382 headers; encode:
// raw-data, 32 stories, 3,384 blocks, 39,359 headers) with a fresh context per story, and consumes
// every decoded name and value. Before timing, every peer's output is checked against the corpus.
// Run: npm run bench hpack (bench/run.mjs), or node bench/hpack.bench.mjs [--time ms].
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { HpackDecoder, HpackEncoder } from '../dist/index.js';

const require = createRequire(import.meta.url);
const hpackjs = require('hpack.js');
const HPACK = require('hpack');
const corpus = join(process.env.WIREKIT_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname, 'hpack-test-case');
if (!existsSync(corpus)) throw new Error(`corpus not found at ${corpus} (set WIREKIT_CORPUS)`);

const load = (dir) => readdirSync(join(corpus, dir)).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(corpus, dir, f), 'utf8')));
const dirs = readdirSync(corpus).filter((d) => d !== 'raw-data' && existsSync(join(corpus, d, 'story_00.json'))).sort();
const stories = dirs.flatMap((d) =>
  load(d).map((s) => ({
    first: s.cases[0].header_table_size ?? 4096,
    cases: s.cases.map((c) => ({ wire: Buffer.from(c.wire, 'hex'), size: c.header_table_size ?? null, headers: c.headers.map((h) => Object.entries(h)[0]) })),
  })),
);
const raw = load('raw-data').map((s) => s.cases.map((c) => c.headers.map((h) => Object.entries(h)[0])));
const count = (list) => list.reduce((a, s) => a + s.cases.reduce((b, c) => b + c.headers.length, 0), 0);
const decHeaders = count(stories);
const decBlocks = stories.reduce((a, s) => a + s.cases.length, 0);
const encHeaders = raw.reduce((a, s) => a + s.reduce((b, c) => b + c.length, 0), 0);
const encBlocks = raw.reduce((a, s) => a + s.length, 0);
const encObjects = raw.map((s) => s.map((c) => c.map(([name, value]) => ({ name, value }))));

let sink = 0;
const decoders = {
  wirekit(check) {
    for (const s of stories) {
      const d = new HpackDecoder({ maxTableSize: Math.max(4096, s.first) });
      for (const c of s.cases) {
        if (c.size !== null) d.setMaxTableSize(c.size);
        const out = d.decode(c.wire);
        for (let i = 0; i < out.length; i++) sink += out[i].name.length + out[i].value.length;
        if (check) check(out.map((f) => [f.name, f.value]), c.headers);
      }
      d.dispose();
    }
  },
  'hpack.js'(check) {
    for (const s of stories) {
      const d = hpackjs.decompressor.create({ table: { maxSize: Math.max(4096, s.first) } });
      for (const c of s.cases) {
        d.write(c.wire);
        d.execute();
        const out = [];
        let h;
        while ((h = d.read()) !== null) {
          sink += h.name.length + h.value.length;
          if (check) out.push([h.name, h.value]);
        }
        if (check) check(out, c.headers);
      }
    }
  },
  hpack(check) {
    for (const s of stories) {
      const d = new HPACK();
      for (const c of s.cases) {
        const out = d.decode(c.wire);
        for (let i = 0; i < out.length; i++) sink += out[i][0].length + out[i][1].length;
        if (check) check(out, c.headers);
      }
    }
  },
};
const encoders = {
  wirekit() {
    for (const s of raw) {
      const e = new HpackEncoder();
      for (const c of s) sink += e.encode(c).length;
      e.dispose();
    }
  },
  'hpack.js'() {
    for (const s of encObjects) {
      const e = hpackjs.compressor.create({ table: { maxSize: 4096 } });
      for (const c of s) {
        e.write(c);
        sink += e.read().length;
      }
    }
  },
  hpack() {
    for (const s of raw) {
      const e = new HPACK();
      for (const c of s) sink += e.encode(c).length;
    }
  },
};

export default async function hpackBench({ time = 3000 } = {}) {
  // Correctness first: every decoder's output must equal the corpus lists.
  for (const [name, fn] of Object.entries(decoders)) {
    let bad = 0;
    fn((got, want) => {
      if (JSON.stringify(got) !== JSON.stringify(want)) bad++;
    });
    if (bad) throw new Error(`${name}: ${bad} blocks decoded wrongly`);
  }

  // Interleaved rounds (the machine is shared and noisy): every round runs all six tasks once
  // with tinybench; a cell is the median over rounds, a speed-up the median of in-round ratios.
  const rounds = 5;
  const names = [...Object.keys(decoders).map((k) => `decode ${k}`), ...Object.keys(encoders).map((k) => `encode ${k}`)];
  const per = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    // Few iterations: hpack.js's decompressor retains ~15 MB per op (measured), so tinybench's default
    // minimum iteration count would exhaust the heap; time governs instead.
    const bench = new Bench({ time: time / rounds, iterations: 2, warmupTime: r === 0 ? 300 : 50, warmupIterations: 1 });
    for (const [name, fn] of Object.entries(decoders)) bench.add(`decode ${name}`, () => fn());
    for (const [name, fn] of Object.entries(encoders)) bench.add(`encode ${name}`, () => fn());
    await bench.run();
    for (const t of bench.tasks) per[t.name].push(t.result.latency.p50);
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const rows = [];
  for (const [kind, headers, blocks] of [['decode', decHeaders, decBlocks], ['encode', encHeaders, encBlocks]]) {
    const ours = per[`${kind} wirekit`];
    for (const peer of ['wirekit', 'hpack.js', 'hpack']) {
      const runs = per[`${kind} ${peer}`];
      const ms = median(runs);
      const ratios = runs.map((x, i) => x / ours[i]);
      rows.push(`| ${kind} | ${peer} | ${ms.toFixed(1)} | ${((headers / ms) * 1e3 / 1e6).toFixed(2)} | ${((blocks / ms) * 1e3 / 1e3).toFixed(0)} | ${median(ratios).toFixed(2)}× [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}] |`);
    }
  }
  const table = [
    `HPACK, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, tinybench, ${rounds} interleaved rounds of ${time / rounds} ms per task; one op = the whole corpus; cells are medians over rounds, speed-up = median [min–max] of in-round ratios.`,
    `decode: 14 directories, ${decBlocks} blocks, ${decHeaders} headers per op; encode: raw-data, ${encBlocks} blocks, ${encHeaders} headers per op (Huffman on: wirekit 'auto').`,
    '',
    '| op | codec | ms/op | M headers/s | k blocks/s | wirekit speed-up (in-round) |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  console.log(table);
  return { title: 'HPACK decode and encode over hpack-test-case (vs hpack.js 2.1.6, hpack 1.0.0)', markdown: table + '\n', sink };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const r = await hpackBench({ time: args.includes('--time') ? Number(args[args.indexOf('--time') + 1]) : 3000 });
  console.log(r.markdown);
}
