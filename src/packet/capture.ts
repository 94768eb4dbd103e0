/**
 * `decodeCapture(bytes)`: a whole pcap/pcapng capture decoded inside Wasm, Ethernet (or SLL, SLL2,
 * NULL/LOOP, RAW) to L4, into structure-of-arrays columns (typed arrays). JS touches a packet only
 * if it wants to: no object per packet or per layer.
 *
 * Classic pcap records are indexed in Wasm; pcapng records are indexed by the JS reader. The
 * columns live in one allocation in linear memory: call `free()` when done (or let it be: the
 * views stay valid until then, see the runtime's view rule).
 */
import { wasm, input, heapU8, guard, allocPtr, freePtr, addressOf } from '../runtime/core.js';
import { assertBytes, MalformedError, TruncatedError, type WirekitError } from '../runtime/errors.js';
import { readCapture, MAX_RECORD } from '../pcap/reader.js';

interface PkExports {
  rt_alloc(size: number): number;
  rt_free(ptr: number): void;
  pk_columns(): number;
  pk_column_width(c: number): number;
  pk_column_offset(c: number, capacity: number): number;
  pk_index_stop(): number;
  pk_index_why(): number;
  pk_decode(ptr: number, n: number, cols: number, capacity: number, verify: number): number;
  pk_decode_pcap(
    ptr: number, len: number, from: number, le: number, recLen: number, linkType: number, swap: number, cols: number, capacity: number, row0: number, verify: number,
  ): number;
}

/** Column names, in the Wasm module's column order (assembly/packet/columns.ts documents each). */
export const COLUMN_NAMES = [
  'frameOffset', 'capturedLength', 'originalLength', 'linkType', 'l3Offset', 'l4Offset', 'payloadOffset', 'payloadLength',
  'etherType', 'vlanCount', 'vlanId', 'ipVersion', 'ipProtocol', 'ttl', 'ipFlags', 'fragmentOffset', 'ipLength', 'src4', 'dst4',
  'srcPort', 'dstPort', 'tcpFlags', 'seq', 'ack', 'windowSize', 'tcpHeaderLength', 'mss', 'windowScale', 'icmpType', 'icmpCode',
  'ipChecksumStatus', 'l4ChecksumStatus', 'status', 'udpLength',
] as const;
export type ColumnName = (typeof COLUMN_NAMES)[number];

const SIGNED = new Set<ColumnName>(['l3Offset', 'l4Offset', 'payloadOffset', 'payloadLength']);

/** `status` column bits. */
export const PacketStatus = { TRUNCATED: 1, MALFORMED: 2, FRAGMENT: 4, NON_FIRST_FRAGMENT: 8 } as const;

export type Columns = { [K in ColumnName]: Uint8Array | Uint16Array | Uint32Array | Int32Array };

export interface CaptureColumns {
  /** Number of packets decoded. */
  count: number;
  /**
   * One typed array per field, `count` long. Offsets are relative to the frame (frameOffset is
   * relative to the input); -1 = layer absent. src4/dst4 are IPv4 addresses as big-endian
   * numbers; for IPv6 read 16 bytes at frameOffset + l3Offset + 8 (source) and + 24.
   * Checksum statuses are numbered like tshark's (0 bad, 1 good, 2 unverified, 3 absent).
   */
  columns: Columns;
  format: 'pcap' | 'pcapng';
  /** Damage that ended the capture early (the packets before it are decoded). */
  error?: WirekitError;
  /** Releases the columns' memory; the arrays must not be used afterwards. */
  free(): void;
}

export interface DecodeCaptureOptions {
  /** Verify IPv4 header and TCP/UDP/ICMP/ICMPv6 checksums (default false). */
  verifyChecksums?: boolean;
}

