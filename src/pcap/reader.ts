/**
 * Classic pcap and pcapng readers over a whole buffer (draft-ietf-opsawg-pcap,
 * draft-ietf-opsawg-pcapng; accepted versions and refusals follow Wireshark's wiretap).
 *
 * `readCapture(bytes)` sniffs the format from the magic (never from a file name) and returns
 * every packet as a view into `bytes` (no copy). `capturePackets(bytes)` is the same as a
 * generator. A file the format forbids throws a {@link MalformedError} that says why; a file
 * that ends or breaks mid-record yields the good packets before the damage, then throws a
 * {@link TruncatedError} / {@link MalformedError} with the byte `offset` of the damaged record
 * (`readCapture` returns those packets plus the error in `error` instead).
 */
import { assertBytes, MalformedError, TruncatedError, type WirekitError } from '../runtime/errors.js';
import { walkPcapng, checkFirstSection } from './pcapng.js';

/** One captured frame. `data` is a view into the input buffer (captured bytes only). */
export interface CapturePacket {
  /** 1-based frame number, as tshark's frame.number. */
  number: number;
  /** Link type (LINKTYPE_* value, low 16 bits of the header word); CUSTOM_BLOCK (-1) for a pcapng custom block. */
  linkType: number;
  /** pcapng interface index in file order (across sections); 0 for classic pcap. */
  interfaceId: number;
  /** Timestamp: whole seconds since 1970 (unsigned for pcap, may exceed 2^32 for pcapng). */
  tsSec: number;
  /** Timestamp: nanoseconds within the second, 0..999999999 (>= 1e9 only when the file's fraction was invalid). */
  tsNsec: number;
  /** Bytes on the wire (frame.len). */
  originalLength: number;
  /** Captured bytes (frame.cap_len) = data.byteLength. */
  capturedLength: number;
  /** Byte offset of the packet data in the input. */
  offset: number;
  data: Uint8Array;
}

export interface CaptureInterface {
  linkType: number;
  snapLength: number;
  /** Timestamp units per second (10^6 for µs pcap). */
  tsPerSecond: number;
  /** FCS length in bytes when the file says so, else -1 (unknown). */
  fcsLength: number;
}

export interface Capture {
  format: 'pcap' | 'pcapng';
  /** 'little' or 'big' (pcapng: of the first section). */
  byteOrder: 'little' | 'big';
  /** Classic pcap: nanosecond magic. */
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  interfaces: CaptureInterface[];
  packets: CapturePacket[];
  /** The damage that ended reading early, after `packets` (undefined for an intact file). */
  error?: WirekitError;
}

/** Largest record libpcap/wiretap accept (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_RECORD = 262144;

/** linkType of a pcapng custom block record (Wireshark counts them as frames of raw data). */
export const CUSTOM_BLOCK = -1;

/** LINKTYPE values used by the decoders. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPNET: 226,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Reads a whole capture. Throws only for a file that is not a capture or that the format forbids. */
export function readCapture(bytes: Uint8Array): Capture {
  const cap = captureHeader(bytes);
  try {
    for (const p of walk(bytes, cap)) cap.packets.push(p);
  } catch (e) {
    if ((e as WirekitError).code === undefined) throw e;
    cap.error = e as WirekitError;
  }
  return cap;
}

/** Generator over packets; throws at the first damage, after the good packets. */
export function* capturePackets(bytes: Uint8Array): Generator<CapturePacket, Capture> {
  const cap = captureHeader(bytes);
  for (const p of walk(bytes, cap)) yield p;
  return cap;
}

