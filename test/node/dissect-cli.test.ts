// The built CLI (dist/cli.cjs, made by `npm run build` / `npm test`): byte-identical -T fields
// output to tshark's for whole files, refusals with tshark's reason, damaged tails, --summary, json.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusDir, corpusPresent } from './corpus.js';

const cli = join(__dirname, '..', '..', 'dist', 'cli.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'dissect', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const truth = (name: string) => readFileSync(join(corpusDir, 'pcap-truth', `${name}.tsv`), 'utf8');

describe.skipIf(!corpusPresent || !existsSync(cli))('wirekit dissect (built CLI)', () => {
  const fields = corpusPresent ? truth('gp-test_dns').split('\n')[0]!.split('\t').slice(0, 46) : [];
  const e = fields.flatMap((f) => ['-e', f]);
  for (const name of ['ndpi-1kxun', 'td-vxlan', 'own-sll2-http1', 'pngt-le-test202', 'td-dns_fwdptr']) {
    test(`${name}: -T fields output is byte-identical to tshark's 46 columns`, () => {
      const file = readFileSyncName(name);
      const r = run(file, '-T', 'fields', ...e, '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a');
      expect(r.status).toBe(0);
      const want = truth(name).split('\n').map((l) => l.split('\t').slice(0, 46).join('\t')).join('\n');
      expect(r.stdout).toBe(want);
    });
  }
  test('ndpi-http2 with -d tcp.port==29518,http2 (as the truth was made)', () => {
    const r = run(readFileSyncName('ndpi-http2'), '-T', 'fields', ...e, '-d', 'tcp.port==29518,http2');
    expect(r.stdout).toBe(truth('ndpi-http2').split('\n').map((l) => l.split('\t').slice(0, 46).join('\t')).join('\n'));
  });
  test('a refused file prints nothing and exits 1 with the reason tshark gives', () => {
    const r = run(join(corpusDir, 'pcap', 'lp-pcapng-invalid-vers-1.pcapng'), '-T', 'fields', '-e', 'frame.number');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('pcapng: unknown SHB version 0.1');
  });
  test('a damaged tail: the good rows, then the error, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wk-'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, readFileSync(join(corpusDir, 'pcap', 'ndpi-1kxun.pcap')).subarray(0, 100000));
    const r = run(cut, '-T', 'fields', '-e', 'frame.number', '-e', 'ip.src');
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n').length).toBe(1 + 201);
    expect(r.stderr).toContain('TRUNCATED');
  });
  test('unknown field: exit 1, the supported fields listed', () => {
    const r = run(join(corpusDir, 'pcap', 'td-vxlan.pcap'), '-T', 'fields', '-e', 'tcp.nonsense');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown field "tcp.nonsense"; supported fields: frame.number');
  });
  test('--summary and -T json run on a capture', () => {
    const s = run(join(corpusDir, 'pcap', 'td-vxlan.pcap'), '--summary');
    expect(s.status).toBe(0);
    expect(s.stdout).toContain('eth:ipv4:udp:vxlan:eth:ipv4');
    const j = run(join(corpusDir, 'pcap', 'td-vxlan.pcap'), '-T', 'json');
    const arr = JSON.parse(j.stdout);
    expect(arr[0].frame.len).toBe(148);
    expect(arr[0].layers[3].type).toBe('vxlan');
  });
});

function readFileSyncName(name: string): string {
  for (const ext of ['.pcap', '.pcapng']) if (existsSync(join(corpusDir, 'pcap', name + ext))) return join(corpusDir, 'pcap', name + ext);
  throw new Error(name);
}

describe.skipIf(!existsSync(cli))('wirekit demo (built CLI)', () => {
  test('records HTTP over loopback, writes a pcap whose every IPv4/TCP checksum verifies, summarises it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wk-demo-'));
    const out = join(dir, 'demo.pcap');
    const r = spawnSync(process.execPath, [cli, 'demo', '-o', out], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('eth:ipv4:tcp');
    const f = run(out, '-T', 'fields', '-e', 'tcp.flags', '-e', 'tcp.checksum.status', '-e', 'ip.checksum.status');
    const rows = f.stdout.trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((x) => x[0] === '0x0002').length).toBe(4); // three HTTP/1.1 connections and one h2c: four SYNs
    expect(r.stdout).toContain('identical to the header lists nghttp2 reported receiving (4 blocks)');
    expect(rows.every((x) => x[1] === '1' && x[2] === '1')).toBe(true);
  });
});

describe.skipIf(!corpusPresent || !existsSync(cli))('dissect fast path (classic pcap, outer-header fields)', () => {
  // All of FAST_FIELDS: the CLI then prints from decodeCapture's columns, falling back per frame.
  const fast = ['frame.number', 'frame.len', 'frame.cap_len', 'ip.src', 'ip.dst', 'ip.proto', 'ip.ttl', 'ip.len', 'ipv6.src', 'ipv6.dst', 'ipv6.plen',
    'ipv6.hlim', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags', 'tcp.window_size_value', 'udp.srcport',
    'udp.dstport', 'udp.length'];
  test('every classic pcap: same bytes as tshark for these columns (reassembly exceptions aside) and as the per-packet path', async () => {
    const { dissectFields } = await import('../../src/cli/dissect-fields.js');
    const { readdirSync } = await import('node:fs');
    let files = 0;
    for (const f of readdirSync(join(corpusDir, 'pcap')).sort()) {
      const path = join(corpusDir, 'pcap', f);
      const head = readFileSync(path).subarray(0, 4).readUInt32BE(0);
      if (![0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(head)) continue;
      const r = run(path, '-T', 'fields', ...fast.flatMap((x) => ['-e', x]));
      let want: string;
      try {
        want = dissectFields(new Uint8Array(readFileSync(path)), fast);
      } catch (e) {
        want = (e as { partial?: string }).partial ?? '';
      }
      expect(r.stdout, f).toBe(want);
      files++;
    }
    expect(files).toBeGreaterThan(100);
  }, 120_000);
});

describe.skipIf(!corpusPresent || !existsSync(cli))('dissect on a capture larger than the Wasm memory (128 MiB)', () => {
  test('160 MB of replayed ndpi-1kxun frames: every row printed, in bounded memory', () => {
    const src = readFileSync(join(corpusDir, 'pcap', 'ndpi-1kxun.pcap'));
    const copies = Math.ceil(160e6 / (src.length - 24));
    const dir = mkdtempSync(join(tmpdir(), 'wk-big-'));
    const file = join(dir, 'big.pcap');
    writeFileSync(file, Buffer.concat([src, ...new Array(copies - 1).fill(src.subarray(24))]));
    const r = spawnSync(process.execPath, [cli, 'dissect', file, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.srcport'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(1 + copies * 1723);
    expect(lines[lines.length - 1]!.split('\t')[0]).toBe(String(copies * 1723));
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