/** Decodes every packet of a pcap or pcapng capture held in memory into typed-array columns. */
export function decodeCapture(bytes: Uint8Array, options: DecodeCaptureOptions = {}): CaptureColumns {
  assertBytes(bytes, 'bytes');
  const w = wasm<PkExports>();
  if (w.pk_columns() !== COLUMN_NAMES.length) throw new Error('wirekit: Wasm module and facade disagree on the packet columns');
  if (bytes.byteLength >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) === 0x0a0d0d0a) return fromPcapng(bytes, options);
  const cap = readCaptureHeader(bytes);
  const verify = options.verifyChecksums ? 1 : 0;
  return guard(() => {
    const ptr = input(bytes);
    const len = bytes.byteLength;
    let capacity = guessRows(bytes, cap);
    let table = allocPtr(tableBytes(w, capacity));
    let n = 0;
    let from = 24;
    for (;;) {
      n = w.pk_decode_pcap(ptr, len, from, cap.le ? 1 : 0, cap.recLen, cap.linkType, cap.swap, table, capacity, n, verify);
      if (w.pk_index_why() !== 4) break;
      // The guess was short: move the rows into a table sized from the average so far.
      from = w.pk_index_stop();
      const more = Math.ceil(((len - from) / Math.max(1, from - 24)) * n * 1.25) + 64;
      const bigger = allocPtr(tableBytes(w, capacity + more));
      const heap = heapU8();
      COLUMN_NAMES.forEach((_, c) => {
        const src = table + w.pk_column_offset(c, capacity);
        heap.copyWithin(bigger + w.pk_column_offset(c, capacity + more), src, src + n * w.pk_column_width(c));
      });
      freePtr(table);
      table = bigger;
      capacity += more;
    }
    return result(w, table, n, capacity, 'pcap', indexError(w, n));
  });
}

function tableBytes(w: PkExports, rows: number): number {
  return Math.max(16, w.pk_column_offset(COLUMN_NAMES.length, rows));
}

/** Rows to reserve: the file size over the average record size of the first 64 records, + 25 %. */
function guessRows(bytes: Uint8Array, cap: { le: boolean; recLen: number }): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 24;
  let k = 0;
  while (k < 64 && off + cap.recLen <= bytes.byteLength) {
    const incl = dv.getUint32(off + 8, cap.le);
    if (incl > MAX_RECORD) break;
    off += cap.recLen + incl;
    k++;
  }
  if (k === 0) return 16;
  const avg = (off - 24) / k;
  return Math.min(Math.ceil((bytes.byteLength - 24) / cap.recLen) + 1, Math.ceil(((bytes.byteLength - 24) / avg) * 1.25) + 16);
}

function readCaptureHeader(bytes: Uint8Array): { le: boolean; recLen: number; linkType: number; swap: number } {
  // readCapture validates the header (typed errors); its packet walk is not used here.
  const hdr = readCapture(bytes.subarray(0, Math.min(bytes.byteLength, 24)));
  const magic = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  const kuz = magic === 0xa1b2cd34 || magic === 0x34cdb2a1;
  const i = hdr.interfaces[0]!;
  const swap = hdr.versionMajor === 2 && hdr.versionMinor < 3 ? 1 : hdr.versionMajor === 2 && hdr.versionMinor === 3 ? 2 : 0;
  return { le: hdr.byteOrder === 'little', recLen: kuz ? 24 : 16, linkType: i.linkType, swap };
}

function indexError(w: PkExports, count: number): WirekitError | undefined {
  // (pk_index_why 4, "table full", never reaches here: decodeCapture grows the table.)
  const at = w.pk_index_stop();
  switch (w.pk_index_why()) {
    case 1:
      return new TruncatedError(`pcap: truncated record header at offset ${at} after ${count} packets`, { offset: at });
    case 2:
      return new MalformedError(`pcap: record at offset ${at} is bigger than the maximum of ${MAX_RECORD}`, { offset: at + 8, field: 'incl_len' });
    case 3:
      return new TruncatedError(`pcap: packet ${count + 1} at offset ${at} is cut short (file ends)`, { offset: at });
  }
  return undefined;
}

function fromPcapng(bytes: Uint8Array, options: DecodeCaptureOptions): CaptureColumns {
  const w = wasm<PkExports>();
  const cap = readCapture(bytes);
  const pk = cap.packets.filter((p) => p.linkType >= 0);
  const n = pk.length;
  return guard(() => {
    const table = allocPtr(tableBytes(w, n));
    const cols = views(w, table, n, n);
    pk.forEach((p, i) => {
      cols.frameOffset[i] = p.offset;
      cols.capturedLength[i] = p.capturedLength;
      cols.originalLength[i] = p.originalLength;
      cols.linkType[i] = p.linkType;
    });
    const ptr = input(bytes);
    w.pk_decode(ptr, n, table, n, options.verifyChecksums ? 1 : 0);
    return result(w, table, n, n, 'pcapng', cap.error);
  });
}

