/**
 * Capture writers: classic pcap (little-endian, µs or ns magic) and pcapng (one section, one
 * interface per link type, EPBs with if_tsresol 9 for nanoseconds). Both return whole files
 * (`writePcap`, `writePcapng`) or chunks for streaming (`pcapHeader` + `pcapRecord`).
 */
import { InvalidArgumentError, assertInteger } from '../runtime/errors.js';
import { MAX_RECORD } from './reader.js';

export interface WritablePacket {
  data: Uint8Array;
  /** Seconds since 1970 (default 0). */
  tsSec?: number;
  /** Nanoseconds within the second (default 0). */
  tsNsec?: number;
  /** On-the-wire length (default: data.length). */
  originalLength?: number;
  /** pcapng only: the link type of this packet (default: the file's). */
  linkType?: number;
}

export interface PcapWriteOptions {
  linkType: number;
  /** Write the nanosecond magic (default false: microseconds). */
  nanosecond?: boolean;
  /** Snapshot length in the header (default 262144). */
  snapLength?: number;
}

/** The 24-byte classic pcap file header (little-endian). */
export function pcapHeader(o: PcapWriteOptions): Uint8Array {
  assertInteger(o.linkType, 'linkType', 0, 0xffff);
  const b = new Uint8Array(24);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, o.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, o.snapLength ?? MAX_RECORD, true);
  dv.setUint32(20, o.linkType, true);
  return b;
}

function check(p: WritablePacket): void {
  if (!(p.data instanceof Uint8Array)) throw new InvalidArgumentError('packet.data must be a Uint8Array', { field: 'data' });
  if (p.data.length > MAX_RECORD) throw new InvalidArgumentError(`packet of ${p.data.length} bytes exceeds ${MAX_RECORD}`, { field: 'data' });
  if (p.tsSec !== undefined) assertInteger(p.tsSec, 'tsSec', 0, 0xffffffff);
  if (p.tsNsec !== undefined) assertInteger(p.tsNsec, 'tsNsec', 0, 999_999_999);
  if (p.originalLength !== undefined) assertInteger(p.originalLength, 'originalLength', p.data.length, 0xffffffff);
}

/** One classic pcap record (16-byte header + data). */
export function pcapRecord(p: WritablePacket, nanosecond = false): Uint8Array {
  check(p);
  const b = new Uint8Array(16 + p.data.length);
  const dv = new DataView(b.buffer);
  const ns = p.tsNsec ?? 0;
  dv.setUint32(0, p.tsSec ?? 0, true);
  dv.setUint32(4, nanosecond ? ns : Math.floor(ns / 1000), true);
  dv.setUint32(8, p.data.length, true);
  dv.setUint32(12, p.originalLength ?? p.data.length, true);
  b.set(p.data, 16);
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A whole classic pcap file. */
export function writePcap(packets: Iterable<WritablePacket>, o: PcapWriteOptions): Uint8Array {
  const parts = [pcapHeader(o)];
  for (const p of packets) parts.push(pcapRecord(p, o.nanosecond));
  return concat(parts);
}

/** A whole pcapng file: SHB, one IDB per link type seen (if_tsresol 9), one EPB per packet. */
export function writePcapng(packets: Iterable<WritablePacket>, o: PcapWriteOptions): Uint8Array {
  const list = [...packets];
  const types: number[] = [];
  for (const p of list) if (!types.includes(p.linkType ?? o.linkType)) types.push(p.linkType ?? o.linkType);
  if (types.length === 0) types.push(o.linkType);
  const parts: Uint8Array[] = [];
  const block = (type: number, body: Uint8Array): void => {
    const len = 12 + ((body.length + 3) & ~3);
    const b = new Uint8Array(len);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, type, true);
    dv.setUint32(4, len, true);
    b.set(body, 8);
    dv.setUint32(len - 4, len, true);
    parts.push(b);
  };
  const shb = new Uint8Array(16);
  const sdv = new DataView(shb.buffer);
  sdv.setUint32(0, 0x1a2b3c4d, true);
  sdv.setUint16(4, 1, true);
  sdv.setBigInt64(8, -1n, true);
  block(0x0a0d0d0a, shb);
  for (const t of types) {
    assertInteger(t, 'linkType', 0, 0xffff);
    const idb = new Uint8Array(8 + 8 + 4);
    const dv = new DataView(idb.buffer);
    dv.setUint16(0, t, true);
    dv.setUint32(4, o.snapLength ?? MAX_RECORD, true);
    dv.setUint16(8, 9, true); // if_tsresol
    dv.setUint16(10, 1, true);
    idb[12] = 9; // 10^-9 s
    block(1, idb); // options end with opt_endofopt (the zero padding at 16..20)
  }
  for (const p of list) {
    check(p);
    const body = new Uint8Array(20 + p.data.length);
    const dv = new DataView(body.buffer);
    const t = BigInt(p.tsSec ?? 0) * 1_000_000_000n + BigInt(p.tsNsec ?? 0);
    dv.setUint32(0, types.indexOf(p.linkType ?? o.linkType), true);
    dv.setUint32(4, Number(t >> 32n), true);
    dv.setUint32(8, Number(t & 0xffffffffn), true);
    dv.setUint32(12, p.data.length, true);
    dv.setUint32(16, p.originalLength ?? p.data.length, true);
    body.set(p.data, 20);
    block(6, body);
  }
  return concat(parts);
}
