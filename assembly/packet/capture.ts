// Batch decoding of a whole capture inside Wasm (decodeCapture): classic pcap records are indexed
// here; pcapng records are indexed by the facade. Rows are then decoded Ethernet -> L4 into the
// structure-of-arrays columns of columns.ts. Exports are prefixed pk_.
import {
  COLUMNS, C_CAP_LEN, C_FRAME_OFFSET, C_IP_CHECKSUM, C_L3_OFFSET, C_L4_CHECKSUM, C_L4_OFFSET, C_LINK_TYPE, C_ORIG_LEN,
  C_WSCALE, setBase, columnOffset, get16, get32, put16, put32, put8, width,
} from './columns';
import { link } from './link';

/** Largest record accepted (libpcap/wiretap's 262144). */
const MAX_RECORD: u32 = 262144;

export function pk_columns(): i32 {
  return COLUMNS;
}
export function pk_column_width(c: i32): u32 {
  return width(c);
}
export function pk_column_offset(c: i32, capacity: u32): u32 {
  return columnOffset(c, capacity);
}


let stopAt: u32 = 0;
let stopWhy: i32 = 0;

/** Offset where the last pk_decode_pcap stopped, and why: 0 end of input, 1 record header cut, 2 record too big, 3 data cut, 4 capacity. */
export function pk_index_stop(): u32 {
  return stopAt;
}
export function pk_index_why(): i32 {
  return stopWhy;
}

/** Clears the decoded columns of rows [from, to) (not the four index columns). */
function clear(cols: usize, capacity: u32, from: u32, to: u32): void {
  for (let c = C_L3_OFFSET; c < COLUMNS; c++) {
    let w = width(c);
    memory.fill(cols + columnOffset(c, capacity) + from * w, 0, (to - from) * w);
  }
}

/** Rows cleared at a time as a pass advances (only rows in use are touched). */
const CLEAR_BLOCK: u32 = 1024;

// @ts-ignore: decorator
@inline function row(ptr: usize, i: u32, lt: u32, off: u32, cap: u32, orig: u32, verify: bool): void {
  put32(C_L3_OFFSET, i, -1);
  put32(C_L4_OFFSET, i, -1);
  put8(C_WSCALE, i, 255);
  put8(C_IP_CHECKSUM, i, 2);
  put8(C_L4_CHECKSUM, i, 2);
  link(i, lt, ptr + off, cap, max(orig, cap), verify);
}

/**
 * Decodes rows [0, n) whose frame offset/lengths/link type are filled, frames relative to `ptr`.
 * `verify`: verify IPv4 header and TCP/UDP/ICMP checksums. Returns n.
 */
export function pk_decode(ptr: usize, n: u32, cols: usize, capacity: u32, verify: bool): u32 {
  setBase(cols, capacity);
  clear(cols, capacity, 0, n);
  for (let i: u32 = 0; i < n; i++) {
    row(ptr, i, get16(C_LINK_TYPE, i), get32(C_FRAME_OFFSET, i), get32(C_CAP_LEN, i), get32(C_ORIG_LEN, i), verify);
  }
  return n;
}

/**
 * One pass over classic pcap records from byte `from`: index and decode each into rows
 * [row0, capacity). Stops at the end, at damage, or when the columns are full (pk_index_why 4;
 * resume from pk_index_stop with a bigger table). Returns the next free row.
 */
export function pk_decode_pcap(
  ptr: usize, len: u32, from: u32, le: bool, recLen: u32, linkType: u32, swap: i32, cols: usize, capacity: u32, row0: u32, verify: bool,
): u32 {
  setBase(cols, capacity);
  let off = from;
  let n = row0;
  let cleared = row0;
  stopWhy = 0;
  while (off < len) {
    if (n == capacity) {
      stopWhy = 4;
      break;
    }
    if (len - off < recLen) {
      stopWhy = 1;
      break;
    }
    let incl = load<u32>(ptr + off + 8);
    let orig = load<u32>(ptr + off + 12);
    if (!le) {
      incl = bswap<u32>(incl);
      orig = bswap<u32>(orig);
    }
    if (swap == 1 || (swap == 2 && incl > orig)) {
      let t = incl;
      incl = orig;
      orig = t;
    }
    if (incl > MAX_RECORD) {
      stopWhy = 2;
      break;
    }
    let data = off + recLen;
    if (len - data < incl) {
      stopWhy = 3;
      break;
    }
    if (n == cleared) {
      cleared = min(capacity, n + CLEAR_BLOCK);
      clear(cols, capacity, n, cleared);
    }
    put32(C_FRAME_OFFSET, n, data);
    put32(C_CAP_LEN, n, incl);
    put32(C_ORIG_LEN, n, orig);
    put16(C_LINK_TYPE, n, linkType);
    row(ptr, n, linkType, data, incl, orig, verify);
    n++;
    off = data + incl;
  }
  stopAt = off;
  return n;
}

