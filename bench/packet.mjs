// Batch packet decode (Ethernet -> L4) of captures already in memory: wirekit decodeCapture (Wasm)
// vs the plain-JS zero-allocation baseline (bench/packet-jsdecode.mjs) vs npm `pcap` 3.1.0's
// decoders, with and without checksum verification. `npm run build` first; then
// `node bench/packet.mjs [--json]`. Inputs come from the shared corpus (WIREKIT_CORPUS).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import * as wk from '../dist/index.js';
import { makeColumns, indexPcap, decodeAll } from './packet-jsdecode.mjs';

const require = createRequire(import.meta.url);
const corpus = resolve(process.env.WIREKIT_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname);
const json = process.argv.includes('--json');

/** Classic LE µs pcap of Ethernet frames [{data, orig}] (the same bytes for every decoder). */
function toPcap(frames) {
  const size = 24 + frames.reduce((a, f) => a + 16 + f.data.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true); dv.setUint16(4, 2, true); dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true); dv.setUint32(20, 1, true);
  let o = 24;
  for (const f of frames) {
    dv.setUint32(o + 8, f.data.length, true); dv.setUint32(o + 12, f.orig, true);
    out.set(f.data, o + 16);
    o += 16 + f.data.length;
  }
  return out;
}

function frames(file, cap = Infinity) {
  const c = wk.readCapture(new Uint8Array(readFileSync(join(corpus, 'pcap', file))));
  return c.packets.filter((p) => p.linkType === 1).slice(0, cap).map((p) => ({ data: p.data.slice(), orig: p.originalLength }));
}

let pcapLib;
try {
  pcapLib = require('pcap');
} catch {
  pcapLib = undefined;
}

const sets = [];
sets.push({ name: 'ndpi-1kxun', bytes: toPcap(frames('ndpi-1kxun.pcap')) });
const mix = [];
for (const f of readdirSync(join(corpus, 'pcap')).sort()) {
  if (f === 'ndpi-1kxun.pcap') continue;
  try {
    mix.push(...frames(f, 500));
  } catch {
    /* refused files */
  }
}
sets.push({ name: `mix of other Ethernet captures`, bytes: toPcap(mix) });

function npmPcapInputs(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c = makeColumns(bytes.length >> 4);
  const n = indexPcap(bytes, dv, c);
  const out = [];
  for (let i = 0; i < n; i++) {
    const header = Buffer.from(bytes.buffer, bytes.byteOffset + c.frameOffset[i] - 16, 16);
    const pkt = { link_type: 'LINKTYPE_ETHERNET', header, buf: Buffer.from(bytes.buffer, bytes.byteOffset + c.frameOffset[i], c.capLen[i]) };
    // Keep only frames npm pcap decodes without throwing or logging (as perf-anchors-2 did).
    const log = console.log;
    let logged = false;
    console.log = () => (logged = true);
    try {
      pcapLib.decode.packet(pkt);
      if (!logged) out.push(pkt);
    } catch {
      /* excluded */
    } finally {
      console.log = log;
    }
  }
  return out;
}

/** Cross-check before timing: the JS baseline and Wasm agree on every column for every packet. */
function crossCheck(bytes, verify) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c = makeColumns(bytes.length >> 4);
  const n = decodeAll(bytes, dv, c, indexPcap(bytes, dv, c), verify);
  const r = wk.decodeCapture(bytes, { verifyChecksums: verify });
  if (r.count !== n) throw new Error(`count ${r.count} != ${n}`);
  const map = { capturedLength: 'capLen', originalLength: 'origLen' };
  let diffs = 0;
  for (const name of wk.COLUMN_NAMES) {
    const js = c[map[name] ?? name];
    if (!js) continue;
    for (let i = 0; i < n; i++) {
      if (js[i] !== r.columns[name][i] && (name !== 'frameOffset' && name !== 'linkType')) {
        if (diffs++ < 15) console.error(`cross-check ${name}[${i}]: js ${js[i]} wasm ${r.columns[name][i]} et ${c.etherType[i]} v ${c.ipVersion[i]} p ${c.ipProtocol[i]} st ${c.status[i]}/${r.columns.status[i]}`);
      }
    }
  }
  r.free();
  if (diffs) throw new Error(`${diffs} column cells differ between the JS baseline and Wasm`);
  return n;
}

