/**
 * Finds cleartext HTTP/2 (h2c) in a capture and follows it: feed every decoded packet in capture
 * order to {@link H2cCapture.packet}; it reassembles each TCP connection and direction
 * ({@link TcpDirection}, whatever the checksum status) and returns the HTTP/2 frames whose last
 * octet lies in that segment (the way tshark attributes reassembled PDUs).
 *
 * A direction is HTTP/2 when
 * - it starts with the client connection preface "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (prior
 *   knowledge, RFC 9113 §3.3; its other direction is then HTTP/2 from its first octet),
 * - it is the server side of an HTTP/1.1 Upgrade: a request with `Upgrade: h2c` answered by
 *   `101 Switching Protocols`: frames start right after the 101 response head; the client then
 *   sends the preface (RFC 7540 §3.2), or
 * - a `tcp.port==PORT,http2` decode-as rule names one of its ports (the preface is still
 *   recognised when present).
 * Connections: one is created by a SYN or a segment with payload; a pure SYN for a known
 * connection that starts a new one (a different ISN, or after FIN/RST) replaces it; after a RST,
 * or once both sides sent FIN, it is closed (its state released, later segments ignored until a
 * new SYN). Bounded memory: at most `maxConnections` connections are kept (the least recently
 * used one is evicted to make room), out-of-order octets held
 * are bounded per direction (1 MiB) and in all (`maxHeld`, 64 MiB), HTTP/2 frames above
 * `maxFrame` octets (1 MiB; RFC 9113 allows up to 2^24-1 after SETTINGS_MAX_FRAME_SIZE) stop a
 * direction; HTTP/1 heads above 64 KiB, chunked HTTP/1 bodies, non-HTTP streams and streams with
 * a hole the capture cut off are given up on (their octets are no longer reassembled).
 */
import type { DecodedPacket } from './types.js';
import { TcpDirection, connectionKey, type HoldBudget } from './tcp-reassembly.js';
import { H2cStream, type H2Progress } from './h2c-stream.js';
import { CONNECTION_PREFACE } from '../http2/frames.js';

const MAX_HEAD = 64 * 1024;
/** Octets held from a side that starts with a SETTINGS frame before the peer's preface. */
const MAX_EARLY = 16 * 1024;
const latin1 = new TextDecoder('latin1');

type State = 'start' | 'http1' | 'body' | 'h2' | 'off';

interface Dir {
  tcp: TcpDirection;
  state: State;
  /** Unclassified octets, or an HTTP/1 head being gathered: `buf[0, len)` (grown by doubling). */
  buf: Uint8Array;
  len: number;
  /** Octets of `buf` already searched for the end of an HTTP/1 head (CRLFCRLF). */
  scanned: number;
  /** This side sent a FIN. */
  fin: boolean;
  /** HTTP/1 body octets still to skip. */
  skip: number;
  h2?: H2cStream;
}

interface Conn {
  dirs: [Dir, Dir];
  decodeAs: boolean;
  /** Some direction carried the preface, or the Upgrade succeeded. */
  h2: boolean;
  /** Side (0/1) that sent a request with `Upgrade: h2c`, if any. */
  upgradeFrom?: 0 | 1;
  /** RST, or FIN from both sides: nothing more is followed until a new SYN. */
  closed: boolean;
}

const EMPTY = new Uint8Array(0);

/**
 * Whether `s` (the first octets of a direction) can still begin an HTTP/1 request or status
 * line (`METHOD target` or `HTTP/1.`): true, false, or undefined while too short to tell.
 */
function http1Start(s: string): boolean | undefined {
  if (/^(?:[A-Z]{1,20} [^ \r\n]|HTTP\/1\.)/.test(s)) return true;
  if (s.length < 7 && 'HTTP/1.'.startsWith(s)) return undefined;
  if (/^[A-Z]{0,20} ?$/.test(s) && !/^ /.test(s)) return undefined;
  return false;
}

/** What one segment carried at the HTTP/2 level: `magic` = the connection preface completed. */
export type H2Segment = H2Progress;