/** Parses and validates the file header (pcap) or first section header (pcapng). */
export function captureHeader(bytes: Uint8Array): Capture {
  assertBytes(bytes, 'bytes');
  if (bytes.byteLength < 4) throw new TruncatedError('not a capture file: fewer than 4 bytes', { offset: 0, needed: 4, available: bytes.byteLength });
  const dv = view(bytes);
  const magic = dv.getUint32(0, false);
  if (magic === 0x0a0d0d0a) {
    const cap: Capture = { format: 'pcapng', byteOrder: 'little', nanosecond: false, versionMajor: 1, versionMinor: 0, interfaces: [], packets: [] };
    checkFirstSection(bytes, cap);
    return cap;
  }
  let le: boolean;
  let ns = false;
  let kuznetzov = false;
  switch (magic) {
    case 0xa1b2c3d4: le = false; break;
    case 0xd4c3b2a1: le = true; break;
    case 0xa1b23c4d: le = false; ns = true; break;
    case 0x4d3cb2a1: le = true; ns = true; break;
    case 0xa1b2cd34: le = false; kuznetzov = true; break;
    case 0x34cdb2a1: le = true; kuznetzov = true; break;
    default:
      throw new MalformedError(`not a pcap or pcapng file (magic 0x${hex(magic, 8)})`, { offset: 0, field: 'magic' });
  }
  if (bytes.byteLength < 24) throw new TruncatedError('pcap: file header cut short', { offset: 0, needed: 24, available: bytes.byteLength });
  const major = dv.getUint16(4, le);
  const minor = dv.getUint16(6, le);
  if (major < 2) throw new MalformedError(`pcap: major version ${major} unsupported`, { offset: 4, field: 'version_major' });
  const word = dv.getUint32(20, le);
  if (word & 0x03ff0000) {
    throw new MalformedError(`pcap: network type reserved field not zero (0x${hex(word & 0x03ff0000, 8)})`, { offset: 20, field: 'linktype' });
  }
  const fcs = word & 0x04000000 ? ((word >>> 28) & 0xf) * 2 : -1;
  const cap: Capture = {
    format: 'pcap',
    byteOrder: le ? 'little' : 'big',
    nanosecond: ns,
    versionMajor: major,
    versionMinor: minor,
    interfaces: [{ linkType: word & 0xffff, snapLength: dv.getUint32(16, le), tsPerSecond: ns ? 1e9 : 1e6, fcsLength: fcs }],
    packets: [],
  };
  (cap as Capture & { _k?: boolean })._k = kuznetzov;
  return cap;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function hex(n: number, w: number): string {
  return (n >>> 0).toString(16).padStart(w, '0');
}

function walk(bytes: Uint8Array, cap: Capture): Generator<CapturePacket> {
  return cap.format === 'pcap' ? walkPcap(bytes, cap) : walkPcapng(bytes, cap);
}

function* walkPcap(bytes: Uint8Array, cap: Capture): Generator<CapturePacket> {
  const dv = view(bytes);
  let off = 24;
  let n = 0;
  while (off < bytes.byteLength) {
    const len = pcapRecordLength(dv, off, bytes.byteLength, cap, n, 0);
    yield pcapRecord(bytes, dv, off, cap, ++n, 0);
    off += len;
  }
}

/** Record header bytes of classic pcap (24 for the Kuznetzov variant). */
export function pcapRecordHeaderLength(cap: Capture): number {
  return (cap as Capture & { _k?: boolean })._k ? 24 : 16;
}

function lengths(dv: DataView, off: number, cap: Capture): [number, number] {
  const le = cap.byteOrder === 'little';
  let incl = dv.getUint32(off + 8, le);
  let orig = dv.getUint32(off + 12, le);
  // Versions before 2.3 store the two lengths swapped; 2.3 "maybe" (libpcap swaps if caplen > len).
  if ((cap.versionMajor === 2 && cap.versionMinor < 3) || (cap.versionMajor === 2 && cap.versionMinor === 3 && incl > orig)) [incl, orig] = [orig, incl];
  return [incl, orig];
}

/**
 * Length of the record at `off` (header + data), validated against [off, end). Throws
 * TruncatedError / MalformedError naming file offset `base + off` after `n` good packets.
 */
export function pcapRecordLength(dv: DataView, off: number, end: number, cap: Capture, n: number, base: number): number {
  const recLen = pcapRecordHeaderLength(cap);
  if (end - off < recLen) {
    throw new TruncatedError(`pcap: truncated record header at offset ${base + off} after ${n} packets`, { offset: base + off, needed: recLen, available: end - off });
  }
  const [incl] = lengths(dv, off, cap);
  if (incl > MAX_RECORD) {
    throw new MalformedError(`pcap: record at offset ${base + off} has a ${incl}-byte packet, bigger than the maximum of ${MAX_RECORD}`, {
      offset: base + off + 8,
      field: 'incl_len',
    });
  }
  const data = off + recLen;
  if (end - data < incl) {
    throw new TruncatedError(`pcap: packet ${n + 1} at offset ${base + off} is cut short (file ends)`, { offset: base + data, needed: incl, available: end - data });
  }
  return recLen + incl;
}

/** The packet of a complete record at `off` (see pcapRecordLength). */
export function pcapRecord(bytes: Uint8Array, dv: DataView, off: number, cap: Capture, number: number, base: number): CapturePacket {
  const le = cap.byteOrder === 'little';
  const [incl, orig] = lengths(dv, off, cap);
  const frac = dv.getUint32(off + 4, le);
  const data = off + pcapRecordHeaderLength(cap);
  return {
    number,
    linkType: cap.interfaces[0]!.linkType,
    interfaceId: 0,
    tsSec: dv.getUint32(off, le),
    tsNsec: cap.nanosecond ? frac : frac * 1000,
    originalLength: orig,
    capturedLength: incl,
    offset: base + data,
    data: bytes.subarray(data, data + incl),
  };
}
