// HTTP/2 in captures against tshark's decoding (shared corpus pcap-truth/*.http2.json, made with
// `tshark -T json -Y http2 -e frame.number -e http2.streamid -e http2.type -e http2.header.name
// -e http2.header.value`): every frame, every value, compared as arrays (values contain commas).
// Frames absent from the truth (-Y http2 dropped them) must have no HTTP/2 values at all.
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readCapture } from '../../src/pcap/index.js';
import { decodeForDissect, dissectFields, parseDecodeAs } from '../../src/cli/dissect-fields.js';
import { HTTP2_FIELDS, Http2Fields, http2Values } from '../../src/cli/dissect-http2.js';
import { TcpDirection } from '../../src/packet/tcp-reassembly.js';
import { corpusDir, corpusPresent } from './corpus.js';

const CASES: Array<{ name: string; pcap: string; rules: string[] }> = [
  { name: 'ndpi-http2', pcap: 'ndpi-http2.pcapng', rules: ['tcp.port==29518,http2'] },
  { name: 'scapy-http2_h2c', pcap: 'scapy-http2_h2c.pcap', rules: [] },
];

const cli = join(__dirname, '..', '..', 'dist', 'cli.cjs');

type Truth = Array<{ _source: { layers: Record<string, string[]> } }>;

describe.skipIf(!corpusPresent)('HTTP/2 fields against tshark (pcap-truth/*.http2.json)', () => {
  for (const c of CASES) {
    test(`${c.name}: http2.streamid/type/header.name/header.value of every frame`, () => {
      const truth = JSON.parse(readFileSync(join(corpusDir, 'pcap-truth', `${c.name}.http2.json`), 'utf8')) as Truth;
      const want = new Map(truth.map((t) => [t._source.layers['frame.number']![0]!, t._source.layers]));
      const cap = readCapture(new Uint8Array(readFileSync(join(corpusDir, 'pcap', c.pcap))));
      const decodeAs = parseDecodeAs(c.rules);
      const h2 = new Http2Fields(decodeAs);
      let frames = 0, values = 0;
      for (const p of cap.packets) {
        const dec = decodeForDissect(p, decodeAs);
        const seg = h2.segment(p, dec);
        const got = http2Values(seg);
        const w = want.get(String(p.number));
        // -Y http2 kept exactly the frames with HTTP/2 in them (a preface alone counts: scapy frame 3).
        expect(seg !== undefined, `frame ${p.number} has HTTP/2`).toBe(w !== undefined);
        for (const f of HTTP2_FIELDS) {
          expect(got[f], `frame ${p.number} ${f}`).toEqual(w?.[f] ?? []);
          values += got[f].length;
        }
        frames++;
      }
      h2.dispose();
      expect(frames).toBe(cap.packets.length);
      const truthValues = truth.reduce((n, t) => n + HTTP2_FIELDS.reduce((m, f) => m + (t._source.layers[f]?.length ?? 0), 0), 0);
      expect(values).toBe(truthValues);
      expect(values).toBeGreaterThan(20);
      console.log(`${c.name}: ${frames} frames, ${want.size} with HTTP/2 in the truth, ${values} values equal`);
    });
  }

  test('ndpi-http2: -T fields joins every value with "," (occurrence=a), header values included', () => {
    const out = dissectFields(new Uint8Array(readFileSync(join(corpusDir, 'pcap', 'ndpi-http2.pcapng'))), ['frame.number', ...HTTP2_FIELDS], parseDecodeAs(['tcp.port==29518,http2']));
    const rows = out.trimEnd().split('\n');
    expect(rows[0]).toBe('frame.number\thttp2.streamid\thttp2.type\thttp2.header.name\thttp2.header.value');
    // Frame 1 of the truth: SETTINGS and WINDOW_UPDATE on stream 0.
    expect(rows[1]).toBe('1\t0,0\t4,8\t\t');
    // Frame 7 of the truth: the 201 response; "Thu, 11 Jun 2020 08:17:40 GMT" keeps its comma.
    expect(rows[7]).toBe('7\t3\t1\t:status,content-type,location,content-length,date\t201,application/json,http://127.0.0.1:29507/npcf-callback/v1/amfstatus/1,86,Thu, 11 Jun 2020 08:17:40 GMT');
  });
});

describe('TcpDirection (sequence space, RFC 9293 §3.4)', () => {
  const b = (s: string): Uint8Array => new TextEncoder().encode(s);
  const str = (parts: Uint8Array[]): string => parts.map((p) => new TextDecoder().decode(p)).join('');
  test('in order, retransmission, overlap, out of order, wrap-around', () => {
    const d = new TcpDirection();
    d.syn(0xfffffffd); // payload starts at 0xfffffffe
    expect(str(d.push(0xfffffffe, b('ab')))).toBe('ab');
    expect(str(d.push(0xfffffffe, b('ab')))).toBe(''); // retransmission
    expect(str(d.push(2, b('ef')))).toBe(''); // early: held
    expect(d.held).toBe(2);
    expect(str(d.push(0xffffffff, b('bcd')))).toBe('cdef'); // overlap, across 2^32, releases the held part
    expect(d.held).toBe(0);
    expect(d.delivered).toBe(6);
  });
  test('bounded: segments beyond the hold limit or absurdly far ahead are dropped', () => {
    const d = new TcpDirection(4);
    d.push(100, b('x'));
    d.push(110, b('12345'));
    d.push(100 + 2 ** 30 + 5, b('y'));
    expect(d.held).toBe(0);
    expect(d.dropped).toBe(2);
    expect(str(d.push(101, b('z')))).toBe('z');
  });
});

describe.skipIf(!corpusPresent || !existsSync(cli))('HTTP/2 fields in the built CLI', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'dissect', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  test('scapy-http2_h2c -T fields: Upgrade found without -d; rows equal the truth joined by ","', () => {
    const truth = JSON.parse(readFileSync(join(corpusDir, 'pcap-truth', 'scapy-http2_h2c.http2.json'), 'utf8')) as Truth;
    const r = run(join(corpusDir, 'pcap', 'scapy-http2_h2c.pcap'), '-T', 'fields', '-e', 'frame.number', ...HTTP2_FIELDS.flatMap((f) => ['-e', f]), '-E', 'occurrence=a');
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').slice(1);
    expect(rows.length).toBe(10);
    for (const row of rows) {
      const n = row.split('\t')[0]!;
      const t = truth.find((x) => x._source.layers['frame.number']![0] === n)?._source.layers ?? {};
      expect(row, `frame ${n}`).toBe([n, ...HTTP2_FIELDS.map((f) => (t[f] ?? []).join(','))].join('\t'));
    }
  });
  test('-T json keeps the values as arrays and marks the preface-only frame (scapy frame 3)', () => {
    const r = run(join(corpusDir, 'pcap', 'scapy-http2_h2c.pcap'), '-T', 'json');
    expect(r.status, r.stderr).toBe(0);
    const frames = JSON.parse(r.stdout) as Array<{ frame: { number: number }; http2?: Record<string, unknown> }>;
    expect(frames.filter((f) => f.http2).map((f) => f.frame.number)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(frames[2]!.http2).toEqual({ magic: true, 'http2.streamid': [], 'http2.type': [], 'http2.header.name': [], 'http2.header.value': [] });
    expect(frames[9]!.http2!['http2.header.value']).toContain('text/plain; charset=utf-8');
  });
});
