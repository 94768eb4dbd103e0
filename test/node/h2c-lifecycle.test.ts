// Review fixes of the h2c capture follower: linear HTTP/1 head search, short first segments,
// connection lifecycle (SYN-only connections, 4-tuple reuse, LRU), and data carried by a SYN.
import { expect, test } from 'vitest';
import { H2cCapture } from '../../src/packet/h2c-capture.js';
import { TcpDirection } from '../../src/packet/tcp-reassembly.js';
import { serializeFrame, CONNECTION_PREFACE } from '../../src/http2/frames.js';
import { HpackEncoder } from '../../src/hpack/index.js';
import type { DecodedPacket } from '../../src/packet/types.js';

const te = new TextEncoder();
const cat = (...a: Uint8Array[]): Uint8Array => {
  const o = new Uint8Array(a.reduce((n, x) => n + x.length, 0));
  let p = 0;
  for (const x of a) {
    o.set(x, p);
    p += x.length;
  }
  return o;
};
function pkt(src: string, sport: number, dst: string, dport: number, seq: number, flags: number, payload: Uint8Array = new Uint8Array(0)): [Uint8Array, DecodedPacket] {
  const tcp = { type: 'tcp', srcPort: sport, dstPort: dport, seqRaw: seq >>> 0, flags };
  return [payload, { layers: [{ type: 'ipv4', src, dst }, tcp], tcp, payload: { offset: 0, length: payload.length } } as unknown as DecodedPacket];
}
const c2s = (seq: number, p: Uint8Array, sport = 40000, flags = 0x018) => pkt('1.1.1.1', sport, '2.2.2.2', 80, seq, flags, p);
const s2c = (seq: number, p: Uint8Array, sport = 40000, flags = 0x018) => pkt('2.2.2.2', 80, '1.1.1.1', sport, seq, flags, p);
const h2client = (): Uint8Array =>
  cat(
    CONNECTION_PREFACE,
    serializeFrame({ kind: 'SETTINGS', settings: [] }),
    serializeFrame({ kind: 'HEADERS', streamId: 1, fragment: new HpackEncoder().encode([[':method', 'GET'], [':path', '/x']]) } as never),
  );

test('an HTTP/1 head of 60 KB in 1-octet segments is searched linearly', () => {
  const cap = new H2cCapture();
  const head = te.encode('GET / HTTP/1.1\r\nX: ' + 'a'.repeat(60_000));
  for (let i = 0; i < head.length; i++) cap.packet(...c2s(1 + i, head.subarray(i, i + 1)));
  // Each octet is searched for CRLFCRLF about once (at most 3 again per segment), not once per segment.
  expect(cap.headOctetsScanned).toBeLessThanOrEqual(4 * head.length);
  // ... and the head is then still followed: its end comes, then an Upgrade is still recognised.
  const end = te.encode('\r\n\r\n');
  cap.packet(...c2s(1 + head.length, end));
  expect(cap.headOctetsScanned).toBeLessThanOrEqual(4 * (head.length + end.length));
});