/** Per module: column widths and whether each is signed (read once from the module). */
let layoutOf: PkExports | undefined;
let widths: number[] = [];
/** Column offsets for the last capacity seen (tables are often the same size call after call). */
let offsetsFor = -1;
let offsets: number[] = [];
const TEMPLATE = Object.fromEntries(COLUMN_NAMES.map((name) => [name, undefined]));
const signed: boolean[] = COLUMN_NAMES.map((name) => SIGNED.has(name));

function views(w: PkExports, table: number, n: number, capacity: number): Columns {
  if (layoutOf !== w) {
    widths = COLUMN_NAMES.map((_, c) => w.pk_column_width(c));
    layoutOf = w;
    offsetsFor = -1;
  }
  if (offsetsFor !== capacity) {
    offsets = COLUMN_NAMES.map((_, c) => w.pk_column_offset(c, capacity));
    offsetsFor = capacity;
  }
  // Copied from a template with every key, so the stores below add no properties (no shape changes).
  const out = { ...TEMPLATE } as unknown as Record<ColumnName, Uint8Array | Uint16Array | Uint32Array | Int32Array>;
  const buf = heapU8().buffer;
  for (let c = 0; c < COLUMN_NAMES.length; c++) {
    const at = table + offsets[c]!;
    const width = widths[c];
    out[COLUMN_NAMES[c]!] =
      width === 1 ? new Uint8Array(buf, at, n) : width === 2 ? new Uint16Array(buf, at, n) : signed[c] ? new Int32Array(buf, at, n) : new Uint32Array(buf, at, n);
  }
  return out;
}

function result(w: PkExports, table: number, count: number, capacity: number, format: 'pcap' | 'pcapng', error: WirekitError | undefined): CaptureColumns {
  let freed = false;
  const r: CaptureColumns = {
    count,
    columns: views(w, table, count, capacity),
    format,
    free() {
      if (!freed) freePtr(table);
      freed = true;
    },
  };
  if (error) r.error = error;
  return r;
}

/**
 * Chunked batch decoding of a classic pcap that arrives in pieces (used by `wirekit dissect`): the
 * caller reads file bytes into regions of linear memory (alloc()) and `decode(input, len, from)`
 * decodes whole records of input[from, len) into a table of `rows` rows. It returns the rows
 * decoded, where it stopped (a partial record there belongs to the next piece), whether the
 * table filled up (call again from `stop`) and whether the record at `stop` is damaged.
 * Call `free()` when done.
 */
export interface PcapChunkDecoder {
  /** Address of the column table (for kernels that read it) and its capacity in rows. */
  table: number;
  rows: number;
  columns: Columns;
  decode(input: Uint8Array, len: number, from: number, verify: boolean): { rows: number; stop: number; full: boolean; damaged: boolean };
  free(): void;
}

export function pcapChunkDecoder(header: Uint8Array, rows: number): PcapChunkDecoder {
  const w = wasm<PkExports>();
  const cap = readCaptureHeader(header);
  const table = allocPtr(tableBytes(w, rows));
  return {
    table,
    rows,
    columns: views(w, table, rows, rows),
    decode(bytes: Uint8Array, len: number, from: number, verify: boolean) {
      const ptr = addressOf(bytes);
      if (ptr < 0 || len > bytes.length) throw new RangeError('pcapChunkDecoder: input must be alloc() memory holding len bytes');
      const n = guard(() => w.pk_decode_pcap(ptr, len, from, cap.le ? 1 : 0, cap.recLen, cap.linkType, cap.swap, table, rows, 0, verify ? 1 : 0));
      const why = w.pk_index_why();
      return { rows: n, stop: w.pk_index_stop(), full: why === 4, damaged: why === 2 };
    },
    free() {
      freePtr(table);
    },
  };
}