const results = [];
for (const set of sets) {
  const { bytes } = set;
  const n = crossCheck(bytes, false);
  crossCheck(bytes, true);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jc = makeColumns(n + 1);
  const inMem = wk.alloc(bytes.length);
  inMem.set(bytes);
  const npm = pcapLib ? npmPcapInputs(bytes) : [];
  let sink = 0;
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench.add('plain JS, no checksums', () => { sink += decodeAll(bytes, dv, jc, indexPcap(bytes, dv, jc), false); });
  bench.add('wirekit Wasm, no checksums (input copied in)', () => { const r = wk.decodeCapture(bytes); sink += r.count; r.free(); });
  bench.add('wirekit Wasm, no checksums (input in Wasm memory)', () => { const r = wk.decodeCapture(inMem); sink += r.count; r.free(); });
  bench.add('plain JS, checksums verified', () => { sink += decodeAll(bytes, dv, jc, indexPcap(bytes, dv, jc), true); });
  bench.add('wirekit Wasm, checksums verified (input in Wasm memory)', () => { const r = wk.decodeCapture(inMem, { verifyChecksums: true }); sink += r.count; r.free(); });
  if (npm.length) bench.add(`npm pcap 3.1.0 decode.packet (${npm.length} frames it accepts)`, () => { for (const p of npm) sink += pcapLib.decode.packet(p).pcap_header ? 1 : 0; });
  await bench.run();
  wk.free(inMem);
  const row = { set: set.name, frames: n, avgBytes: Math.round((bytes.length - 24) / n - 16), build: wk.runtimeInfo().build, tasks: {} };
  for (const t of bench.tasks) {
    const frames = t.name.startsWith('npm pcap') ? npm.length : n;
    const ns = (t.result.latency.p50 * 1e6) / frames;
    row.tasks[t.name] = { nsPerPacket: +ns.toFixed(2), mpps: +(1e3 / ns).toFixed(2) };
  }
  const g = (k) => row.tasks[k].nsPerPacket;
  row.ratios = {
    'Wasm (in memory) vs plain JS, no checksums': +(g('plain JS, no checksums') / g('wirekit Wasm, no checksums (input in Wasm memory)')).toFixed(2),
    'Wasm (copy in) vs plain JS, no checksums': +(g('plain JS, no checksums') / g('wirekit Wasm, no checksums (input copied in)')).toFixed(2),
    'Wasm vs plain JS, checksums verified': +(g('plain JS, checksums verified') / g('wirekit Wasm, checksums verified (input in Wasm memory)')).toFixed(2),
  };
  const npmKey = Object.keys(row.tasks).find((k) => k.startsWith('npm pcap'));
  if (npmKey) row.ratios['Wasm (in memory) vs npm pcap'] = +(g(npmKey) / g('wirekit Wasm, no checksums (input in Wasm memory)')).toFixed(2);
  results.push(row);
  if (sink < 0) console.log(sink);
}

if (json) console.log(JSON.stringify(results, null, 2));
else {
  for (const r of results) {
    console.log(`\n${r.set}: ${r.frames} frames, avg ${r.avgBytes} B, Wasm build ${r.build}`);
    for (const [k, v] of Object.entries(r.tasks)) console.log(`  ${k.padEnd(62)} ${String(v.nsPerPacket).padStart(8)} ns/pkt  ${String(v.mpps).padStart(7)} Mpkt/s`);
    for (const [k, v] of Object.entries(r.ratios)) console.log(`  ratio ${k}: ${v}x`);
  }
}
