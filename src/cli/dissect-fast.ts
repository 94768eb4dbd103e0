/**
 * Fast path of `wirekit dissect -T fields` for classic pcap and outer-header fields: frames are
 * read straight into Wasm memory in 4 MiB chunks, decoded in batch (decodeCapture's kernel) in
 * blocks of 4096 rows, and printed in Wasm from the columns (src/packet/fields.ts). A frame whose
 * tshark output could involve more than its outer headers (tunnels, ICMP errors, fragments,
 * anything cut short or malformed, non-Ethernet links) goes through the full per-packet decoder
 * instead, so the output stays identical.
 */
import { closeSync, openSync, read, readSync, writeSync } from 'node:fs';
import { pcapChunkDecoder } from '../packet/capture.js';
import { fieldPrinter, WASM_FIELDS, type FieldPrinter } from '../packet/fields.js';
import { alloc, free } from '../runtime/core.js';
import { decodeForDissect, fieldCells } from './dissect-fields.js';
import { captureHeader, MAX_RECORD, pcapRecordLength } from '../pcap/reader.js';

export const FAST_FIELDS: ReadonlySet<string> = new Set(WASM_FIELDS);
const CHUNK = 4 << 20;
/** Room before each chunk for the partial record carried over from the previous one. */
const SLACK = MAX_RECORD + 24 + 4072;
/** Rows decoded per kernel call: the column table stays in cache for the printer. */
const ROWS = 4096;

/** True when the file is a classic pcap and every field is a fast one. */
export function fastPathApplies(file: string | number, fields: readonly string[], decodeAs: ReadonlyMap<string, string>): boolean {
  if (decodeAs.size > 0 || typeof file === 'number' || !fields.every((f) => FAST_FIELDS.has(f))) return false;
  const fd = openSync(file, 'r');
  const b = new Uint8Array(4);
  const n = readSync(fd, b, 0, 4, 0);
  closeSync(fd);
  const m = n === 4 ? new DataView(b.buffer).getUint32(0) : 0;
  return [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(m);
}

/** Output bytes in linear memory (the Wasm printer writes there), written to fd 1 synchronously. */
class WasmOut {
  constructor(private readonly write: (b: Uint8Array) => void) {}
  readonly buf = alloc(1 << 20);
  private readonly text = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  o = 0;
  room(): number {
    return this.buf.length - this.o;
  }
  str(s: string): void {
    if (s.length * 3 > this.room()) this.flush();
    if (s.length * 3 > this.room()) this.write(Buffer.from(s));
    else this.o += this.text.write(s, this.o);
  }
  flush(): void {
    this.write(this.text.subarray(0, this.o));
    this.o = 0;
  }
}

function writeAll(b: Uint8Array): void {
  for (let o = 0; o < b.length; ) {
    try {
      o += writeSync(1, b, o, b.length - o);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

const readAt = (fd: number, b: Uint8Array, at: number, len: number, pos: number): Promise<number> =>
  new Promise((res, rej) => read(fd, b, at, len, pos, (e, n) => (e ? rej(e) : res(n))));

/**
 * Prints `-T fields` for a classic pcap file to `write` (default: stdout); throws the file's damage
 * after the good rows. `chunk`: bytes per read (tests use small ones to cross record boundaries).
 * Reading is double-buffered: the next chunk is read (libuv's thread pool, straight into linear
 * memory) while the current one is decoded and printed.
 */
export async function printFieldsFast(
  file: string,
  fields: readonly string[],
  verify: boolean,
  { chunk = CHUNK, write = writeAll }: { chunk?: number; write?: (b: Uint8Array) => void } = {},
): Promise<void> {
  const fd = openSync(file, 'r');
  const release: Array<() => void> = [() => closeSync(fd)];
  let next = Promise.resolve(0);
  let out: WasmOut | undefined;
  try {
    const head = new Uint8Array(24);
    readSync(fd, head, 0, 24, 0);
    const cap = captureHeader(head); // typed error before any output for a forbidden file
    const dec = pcapChunkDecoder(head, ROWS);
    release.push(() => dec.free());
    const printer = fieldPrinter(dec, fields);
    release.push(() => printer.free());
    const bufs = [alloc(SLACK + chunk), alloc(SLACK + chunk)];
    release.push(() => bufs.forEach(free));
    out = new WasmOut(write);
    release.push(() => free(out!.buf));
    out.str(fields.join('\t') + '\n');
    let cur = 0;
    let pos = 24; // file offset of the next read
    let start = SLACK;
    let end = SLACK + readSync(fd, bufs[0]!, SLACK, chunk, pos);
    let base = pos - SLACK; // file offset of bufs[cur][0]
    pos += end - SLACK;
    next = readAt(fd, bufs[1]!, SLACK, chunk, pos);
    let number = 0;
    for (;;) {
      const input = bufs[cur]!;
      let r = dec.decode(input, end, start, verify);
      for (;;) {
        printRows(out, printer, fields, dec.columns, r.rows, input, number);
        number += r.rows;
        if (!r.full) break;
        r = dec.decode(input, end, r.stop, verify);
      }
      const dv = new DataView(input.buffer, input.byteOffset, end);
      if (r.damaged) pcapRecordLength(dv, r.stop, end, cap, number, base); // throws, naming the damage
      const n = await next;
      if (n === 0) {
        if (r.stop < end) pcapRecordLength(dv, r.stop, end, cap, number, base);
        break;
      }
      // The partial record goes just before the next chunk; this buffer is then free to refill.
      const tail = end - r.stop;
      const other = bufs[cur ^ 1]!;
      other.set(input.subarray(r.stop, end), SLACK - tail);
      base = pos - SLACK;
      pos += n;
      next = readAt(fd, input, SLACK, chunk, pos);
      cur ^= 1;
      start = SLACK - tail;
      end = SLACK + n;
    }
  } finally {
    await next.catch(() => 0); // never free memory a read is still filling
    try {
      out?.flush(); // the good rows before any damage, as tshark prints them
    } finally {
      for (const f of release.reverse()) f();
    }
  }
}

/** Rows [0, rows) of the decoder's table: the Wasm printer, and per-packet formatting for the frames it leaves. */
function printRows(out: WasmOut, printer: FieldPrinter, fields: readonly string[], c: Cols, rows: number, input: Uint8Array, number: number): void {
  for (let i = 0; i < rows; ) {
    if (out.room() < printer.rowMax) out.flush();
    const p = printer.print(input, i, rows, number + 1 + i, out.buf, out.o);
    out.o = p.end;
    i = p.row;
    if (i < rows && out.room() >= printer.rowMax) {
      out.str(slowRow(fields, c, i, input, number + 1 + i));
      i++;
    }
  }
}

type Cols = ReturnType<typeof pcapChunkDecoder>['columns'];

/** A frame the Wasm printer leaves: decoded again by the per-packet decoder, every field as tshark would. */
function slowRow(fields: readonly string[], c: Cols, i: number, input: Uint8Array, number: number): string {
  const off = c.frameOffset[i]!;
  const p = {
    number,
    linkType: c.linkType[i]!,
    interfaceId: 0,
    tsSec: 0,
    tsNsec: 0,
    originalLength: c.originalLength[i]!,
    capturedLength: c.capturedLength[i]!,
    offset: off,
    data: input.subarray(off, off + c.capturedLength[i]!),
  };
  return fieldCells(fields, p, decodeForDissect(p, undefined, false)).join('\t') + '\n';
}