export class H2cCapture {
  #conns = new Map<string, Conn>();
  #ports: Set<number>;
  #max: number;
  #budget: HoldBudget;
  #maxFrame: number;
  /** Connections evicted (least recently used) to stay within `maxConnections`. */
  evicted = 0;
  /** Octets searched for the end of HTTP/1 heads, in all (each octet about once). */
  headOctetsScanned = 0;

  /** `decodeAs`: tshark-style rules as parsed by the CLI (`tcp:PORT` → 'http2'). */
  constructor(decodeAs?: ReadonlyMap<string, string>, { maxConnections = 4096, maxHeld = 64 << 20, maxFrame = 1 << 20 } = {}) {
    this.#budget = { left: maxHeld };
    this.#maxFrame = maxFrame;
    this.#ports = new Set();
    for (const [k, v] of decodeAs ?? []) if (v === 'http2' && k.startsWith('tcp:')) this.#ports.add(Number(k.slice(4)));
    this.#max = maxConnections;
  }

  /** Stops following one direction: nothing more is reassembled or held for it. */
  #off(d: Dir): void {
    d.state = 'off';
    this.#clear(d);
    d.tcp.release();
    d.h2?.dispose();
    d.h2 = undefined;
  }

  /** One captured packet (its bytes and their decoding); undefined when it carries no HTTP/2. */
  packet(data: Uint8Array, dec: DecodedPacket | undefined): H2Segment | undefined {
    const tcp = dec?.tcp;
    if (!dec || !tcp || tcp.srcPort === undefined || tcp.dstPort === undefined || tcp.seqRaw === undefined || tcp.flags === undefined) return undefined;
    let ip: { src?: string; dst?: string } | undefined;
    for (const L of dec.layers) {
      if (L === tcp) break;
      if (L.type === 'ipv4' || L.type === 'ipv6') ip = L;
      if (L.type === 'icmp' || L.type === 'icmpv6') return undefined; // a quoted header, not a segment
    }
    if (!ip?.src || !ip.dst) return undefined;
    const { key, side } = connectionKey({ addr: ip.src, port: tcp.srcPort }, { addr: ip.dst, port: tcp.dstPort });
    const syn = (tcp.flags & 0x002) !== 0;
    const { offset, length } = dec.payload;
    let c = this.#conns.get(key);
    if (c) {
      // Most recently used last (Map order), so the first entry is the one to evict.
      this.#conns.delete(key);
      this.#conns.set(key, c);
      // A pure SYN opening a new connection on this 4-tuple: a different ISN, or the old one ended.
      const t = c.dirs[side].tcp;
      if (syn && !(tcp.flags & 0x010) && (c.closed || (t.isn !== undefined ? t.isn !== tcp.seqRaw >>> 0 : t.started))) {
        this.#close(c);
        this.#conns.delete(key);
        c = undefined;
      }
    }
    if (c?.closed) return undefined;
    if (tcp.flags & 0x004) {
      if (c) this.#close(c); // RST: the connection is over (kept closed: late segments are not a new stream)
      return undefined;
    }
    if (!c) {
      if (length === 0 && !syn) return undefined; // a bare ACK, FIN: nothing to follow
      while (this.#conns.size >= this.#max) {
        const [k, old] = this.#conns.entries().next().value as [string, Conn];
        this.#close(old);
        this.#conns.delete(k);
        this.evicted++;
      }
      const dir = (): Dir => ({ tcp: new TcpDirection(undefined, this.#budget), state: 'start', buf: EMPTY, len: 0, scanned: 0, skip: 0, fin: false });
      c = { dirs: [dir(), dir()], decodeAs: this.#ports.has(tcp.srcPort) || this.#ports.has(tcp.dstPort), h2: false, closed: false };
      this.#conns.set(key, c);
    }
    const d = c.dirs[side];
    let payload: Uint8Array | undefined;
    if (length > 0 && d.state !== 'off') {
      if (offset + length > data.byteLength) this.#off(d); // the capture cut this segment short: the stream has a hole
      else payload = data.subarray(offset, offset + length);
    }
    // A SYN's own data (TCP Fast Open) starts at ISN + 1 (RFC 9293 §3.4).
    const pieces = syn ? d.tcp.syn(tcp.seqRaw, payload) : payload ? d.tcp.push(tcp.seqRaw, payload) : [];
    const out: H2Segment = { magic: false, frames: [] };
    for (const piece of pieces) this.#feed(c, side, piece, out);
    if (tcp.flags & 0x001) d.fin = true;
    if (c.dirs[0].fin && c.dirs[1].fin && c.dirs[0].tcp.held === 0 && c.dirs[1].tcp.held === 0) this.#close(c);
    // Neither side is HTTP any more: forget the connection (a slot of maxConnections freed).
    else if (c.dirs[0].state === 'off' && c.dirs[1].state === 'off') this.#conns.delete(key);
    // A segment inside a frame is not HTTP/2 yet (tshark: "TCP segment of a reassembled PDU").
    return out.magic || out.frames.length > 0 ? out : undefined;
  }

  /** Octets of one direction, in order (a loop, not recursion: pipelined requests cannot deepen the stack). */
  #feed(c: Conn, side: 0 | 1, b: Uint8Array, out: H2Segment): void {
    const d = c.dirs[side];
    while (b.byteLength > 0) {
      switch (d.state) {
        case 'off':
          return;
        case 'h2': {
          this.#h2(c, side, b, out);
          return;
        }
        case 'body': {
          const n = Math.min(d.skip, b.byteLength);
          d.skip -= n;
          b = b.subarray(n);
          if (d.skip === 0) d.state = 'start';
          break;
        }
        case 'start': {
          this.#gather(d, b);
          b = new Uint8Array(0);
          const head = this.#joined(d);
          const n = Math.min(head.byteLength, CONNECTION_PREFACE.length);
          let isPreface = true;
          for (let i = 0; i < n; i++) if (head[i] !== CONNECTION_PREFACE[i]) isPreface = false;
          if (isPreface && n < CONNECTION_PREFACE.length) return; // wait for the rest
          if (isPreface || c.decodeAs || c.h2) {
            c.h2 = true;
            d.h2 = new H2cStream(isPreface, this.#maxFrame);
            d.state = 'h2';
            this.#release(d, (x) => this.#h2(c, side, x, out));
            // The other side, if it spoke first (a server's SETTINGS), is HTTP/2 from its first octet.
            const o = c.dirs[1 - side]!;
            if (o.state === 'start' && o.len > 0) {
              o.h2 = new H2cStream(false, this.#maxFrame);
              o.state = 'h2';
              this.#release(o, (x) => o.h2!.push(x)); // frames of an earlier segment: not reported here
            }
            return;
          }
          const h1 = http1Start(latin1.decode(head.subarray(0, 24)));
          if (h1) {
            d.state = 'http1';
            b = this.#http1(c, side);
            break;
          } else if (h1 === undefined) {
            return; // a prefix of a request or status line ("GET "): wait for more
          } else if (head.byteLength > MAX_EARLY || (head.byteLength > 3 && head[3] !== 4)) {
            this.#off(d); // neither HTTP/1, the preface, nor a SETTINGS frame sent before the peer's preface
          }
          return;
        }
        case 'http1': {
          this.#gather(d, b);
          b = this.#http1(c, side);
          break;
        }
      }
    }
  }

  /**
   * Parses a complete HTTP/1.1 head from the gathered octets and sets what follows (RFC 9112 §2,
   * §6; RFC 7540 §3.2 for the Upgrade). Returns the octets after the head for the caller to go on
   * with; none while the head is incomplete.
   */
  #http1(c: Conn, side: 0 | 1): Uint8Array {
    const d = c.dirs[side];
    const all = this.#joined(d);
    let end = -1;
    // Resume where the previous search stopped (less 3: CRLFCRLF may straddle the boundary).
    const from = Math.max(0, d.scanned - 3);
    let i = from;
    for (; i + 3 < all.byteLength; i++) {
      if (all[i] === 13 && all[i + 1] === 10 && all[i + 2] === 13 && all[i + 3] === 10) {
        end = i + 4;
        break;
      }
    }
    this.headOctetsScanned += Math.max(0, i - from);
    d.scanned = all.byteLength;
    if (end < 0) {
      if (all.byteLength > MAX_HEAD) this.#off(d);
      return new Uint8Array(0);
    }
    const lines = latin1.decode(all.subarray(0, end - 4)).split('\r\n');
    const hdr = (name: string): string[] =>
      lines
        .slice(1)
        .filter((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === name)
        .map((l) => l.slice(l.indexOf(':') + 1).trim());
    const tokens = (name: string): string[] => hdr(name).flatMap((v) => v.split(',').map((t) => t.trim().toLowerCase()));
    const rest = all.subarray(end);
    this.#clear(d); // `rest` stays valid: a new buffer is allocated for what follows
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!);
    if (!status && tokens('upgrade').includes('h2c')) c.upgradeFrom = side;
    if (status && status[1] === '101' && c.upgradeFrom === 1 - side && tokens('upgrade').includes('h2c')) {
      // RFC 7540 §3.2: the server's first HTTP/2 frame (SETTINGS) follows the 101 head.
      c.h2 = true;
      d.state = 'h2';
      d.h2 = new H2cStream(false, this.#maxFrame);
      return rest;
    }
    const code = status ? Number(status[1]) : 0;
    const cl = hdr('content-length');
    if (tokens('transfer-encoding').includes('chunked')) this.#off(d);
    else if (cl.length > 0 && /^\d+$/.test(cl[0]!)) {
      d.skip = Number(cl[0]);
      d.state = d.skip > 0 ? 'body' : 'start';
    } else if (status && !(code < 200 || code === 204 || code === 304)) this.#off(d); // body until close
    else d.state = 'start';
    return rest;
  }

  #h2(c: Conn, side: 0 | 1, b: Uint8Array, out: H2Segment): void {
    const s = c.dirs[side].h2;
    if (!s) return;
    const p = s.push(b);
    if (s.tooLarge) this.#off(c.dirs[side]);
    if (p.magic) out.magic = true;
    for (const f of p.frames) {
      out.frames.push(f);
      // SETTINGS_HEADER_TABLE_SIZE (0x1) bounds the table of the peer's encoder, i.e. the other direction.
      for (const [id, v] of f.settings ?? []) if (id === 1) c.dirs[1 - side]!.h2?.allowTableSize(v);
    }
  }

  /** Appends to the gathered octets (a copy: the frame is reused), doubling the buffer as needed. */
  #gather(d: Dir, b: Uint8Array): void {
    const need = d.len + b.byteLength;
    if (need > d.buf.byteLength) {
      const next = new Uint8Array(Math.max(need, 2 * d.buf.byteLength, 256));
      next.set(d.buf.subarray(0, d.len));
      d.buf = next;
    }
    d.buf.set(b, d.len);
    d.len = need;
  }

  #joined(d: Dir): Uint8Array {
    return d.buf.subarray(0, d.len);
  }

  /** Forgets the gathered octets; views of them handed out earlier stay valid. */
  #clear(d: Dir): void {
    d.buf = EMPTY;
    d.len = 0;
    d.scanned = 0;
  }

  #release(d: Dir, sink: (b: Uint8Array) => void): void {
    const all = this.#joined(d);
    this.#clear(d);
    if (all.byteLength > 0) sink(all);
  }

  /** Ends a connection: both directions are no longer followed, and later segments ignored. */
  #close(c: Conn): void {
    for (const d of c.dirs) this.#off(d);
    c.closed = true;
  }

  /** Releases every connection's HPACK tables. */
  dispose(): void {
    for (const c of this.#conns.values()) for (const d of c.dirs) d.h2?.dispose();
    this.#conns.clear();
  }
}
