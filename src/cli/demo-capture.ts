/**
 * The demo's traffic: a Node HTTP server and client talking over loopback through a recording
 * TCP proxy. The proxy sees the real byte stream of each connection; `recordHttp()` returns it as
 * Ethernet/IPv4/TCP frames (handshake, data segments of at most 1460 bytes with their ACKs,
 * FIN exchange) built with wirekit's own encoder: lengths and checksums filled in.
 */
// node:http and node:net are imported when the demo runs, not when the CLI starts (~10 ms).
import type { AddressInfo, Server, Socket } from 'node:net';
import { encodePacket, encodedLength, type LayerInput } from '../packet/encode.js';
import type { WritablePacket } from '../pcap/writer.js';

/** One recorded piece of a proxied connection (`conn` numbers connections, and seeds their ISNs). */
export interface Chunk {
  conn: number;
  fromClient: boolean;
  t: bigint;
  data: Uint8Array | 'open' | 'close';
  ports: [number, number];
}

const MSS = 1460;

/**
 * A TCP proxy to `serverPort` on 127.0.0.1 that records both directions of every connection it
 * relays into `chunks` ('open', each data read, 'close'), tagging them with `nextConn()`.
 * Sockets are added to `sockets` (if given) so callers can destroy them; an error on one side
 * destroys the other.
 */
export async function recordingProxy(serverPort: number, chunks: Chunk[], nextConn: () => number, sockets?: Socket[]): Promise<Server> {
  const { createServer: netServer, connect } = await import('node:net');
  const proxy = netServer((client: Socket) => {
    const conn = nextConn();
    const ports: [number, number] = [client.remotePort!, (proxy.address() as AddressInfo).port];
    const record = (fromClient: boolean, data: Chunk['data']): void => {
      chunks.push({ conn, fromClient, t: process.hrtime.bigint(), data, ports });
    };
    record(true, 'open');
    const upstream = connect(serverPort, '127.0.0.1');
    sockets?.push(client, upstream);
    client.on('data', (b: Buffer) => {
      record(true, new Uint8Array(b));
      upstream.write(b);
    });
    upstream.on('data', (b: Buffer) => {
      record(false, new Uint8Array(b));
      client.write(b);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => record(true, 'close'));
  });
  return proxy;
}

/** Runs three HTTP exchanges through the recording proxy; returns the frames. */
export async function recordHttp(): Promise<WritablePacket[]> {
  const { createServer: httpServer, request } = await import('node:http');
  const server = httpServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (b: Buffer) => body.push(b));
    req.on('end', () => {
      if (req.url === '/big') res.end(Buffer.alloc(20000, 'wirekit '));
      else if (req.method === 'POST') res.end(`echo ${Buffer.concat(body).length} bytes`);
      else res.end('hello from wirekit demo\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const serverPort = (server.address() as AddressInfo).port;
  const chunks: Chunk[] = [];
  let conns = 0;
  const proxy = await recordingProxy(serverPort, chunks, () => conns++);
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as AddressInfo).port;
  const call = (method: string, path: string, body?: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: { connection: 'close' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  await call('GET', '/');
  await call('POST', '/echo', JSON.stringify({ hello: 'wirekit', n: 42 }));
  await call('GET', '/big');
  await new Promise((r) => setTimeout(r, 50));
  proxy.close();
  server.close();
  return frames(chunks);
}

/** Turns the recorded byte streams into TCP/IPv4/Ethernet frames with consistent seq/ack. */
export function frames(chunks: Chunk[]): WritablePacket[] {
  const t0 = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  const out: WritablePacket[] = [];
  const state = new Map<number, { seq: [number, number]; id: number }>();
  const mac = ['02:00:00:00:00:01', '02:00:00:00:00:02'];
  const ip = ['127.0.0.1', '127.0.0.1'];
  const emit = (c: Chunk, fromClient: boolean, flags: number, payload: Uint8Array, dt: bigint): void => {
    const s = state.get(c.conn)!;
    const a = fromClient ? 0 : 1;
    const layers: LayerInput[] = [
      { type: 'eth', src: mac[a], dst: mac[1 - a] },
      { type: 'ipv4', src: ip[a], dst: ip[1 - a], identification: s.id++ & 0xffff, flags: 2, ttl: 64 },
      {
        type: 'tcp',
        srcPort: c.ports[a],
        dstPort: c.ports[1 - a],
        seqRaw: s.seq[a]! >>> 0,
        ackRaw: flags & 0x010 ? s.seq[1 - a]! >>> 0 : 0,
        flags,
        windowSize: 65535,
      },
    ];
    const buf = new Uint8Array(encodedLength(layers, payload));
    encodePacket(layers, payload, buf);
    const ns = t0 + c.t + dt;
    out.push({ data: buf, tsSec: Number(ns / 1_000_000_000n), tsNsec: Number(ns % 1_000_000_000n) });
    s.seq[a] = (s.seq[a]! + payload.length + (flags & 0x003 ? 1 : 0)) >>> 0;
  };
  const none = new Uint8Array(0);
  for (const c of chunks) {
    if (c.data === 'open') {
      state.set(c.conn, { seq: [0x1000_0000 * (c.conn + 1), 0x7000_0000 + c.conn * 0x100], id: 1 });
      emit(c, true, 0x002, none, 0n); // SYN
      emit(c, false, 0x012, none, 20_000n); // SYN, ACK
      emit(c, true, 0x010, none, 40_000n); // ACK
    } else if (c.data === 'close') {
      emit(c, true, 0x011, none, 0n); // FIN, ACK
      emit(c, false, 0x011, none, 20_000n);
      emit(c, true, 0x010, none, 40_000n);
    } else {
      for (let o = 0; o < c.data.length; o += MSS) {
        const seg = c.data.subarray(o, o + MSS);
        emit(c, c.fromClient, o + MSS >= c.data.length ? 0x018 : 0x010, seg, BigInt(o));
      }
      emit(c, !c.fromClient, 0x010, none, 30_000n);
    }
  }
  return out;
}
