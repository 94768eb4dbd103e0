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
 * Yields the packets of a pcap or pcapng capture as its bytes arrive; returns the Capture
 * (format, interfaces; `packets` stays empty). A damaged or cut tail: the good packets, then the
 * same typed error `readCapture` would report. Memory stays bounded by the largest record.
 */
export async function* streamCapture(source: ByteSource, options: StreamOptions = {}): AsyncGenerator<CapturePacket, Capture | undefined> {
  const maxBlock = options.maxBlock ?? 16 * 1024 * 1024;
  let buf = new Uint8Array(64 * 1024);
  let start = 0; // first unconsumed byte
  let end = 0; // end of valid bytes
  let base = 0; // file offset of buf[0]
  let cap: Capture | undefined;
  let walker: PcapngWalker | undefined;
  let n = 0;
  let eof = false;
  const it = chunks(source)[Symbol.asyncIterator]();

  /** Appends a chunk: compacts the buffer, or grows it to a power of two when it must. */
  function append(c: Uint8Array): void {
    const live = end - start;
    if (end + c.length > buf.length) {
      if (live + c.length <= buf.length) buf.copyWithin(0, start, end);
      else {
        const next = new Uint8Array(2 ** Math.ceil(Math.log2(live + c.length)));
        next.set(buf.subarray(start, end));
        buf = next;
      }
      base += start;
      start = 0;
      end = live;
    }
    buf.set(c, end);
    end += c.length;
  }

  /** Ensures `k` bytes from `start` are buffered; false at end of input. */
  async function need(k: number): Promise<boolean> {
    while (end - start < k && !eof) {
      const r = await it.next();
      if (r.done) eof = true;
      else append(r.value);
    }
    return end - start >= k;
  }

  const dv = (): DataView => new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!(await need(4))) {
    if (end - start === 0 && eof) throw new TruncatedError('not a capture file: empty input', { offset: 0, needed: 4, available: 0 });
  }
  const magic = end - start >= 4 ? dv().getUint32(start, false) : 0;
  if (magic === 0x0a0d0d0a) {
    await need(12);
    const d = dv();
    const le = d.getUint32(start + 8, true) === 0x1a2b3c4d;
    await need(Math.min(maxBlock, Math.max(28, d.getUint32(start + 4, le))));
  } else await need(24);
  cap = captureHeader(buf.subarray(start, end));
  if (cap.format === 'pcap') {
    start += 24;
    const rl = pcapRecordHeaderLength(cap);
    for (;;) {
      if (!(await need(rl)) && end - start === 0) return cap;
      const len = end - start >= rl ? rl + incl(dv(), start, cap) : rl;
      await need(len);
      const d = dv();
      const L = pcapRecordLength(d, start, end, cap, n, base);
      const p = pcapRecord(buf, d, start, cap, ++n, base);
      if (options.copy) p.data = p.data.slice();
      start += L;
      yield p;
    }
  }
  walker = new PcapngWalker(cap);
  for (;;) {
    if (!(await need(12)) && end - start === 0) return cap;
    let len = 12;
    if (end - start >= 12) {
      const d = dv();
      const shb = d.getUint32(start, true) === 0x0a0d0d0a;
      const le = shb ? d.getUint32(start + 8, true) === 0x1a2b3c4d : walkerLe(walker);
      len = d.getUint32(start + 4, le);
      if (len > maxBlock) throw new MalformedError(`pcapng: block at offset ${base + start} is ${len} bytes, more than maxBlock ${maxBlock}`, { offset: base + start + 4 });
    }
    await need(Math.max(12, len));
    const d = dv();
    const L = walker.blockLength(d, start, end, base);
    const p = walker.block(buf, d, start, L, base);
    start += L;
    if (p) {
      if (options.copy) p.data = p.data.slice();
      yield p;
    }
  }
}

function incl(dv: DataView, off: number, cap: Capture): number {
  const le = cap.byteOrder === 'little';
  const a = dv.getUint32(off + 8, le);
  const b = dv.getUint32(off + 12, le);
  const swapped = (cap.versionMajor === 2 && cap.versionMinor < 3) || (cap.versionMajor === 2 && cap.versionMinor === 3 && a > b);
  // Never ask for more than a record may hold: pcapRecordLength reports the oversize.
  return Math.min(swapped ? b : a, 262144);
}

function walkerLe(w: PcapngWalker): boolean {
  return w.littleEndian;
}
