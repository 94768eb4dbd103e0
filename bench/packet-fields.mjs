// `wirekit dissect -T fields` end to end on a big capture (ndpi-1kxun frames replicated, timestamps
// rewritten monotonic), 7 fields, against: the plain-JS streaming printer (bench/packet-fields-js.mjs),
// the I/O floor (Node reading the capture and writing the same output bytes), and tshark on a
// slice. Every output is compared byte for byte first. `node bench/packet-fields.mjs [--mb=1000]`.
import { spawnSync } from 'node:child_process';
import { openSync, writeSync, closeSync, readFileSync, rmSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const corpus = resolve(process.env.WIREKIT_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname);
const mb = Number(process.argv.find((a) => a.startsWith('--mb='))?.slice(5) ?? 1000);
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const FIELDS = ['frame.number', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'];
const dir = mkdtempSync(join(tmpdir(), 'wk-fields-'));
const cli = new URL('../dist/cli.cjs', import.meta.url).pathname;
const jsPrinter = new URL('./packet-fields-js.mjs', import.meta.url).pathname;

function build(path, bytes) {
  const src = readFileSync(join(corpus, 'pcap', 'ndpi-1kxun.pcap'));
  const fd = openSync(path, 'w');
  writeSync(fd, src.subarray(0, 24));
  let written = 24;
  let frames = 0;
  const t0 = 1_700_000_000;
  while (written < bytes) {
    const out = Buffer.from(src.subarray(24));
    let o = 0;
    while (o < out.length) {
      const us = frames * 100;
      out.writeUInt32LE(t0 + Math.floor(us / 1e6), o);
      out.writeUInt32LE(us % 1e6, o + 4);
      o += 16 + out.readUInt32LE(o + 8);
      frames++;
    }
    writeSync(fd, out);
    written += out.length;
  }
  closeSync(fd);
  return frames;
}

function time(cmd, args, outFile) {
  const fd = openSync(outFile, 'w');
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', fd, 'pipe'], maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  closeSync(fd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return s;
}

const big = join(dir, 'big.pcap');
const frames = build(big, mb * 1e6);
const size = statSync(big).size;
const e = FIELDS.flatMap((f) => ['-e', f]);
const outs = { wirekit: join(dir, 'wk.tsv'), js: join(dir, 'js.tsv'), floor: join(dir, 'floor.tsv') };
const floorScript = `const fs=require('fs');const fd=fs.openSync(process.argv[1],'r');const b=Buffer.allocUnsafe(16<<20);while(fs.readSync(fd,b,0,b.length,null)>0);fs.writeSync(1,fs.readFileSync(process.argv[2]));`;

const cmds = {
  wirekit: () => time(process.execPath, [cli, 'dissect', big, '-T', 'fields', ...e], outs.wirekit),
  'plain-JS printer': () => time(process.execPath, [jsPrinter, big], outs.js),
  'I/O floor (read capture, write same output)': () => time(process.execPath, ['-e', floorScript, big, outs.js], outs.floor),
};
// Byte-identical outputs first.
cmds.wirekit();
cmds['plain-JS printer']();
const a = readFileSync(outs.wirekit);
const b = readFileSync(outs.js);
if (Buffer.compare(a, b) !== 0) throw new Error('wirekit and the plain-JS printer differ');

const times = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
for (let r = 0; r < runs; r++) for (const [k, fn] of Object.entries(cmds)) times[k].push(fn());
const med = (x) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];

// tshark on a slice (it runs at tens of thousands of packets per second).
let tshark;
const slice = join(dir, 'slice.pcap');
const sliceFrames = build(slice, 20e6);
const ts = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
if (ts.status === 0) {
  const tOut = join(dir, 'tshark.tsv');
  const s = time('tshark', ['-r', slice, '-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a', ...e], tOut);
  const w = join(dir, 'wk-slice.tsv');
  time(process.execPath, [cli, 'dissect', slice, '-T', 'fields', ...e], w);
  const same = Buffer.compare(readFileSync(tOut), readFileSync(w)) === 0;
  tshark = { seconds: s, frames: sliceFrames, kpps: +(sliceFrames / s / 1e3).toFixed(1), identicalToWirekit: same };
}

const res = { fileMB: +(size / 1e6).toFixed(0), frames, runs, seconds: {}, mpps: {} };
for (const k of Object.keys(cmds)) {
  res.seconds[k] = +med(times[k]).toFixed(3);
  res.mpps[k] = +(frames / med(times[k]) / 1e6).toFixed(3);
}
res.tshark = tshark;
const w = med(times.wirekit);
res.ratios = {
  'wirekit vs plain-JS printer': +(med(times['plain-JS printer']) / w).toFixed(2),
  'wirekit vs I/O floor': +(med(times['I/O floor (read capture, write same output)']) / w).toFixed(2),
  ...(tshark ? { 'wirekit vs tshark (per packet)': +((frames / w) / (tshark.frames / tshark.seconds)).toFixed(1) } : {}),
};
console.log(JSON.stringify(res, null, 2));
rmSync(dir, { recursive: true, force: true });
