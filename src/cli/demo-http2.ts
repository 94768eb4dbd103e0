/**
 * The demo's HTTP/2 traffic: Node's own `http2` client and server (nghttp2 encodes and decodes the
 * HPACK) talking cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3) over loopback through the
 * same kind of recording TCP proxy as the HTTP/1.1 part ({@link frames} turns it into
 * Ethernet/IPv4/TCP frames). Besides the chunks, it returns what nghttp2 itself reported: the
 * header lists each side received (`rawHeaders`, in wire order) — the truth for our decoding.
 */
import type http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { recordingProxy, type Chunk } from './demo-capture.js';
import { readCapture } from '../pcap/reader.js';
import { decodeForDissect } from './dissect-fields.js';
import { Http2Fields, utf8 } from './dissect-http2.js';

/** What one request/response carried, as nghttp2 decoded it on the receiving side. */
export interface Http2Exchange {
  /** Request header list the server received (name, value pairs in wire order). */
  request: Array<[string, string]>;
  /** Response header list the client received. */
  response: Array<[string, string]>;
}

const pairs = (raw: string[]): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
};

/** The requests the demo's client sends (the second reuses the dynamic table the first filled). */
export const DEMO_H2_REQUESTS: Array<http2.OutgoingHttpHeaders> = [
  { ':method': 'GET', ':path': '/h2/hello', 'user-agent': 'wirekit-demo/1', accept: 'text/plain', 'x-wirekit': 'first, with a comma' },
  { ':method': 'POST', ':path': '/h2/echo', 'user-agent': 'wirekit-demo/1', accept: 'text/plain', 'content-type': 'application/json' },
];

/**
 * Runs the HTTP/2 exchanges through a recording proxy. `conn` is the connection number given to
 * the recorded chunks (distinct from the HTTP/1.1 part's, so sequence numbers differ).
 */
export async function recordHttp2(conn: number): Promise<{ chunks: Chunk[]; exchanges: Http2Exchange[] }> {
  const { createServer, connect } = await import('node:http2'); // loaded when the demo runs, not at CLI start
  const server = createServer();
  const received: Array<Array<[string, string]>> = [];
  server.on('stream', (stream: http2.ServerHttp2Stream, _headers: http2.IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
    received.push(pairs(rawHeaders));
    const body: Buffer[] = [];
    stream.on('data', (b: Buffer) => body.push(b));
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'text/plain; charset=utf-8', 'x-served-by': 'node http2, via nghttp2' });
      stream.end(`h2 hello, ${Buffer.concat(body).length} bytes received\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const serverPort = (server.address() as AddressInfo).port;
  const chunks: Chunk[] = [];
  const sockets: Socket[] = [];
  const proxy = await recordingProxy(serverPort, chunks, () => conn, sockets);
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const session = connect(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
  const responses: Array<Array<[string, string]>> = [];
  try {
    for (const headers of DEMO_H2_REQUESTS) {
      // One at a time: the capture then holds the requests and responses in a fixed order.
      await new Promise<void>((resolve, reject) => {
        const req = session.request(headers);
        req.on('response', (_h: http2.IncomingHttpHeaders, _f: number, rawHeaders: string[]) => responses.push(pairs(rawHeaders)));
        req.on('error', reject);
        req.resume();
        req.on('end', resolve);
        req.end(headers[':method'] === 'POST' ? JSON.stringify({ hello: 'wirekit', over: 'h2c' }) : undefined);
      });
    }
  } finally {
    await new Promise<void>((r) => session.close(() => r()));
    await new Promise((r) => setTimeout(r, 50));
    for (const s of sockets) s.destroy();
    proxy.close();
    server.close();
  }
  return { chunks, exchanges: received.map((request, i) => ({ request, response: responses[i] ?? [] })) };
}

/** One decoded header block of a capture, with where it was seen. */
export interface CapturedHeaderBlock {
  /** Capture frame number (1-based) of the TCP segment holding the block's last octet. */
  frame: number;
  srcPort: number;
  dstPort: number;
  streamId: number;
  /** HTTP/2 frame type that ended the block (1 HEADERS, 5 PUSH_PROMISE, 9 CONTINUATION). */
  type: number;
  headers: Array<[string, string]>;
}

/** Every HTTP/2 header block of a capture in memory, decoded, in capture order. */
export function captureHeaderBlocks(bytes: Uint8Array, decodeAs?: ReadonlyMap<string, string>): CapturedHeaderBlock[] {
  const out: CapturedHeaderBlock[] = [];
  const h2 = new Http2Fields(decodeAs);
  try {
    for (const p of readCapture(bytes).packets) {
      const dec = decodeForDissect(p, decodeAs);
      for (const f of h2.segment(p, dec)?.frames ?? []) {
        if (!f.headers) continue;
        out.push({ frame: p.number, srcPort: dec!.tcp!.srcPort!, dstPort: dec!.tcp!.dstPort!, streamId: f.streamId, type: f.type, headers: f.headers.map((h) => [utf8(h.name), utf8(h.value)]) });
      }
    }
  } finally {
    h2.dispose();
  }
  return out;
}