test('an Upgrade request whose first segment is "GET " (or shorter) is still recognised', () => {
  const req = te.encode('GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n');
  const resp = te.encode('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
  const frames = cat(serializeFrame({ kind: 'SETTINGS', settings: [] }), serializeFrame({ kind: 'HEADERS', streamId: 1, fragment: new HpackEncoder().encode([[':status', '200']]) } as never));
  for (const split of [1, 3, 4, 5, 6]) {
    const cap = new H2cCapture();
    cap.packet(...c2s(1, req.subarray(0, split)));
    cap.packet(...c2s(1 + split, req.subarray(split)));
    const r = cap.packet(...s2c(1, cat(resp, frames)));
    expect(r?.frames.length, `split ${split}`).toBe(2);
  }
  // Non-HTTP octets still turn the direction off at once.
  const cap = new H2cCapture();
  cap.packet(...c2s(1, te.encode('get ')));
  cap.packet(...c2s(5, req));
  expect(cap.packet(...s2c(1, cat(resp, frames)))).toBeUndefined();
});

test('SYN-only connections (a port scan) do not stop a later h2c connection being followed', () => {
  const cap = new H2cCapture(undefined, { maxConnections: 64 });
  for (let i = 0; i < 4096; i++) cap.packet(...pkt('10.0.0.1', 1024 + i, '10.0.0.2', 80, 1, 0x002));
  // Bare ACKs / FINs of unknown connections create nothing.
  for (let i = 0; i < 100; i++) cap.packet(...pkt('10.0.1.1', 1024 + i, '10.0.0.2', 80, 1, 0x010));
  const r = cap.packet(...pkt('10.0.0.9', 5555, '10.0.0.10', 8080, 100, 0x018, h2client()));
  expect(r?.magic).toBe(true);
  expect(r?.frames.length).toBe(2);
  expect(cap.evicted).toBeGreaterThan(0);
});

test('a reused 4-tuple with a new ISN (after FIN, after RST, or without either) is a new connection', () => {
  for (const end of [0x011, 0x004, 0]) {
    const cap = new H2cCapture();
    const a = h2client();
    cap.packet(...c2s(1000, new Uint8Array(0), 40000, 0x002));
    expect(cap.packet(...c2s(1001, a))?.frames.length).toBe(2);
    if (end === 0x011) {
      cap.packet(...c2s(1001 + a.length, new Uint8Array(0), 40000, 0x011));
      cap.packet(...s2c(7, new Uint8Array(0), 40000, 0x011));
      // After both FINs late segments are ignored.
      expect(cap.packet(...c2s(1001, a))).toBeUndefined();
    } else if (end === 0x004) cap.packet(...s2c(7, new Uint8Array(0), 40000, 0x004));
    cap.packet(...c2s(0x30000000, new Uint8Array(0), 40000, 0x002)); // new SYN, new ISN
    const r = cap.packet(...c2s(0x30000001, h2client()));
    expect(r?.magic, `end ${end}`).toBe(true);
    expect(r?.frames.length).toBe(2);
  }
});

test('a retransmitted SYN (same ISN) keeps the connection', () => {
  const cap = new H2cCapture();
  const a = h2client();
  cap.packet(...c2s(1000, new Uint8Array(0), 40000, 0x002));
  cap.packet(...c2s(1001, a.subarray(0, 10)));
  cap.packet(...c2s(1000, new Uint8Array(0), 40000, 0x002));
  expect(cap.packet(...c2s(1011, a.subarray(10)))?.frames.length).toBe(2);
});

test('data carried by a SYN (TCP Fast Open) starts at ISN + 1', () => {
  const t = new TcpDirection();
  expect(t.syn(1000, Uint8Array.from([65, 66, 67])).map((x) => [...x])).toEqual([[65, 66, 67]]);
  expect(t.push(1004, Uint8Array.from([68])).map((x) => [...x])).toEqual([[68]]);
  expect(t.push(1001, Uint8Array.from([65, 66]))).toEqual([]); // a retransmission
  const cap = new H2cCapture();
  const a = cat(CONNECTION_PREFACE, serializeFrame({ kind: 'SETTINGS', settings: [] }));
  const r = cap.packet(...c2s(5000, a, 40001, 0x002));
  expect(r?.magic).toBe(true);
  expect(r?.frames.length).toBe(1);
});

test('RFC 9113 §6.10: a frame interrupting an unfinished header block stops header decoding for the direction (not appended to the block)', async () => {
  const { H2cStream } = await import('../../src/packet/h2c-stream.js');
  // Hand-assembled frames: HEADERS stream 1 without END_HEADERS carrying 0x82 (:method GET), then
  // HEADERS stream 3 with END_HEADERS carrying 0x84 (:path /), RFC 7541 Appendix A static indices.
  const open1 = new Uint8Array([0, 0, 1, 1, 0, 0, 0, 0, 1, 0x82]);
  const full3 = new Uint8Array([0, 0, 1, 1, 4, 0, 0, 0, 3, 0x84]);
  const s = new H2cStream(false);
  const frames = s.push(cat(new Uint8Array([0, 0, 0, 4, 0, 0, 0, 0, 0]), open1, full3)).frames;
  expect(frames.map((f) => [f.type, f.streamId])).toEqual([[4, 0], [1, 1], [1, 3]]); // every frame still listed
  expect(frames[2]!.headers).toBeUndefined(); // not [':method GET', ':path /'] glued together
  expect(s.hpackError).toMatchObject({ http2Code: 'PROTOCOL_ERROR', reason: 'CONTINUATION_EXPECTED' });
  // A CONTINUATION of the same stream is the legal follow-up: the block then decodes whole.
  const t = new H2cStream(false);
  const cont1 = new Uint8Array([0, 0, 1, 9, 4, 0, 0, 0, 1, 0x84]);
  const g = t.push(cat(open1, cont1)).frames;
  expect(g[1]!.headers?.map((h) => [h.name, h.value])).toEqual([[':method', 'GET'], [':path', '/']]);
  expect(t.hpackError).toBeUndefined();
  s.dispose();
  t.dispose();
});
