// h2c following under hostile segmentation: a real Node http2 exchange (nghttp2 on both ends,
// recorded through a proxy) is cut into tiny TCP segments that arrive reordered, retransmitted,
// overlapping and with wrong checksums, plus garbage; the header lists decoded from every variant
// must equal those nghttp2 reported receiving (rawHeaders), and nothing may hang or grow unbounded.
import { beforeAll, expect, test } from 'vitest';
import type { Chunk } from '../../src/cli/demo-capture.js';
import { captureHeaderBlocks, recordHttp2 } from '../../src/cli/demo-http2.js';
import { encodePacket, encodedLength, type LayerInput } from '../../src/packet/encode.js';
import { writePcap, type WritablePacket } from '../../src/pcap/writer.js';
import { H2cCapture } from '../../src/packet/h2c-capture.js';
import { decodePacket } from '../../src/packet/decode.js';

interface Seg {
  dir: 0 | 1;
  seq: number;
  data: Uint8Array;
  flags: number;
  badSum?: boolean;
}

let chunks: Chunk[] = [];
let want: Array<Array<[string, string]>> = [];
beforeAll(async () => {
  const r = await recordHttp2(0);
  chunks = r.chunks;
  want = r.exchanges.flatMap((x) => [x.request, x.response]);
});

const ISN: [number, number] = [0xfffff000, 0x12345678]; // the client's sequence numbers wrap past 2^32

/** The recorded streams as segments of `size` octets (SYNs first), in recorded order. */
function segments(size: number): Seg[] {
  const out: Seg[] = [
    { dir: 0, seq: ISN[0], data: new Uint8Array(0), flags: 0x002 },
    { dir: 1, seq: ISN[1], data: new Uint8Array(0), flags: 0x012 },
  ];
  const next: [number, number] = [ISN[0] + 1, ISN[1] + 1];
  for (const c of chunks) {
    if (typeof c.data === 'string') continue;
    const dir = c.fromClient ? 0 : 1;
    for (let o = 0; o < c.data.length; o += size) {
      const data = c.data.subarray(o, o + size);
      out.push({ dir, seq: next[dir] >>> 0, data, flags: 0x018 });
      next[dir] += data.length;
    }
  }
  return out;
}

function pcap(segs: Seg[]): Uint8Array {
  const ports = [40001, 8080];
  const frames: WritablePacket[] = segs.map((s, i) => {
    const a = s.dir;
    const layers: LayerInput[] = [
      { type: 'eth', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' },
      { type: 'ipv4', src: a ? '10.0.0.2' : '10.0.0.1', dst: a ? '10.0.0.1' : '10.0.0.2', identification: i, ttl: 64 },
      { type: 'tcp', srcPort: ports[a], dstPort: ports[1 - a], seqRaw: s.seq >>> 0, ackRaw: 0, flags: s.flags, windowSize: 65535 },
    ];
    const buf = new Uint8Array(encodedLength(layers, s.data));
    encodePacket(layers, s.data, buf);
    if (s.badSum) buf[14 + 20 + 16] = buf[14 + 20 + 16]! ^ 0xff; // offloaded or corrupt checksum: still reassembled
    return { data: buf, tsSec: 1, tsNsec: i * 1000 };
  });
  return writePcap(frames, { linkType: 1 });
}

const headersOf = (segs: Seg[]): Array<Array<[string, string]>> => captureHeaderBlocks(pcap(segs)).map((b) => b.headers);

test('in order, 1460-octet segments', () => {
  expect(want.length).toBe(4);
  expect(headersOf(segments(1460))).toEqual(want);
});

test('3-octet segments, every checksum wrong', () => {
  expect(headersOf(segments(3).map((s) => ({ ...s, badSum: true })))).toEqual(want);
});

test('adjacent segments of a direction swapped (out of order)', () => {
  const s = segments(5);
  for (let i = 2; i + 1 < s.length; i += 2) if (s[i]!.dir === s[i + 1]!.dir) [s[i], s[i + 1]] = [s[i + 1]!, s[i]!];
  expect(headersOf(s)).toEqual(want);
});

test('retransmissions and overlapping segments (first copy wins; copies identical)', () => {
  const out: Seg[] = [];
  for (const [i, s] of segments(7).entries()) {
    out.push(s);
    if (i % 3 === 0) out.push({ ...s }); // exact retransmission
    if (s.data.length === 7 && i % 4 === 1) out.push({ ...s, seq: (s.seq + 2) >>> 0, data: s.data.subarray(2) }); // overlap
  }
  expect(headersOf(out)).toEqual(want);
});

test("the server's SETTINGS captured before the client's preface: stream kept in sync", () => {
  const s = segments(1460);
  const firstServer = s.findIndex((x) => x.dir === 1 && x.data.length > 0);
  const firstClient = s.findIndex((x) => x.dir === 0 && x.data.length > 0);
  const [moved] = s.splice(firstServer, 1);
  s.splice(firstClient, 0, moved!);
  expect(s[firstClient]!.dir).toBe(1);
  expect(headersOf(s)).toEqual(want);
});

test('garbage on the same ports and on others: no hang, no HTTP/2 invented', () => {
  let x = 12345;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const garbage: Seg[] = [];
  for (let i = 0; i < 300; i++) garbage.push({ dir: (i & 1) as 0 | 1, seq: (rnd() << 24) | (rnd() << 8), data: Uint8Array.from({ length: 1 + (rnd() % 200) }, rnd), flags: 0x018 });
  const t0 = Date.now();
  expect(captureHeaderBlocks(pcap(garbage))).toEqual([]);
  // Decode-as makes any stream HTTP/2: garbage frames are listed, never a hang or a throw.
  const cap = new H2cCapture(new Map([['tcp:8080', 'http2']]), { maxHeld: 4096, maxFrame: 1 << 14 });
  for (const s of garbage) {
    const f = pcap([s]);
    const data = f.subarray(24 + 16);
    cap.packet(data, decodePacket(data, 1));
  }
  cap.dispose();
  expect(Date.now() - t0).toBeLessThan(5000);
});

test('20,000 pipelined HTTP/1.1 requests in few segments: no deep recursion, nothing invented', () => {
  const req = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n'.repeat(20000));
  const segs: Seg[] = [{ dir: 0, seq: 1, data: new Uint8Array(0), flags: 0x002 }];
  for (let o = 0; o < req.length; o += 60000) segs.push({ dir: 0, seq: 2 + o, data: req.subarray(o, o + 60000), flags: 0x018 });
  expect(captureHeaderBlocks(pcap(segs))).toEqual([]);
});
