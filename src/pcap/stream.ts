/**
 * Streaming capture reader: packets from a Node stream, a web ReadableStream or any async
 * iterable of byte chunks, in bounded memory (one buffer that holds the largest record or block,
 * at most `maxBlock` bytes), without loading the file.
 */
import { MalformedError, TruncatedError } from '../runtime/errors.js';
import { captureHeader, pcapRecord, pcapRecordHeaderLength, pcapRecordLength, type Capture, type CapturePacket } from './reader.js';
import { PcapngWalker } from './pcapng.js';

export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export interface StreamOptions {
  /**
   * Copy each packet's bytes (default false: `data` is a view into the reader's buffer, valid
   * until the next packet is requested).
   */
  copy?: boolean;
  /** Largest pcapng block accepted, bytes (default 16 MiB); a larger one is a MalformedError. */
  maxBlock?: number;
}

async function* chunks(src: ByteSource): AsyncGenerator<Uint8Array> {
  if (typeof (src as ReadableStream<Uint8Array>).getReader === 'function' && !(Symbol.asyncIterator in src)) {
    const r = (src as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await r.read();
        if (done) return;
        yield value;
      }
    } finally {
      r.releaseLock();
    }
  }
  for await (const c of src as AsyncIterable<Uint8Array>) yield c;
}

/**
 * Push parser behind {@link streamCapture}: feed chunks with `push`, take packets with `next`.
 * A packet's `data` is a view into the parser's buffer, valid until the next `push`.
 */
export class CaptureParser {
  private buf = new Uint8Array(64 * 1024);
  private start = 0; // first unconsumed byte
  private end = 0; // end of valid bytes
  private base = 0; // file offset of buf[0]
  private cap: Capture | undefined;
  private walker: PcapngWalker | undefined;
  private n = 0;
  private readonly maxBlock: number;

  constructor(options: StreamOptions = {}) {
    this.maxBlock = options.maxBlock ?? 16 * 1024 * 1024;
  }

  /** The file's format and interfaces, once its header was read. */
  get capture(): Capture | undefined {
    return this.cap;
  }

  /** Appends a chunk: compacts the buffer, or grows it to a power of two when it must. */
  push(c: Uint8Array): void {
    const live = this.end - this.start;
    if (this.end + c.length > this.buf.length) {
      if (live + c.length <= this.buf.length) this.buf.copyWithin(0, this.start, this.end);
      else {
        const next = new Uint8Array(2 ** Math.ceil(Math.log2(live + c.length)));
        next.set(this.buf.subarray(this.start, this.end));
        this.buf = next;
      }
      this.base += this.start;
      this.start = 0;
      this.end = live;
    }
    this.buf.set(c, this.end);
    this.end += c.length;
  }

  /**
   * The next complete packet, or undefined when more bytes are needed. With `eof` (no more
   * input), bytes that do not make a whole record throw the error readCapture reports.
   */
  next(eof: boolean): CapturePacket | undefined {
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const avail = (): number => this.end - this.start;
    if (!this.cap) {
      let need = 24;
      if (avail() >= 4 && dv.getUint32(this.start, false) === 0x0a0d0d0a) {
        need = 12;
        if (avail() >= 12) {
          const le = dv.getUint32(this.start + 8, true) === 0x1a2b3c4d;
          need = Math.min(this.maxBlock, Math.max(28, dv.getUint32(this.start + 4, le)));
        }
      }
      if (avail() < need && !eof) return undefined;
      if (eof && avail() === 0) throw new TruncatedError('not a capture file: empty input', { offset: 0, needed: 4, available: 0 });
      this.cap = captureHeader(this.buf.subarray(this.start, this.end));
      if (this.cap.format === 'pcap') this.start += 24;
      else this.walker = new PcapngWalker(this.cap);
    }
    const cap = this.cap;
    if (cap.format === 'pcap') {
      const rl = pcapRecordHeaderLength(cap);
      if (avail() === 0) return undefined;
      const len = avail() >= rl ? rl + incl(dv, this.start, cap) : rl;
      if (avail() < len && !eof) return undefined;
      const L = pcapRecordLength(dv, this.start, this.end, cap, this.n, this.base);
      const p = pcapRecord(this.buf, dv, this.start, cap, ++this.n, this.base);
      this.start += L;
      return p;
    }
    const w = this.walker!;
    for (;;) {
      if (avail() === 0) return undefined;
      let len = 12;
      if (avail() >= 12) {
        const shb = dv.getUint32(this.start, true) === 0x0a0d0d0a;
        const le = shb ? dv.getUint32(this.start + 8, true) === 0x1a2b3c4d : w.littleEndian;
        len = Math.max(12, dv.getUint32(this.start + 4, le));
        if (len > this.maxBlock) {
          throw new MalformedError(`pcapng: block at offset ${this.base + this.start} is ${len} bytes, more than maxBlock ${this.maxBlock}`, {
            offset: this.base + this.start + 4,
          });
        }
      }
      if (avail() < len && !eof) return undefined;
      const L = w.blockLength(dv, this.start, this.end, this.base);
      const p = w.block(this.buf, dv, this.start, L, this.base);
      this.start += L;
      if (p) return p;
    }
  }
}

/**
 * Yields the packets of a pcap or pcapng capture as its bytes arrive; returns the Capture
 * (format, interfaces; `packets` stays empty). A damaged or cut tail: the good packets, then the
 * same typed error `readCapture` would report. Memory stays bounded by the largest record.
 */
export async function* streamCapture(source: ByteSource, options: StreamOptions = {}): AsyncGenerator<CapturePacket, Capture | undefined> {
  const parser = new CaptureParser(options);
  const out = (p: CapturePacket): CapturePacket => {
    if (options.copy) p.data = p.data.slice();
    return p;
  };
  for await (const c of chunks(source)) {
    parser.push(c);
    for (let p = parser.next(false); p; p = parser.next(false)) yield out(p);
  }
  for (let p = parser.next(true); p; p = parser.next(true)) yield out(p);
  return parser.capture;
}

function incl(dv: DataView, off: number, cap: Capture): number {
  const le = cap.byteOrder === 'little';
  const a = dv.getUint32(off + 8, le);
  const b = dv.getUint32(off + 12, le);
  const swapped = (cap.versionMajor === 2 && cap.versionMinor < 3) || (cap.versionMajor === 2 && cap.versionMinor === 3 && a > b);
  // Never ask for more than a record may hold: pcapRecordLength reports the oversize.
  return Math.min(swapped ? b : a, 262144);
}

