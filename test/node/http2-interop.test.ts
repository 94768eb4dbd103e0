// Live interop with Node's http2 (nghttp2's HPACK) on loopback, both directions and both roles:
// 1. our client (HpackEncoder + frames) -> Node http2 server: nghttp2 decodes our blocks; the
//    server's responses (nghttp2's encoder) are decoded by our FrameReader + HpackDecoder.
// 2. Node http2 client -> our server: nghttp2-encoded requests decoded by us; our encoded
//    responses decoded by nghttp2.
import { describe, test, expect } from 'vitest';
import http2 from 'node:http2';
import net from 'node:net';
import { once } from 'node:events';
import { HpackDecoder, HpackEncoder, FrameReader, serializeFrame, CONNECTION_PREFACE, type ReadFrame } from '../../src/index.js';

const requests: Array<Array<[string, string]>> = [];
for (let i = 0; i < 6; i++) {
  requests.push([
    [':method', i % 2 ? 'POST' : 'GET'],
    [':scheme', 'http'],
    [':authority', 'localhost'],
    [':path', `/items/${i}?q=${'x'.repeat(i * 40)}`],
    ['user-agent', 'wirekit-interop/1.0 (like Mozilla/5.0)'],
    ['accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ['x-request-id', `req-${i}`],
    ['cookie', 'session=0123456789abcdef0123456789abcdef'],
  ]);
}
const responseFor = (i: number): Record<string, string | string[]> => ({
  ':status': i % 3 === 0 ? '200' : '404',
  'content-type': 'text/plain; charset=utf-8',
  'cache-control': 'private, max-age=0',
  'x-echo': `req-${i}`,
  'set-cookie': [`a=${i}; Path=/`, 'b=2; HttpOnly'],
});

describe('Node http2 (nghttp2) interop on loopback', () => {
  test('our client: nghttp2 decodes our header blocks (split in CONTINUATIONs), we decode nghttp2\'s', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      seen.push(headers);
      const i = Number(String(headers['x-request-id']).slice(4));
      stream.respond(responseFor(i), { endStream: true });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sock = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await once(sock, 'connect');
    const enc = new HpackEncoder();
    const reader = new FrameReader({ peer: 'server', decoder: new HpackDecoder() });
    const frames: ReadFrame[] = [];
    let done: () => void;
    const allDone = new Promise<void>((r) => (done = r));
    sock.on('data', (chunk: Buffer) => {
      for (const f of reader.push(chunk)) {
        frames.push(f);
        if (f.kind === 'SETTINGS' && !f.ack) sock.write(serializeFrame({ kind: 'SETTINGS', ack: true }));
        if (frames.filter((x) => x.kind === 'HEADERS').length === requests.length) done();
      }
    });
    sock.write(CONNECTION_PREFACE);
    sock.write(serializeFrame({ kind: 'SETTINGS', settings: [] }));
    requests.forEach((req, i) => {
      const block = enc.encode(req.map(([name, value]) => ({ name, value, sensitive: name === 'cookie' && i === 5 })));
      const cut = Math.floor(block.length / 2);
      sock.write(serializeFrame({ kind: 'HEADERS', streamId: 2 * i + 1, fragment: block.subarray(0, cut), endHeaders: false, endStream: true }));
      sock.write(serializeFrame({ kind: 'CONTINUATION', streamId: 2 * i + 1, fragment: block.subarray(cut) }));
    });
    await allDone;
    sock.destroy();
    server.close();
    expect(enc.tableLength).toBeGreaterThan(0); // the dynamic table was exercised
    expect(seen.length).toBe(requests.length);
    seen.forEach((h, i) => {
      for (const [name, value] of requests[i]!) expect(h[name], `${i} ${name}`).toBe(value);
    });
    expect(seen[5]![http2.sensitiveHeaders as unknown as string]).toContain('cookie');
    const responses = frames.filter((f) => f.kind === 'HEADERS');
    for (const r of responses) {
      const i = (r.streamId - 1) / 2;
      const want = responseFor(i);
      const got = r.fields!.map((f) => [f.name, f.value]);
      for (const [name, value] of Object.entries(want)) {
        for (const v of [value].flat()) expect(got, `${i} ${name}`).toContainEqual([name, v]);
      }
      expect(got.some(([n]) => n === 'date')).toBe(true);
    }
  });

  test('our server: we decode nghttp2\'s requests, nghttp2 decodes our responses', async () => {
    const decoded: Array<Array<[string, string]>> = [];
    const server = net.createServer((sock) => {
      const reader = new FrameReader({ peer: 'client', decoder: new HpackDecoder() });
      const enc = new HpackEncoder();
      sock.write(serializeFrame({ kind: 'SETTINGS', settings: [[3, 100]] }));
      sock.on('data', (chunk: Buffer) => {
        for (const f of reader.push(chunk)) {
          if (f.kind === 'SETTINGS' && !f.ack) sock.write(serializeFrame({ kind: 'SETTINGS', ack: true }));
          if (f.kind === 'HEADERS') {
            const fields = f.fields!.map((x) => [x.name, x.value] as [string, string]);
            decoded.push(fields);
            const id = fields.find(([n]) => n === 'x-request-id')![1];
            const i = Number(id.slice(4));
            const res = Object.entries(responseFor(i)).flatMap(([n, v]) => [v].flat().map((x) => [n, x] as [string, string]));
            sock.write(serializeFrame({ kind: 'HEADERS', streamId: f.streamId, fragment: enc.encode(res), endStream: true }));
          }
        }
      });
      sock.on('error', () => {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = http2.connect(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    const results = await Promise.all(
      requests.map(async (req, i) => {
        const headers: Record<string, string> = {};
        for (const [n, v] of req) if (n !== ':scheme' && n !== ':authority') headers[n] = v;
        const stream = client.request(headers, { endStream: true });
        const [res] = (await once(stream, 'response')) as [Record<string, unknown>];
        stream.resume();
        await once(stream, 'end');
        return [i, res] as const;
      }),
    );
    client.close();
    server.close();
    expect(decoded.length).toBe(requests.length);
    for (const fields of decoded) {
      const i = Number(fields.find(([n]) => n === 'x-request-id')![1].slice(4));
      for (const [name, value] of requests[i]!) if (name !== ':scheme' && name !== ':authority') expect(fields, `${i} ${name}`).toContainEqual([name, value]);
    }
    for (const [i, res] of results) {
      const want = responseFor(i);
      expect(String(res[':status'])).toBe(want[':status']);
      expect(res['x-echo']).toBe(want['x-echo']);
      expect(res['content-type']).toBe(want['content-type']);
      expect(res['set-cookie']).toEqual(want['set-cookie']);
    }
  });
});
