// pcapng block walker (draft-ietf-opsawg-pcapng). Used by reader.ts; acceptance rules follow
// Wireshark's wiretap (SHB versions 1.0 and 1.2, options must fit their block).
import { MalformedError, TruncatedError } from '../runtime/errors.js';
import { MAX_RECORD, CUSTOM_BLOCK, type Capture, type CapturePacket, type CaptureInterface } from './reader.js';

const SHB = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

interface Section {
  le: boolean;
  /** Index in cap.interfaces of this section's interface 0. */
  base: number;
  count: number;
}

/** Validates the first Section Header Block (file-level errors throw before any packet). */
export function checkFirstSection(bytes: Uint8Array, cap: Capture): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const s = readShb(dv, 0, bytes.byteLength);
  cap.byteOrder = s.le ? 'little' : 'big';
  cap.versionMajor = s.major;
  cap.versionMinor = s.minor;
}

function readShb(dv: DataView, off: number, end: number): { le: boolean; major: number; minor: number; len: number } {
  if (end - off < 12) throw new TruncatedError('pcapng: section header block cut short', { offset: off, needed: 12, available: end - off });
  const bom = dv.getUint32(off + 8, true);
  let le: boolean;
  if (bom === BOM) le = true;
  else if (bom === 0x4d3c2b1a) le = false;
  else throw new MalformedError(`pcapng: unknown byte-order magic ${hex(bom)} in section header`, { offset: off + 8, field: 'byte_order_magic' });
  const len = dv.getUint32(off + 4, le);
  if (len < 28) throw new MalformedError(`pcapng: section header block length ${len} is too small (< 28)`, { offset: off + 4, field: 'block_total_length' });
  if (len % 4 !== 0) throw new MalformedError(`pcapng: block length ${len} is not a multiple of 4`, { offset: off + 4, field: 'block_total_length' });
  if (end - off < len) throw new TruncatedError('pcapng: section header block cut short', { offset: off, needed: len, available: end - off });
  const major = dv.getUint16(off + 12, le);
  const minor = dv.getUint16(off + 14, le);
  if (!(major === 1 && (minor === 0 || minor === 2))) {
    throw new MalformedError(`pcapng: unknown SHB version ${major}.${minor}`, { offset: off + 12, field: 'version' });
  }
  options(dv, off + 24, off + len - 4, le, () => undefined);
  return { le, major, minor, len };
}

/** Walks options in [off, end); calls fn(code, valueOffset, length). Throws when one overruns. */
function options(dv: DataView, off: number, end: number, le: boolean, fn: (code: number, at: number, len: number) => void): void {
  while (end - off >= 4) {
    const code = dv.getUint16(off, le);
    const len = dv.getUint16(off + 2, le);
    if (code === 0) return;
    const padded = (len + 3) & ~3;
    if (end - off - 4 < padded) {
      throw new MalformedError(`pcapng: Not enough data to handle option of length ${len}`, { offset: off, needed: padded, available: end - off - 4, field: 'option_length' });
    }
    fn(code, off + 4, len);
    off += 4 + padded;
  }
}

export function* walkPcapng(bytes: Uint8Array, cap: Capture): Generator<CapturePacket> {
  const w = new PcapngWalker(cap);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  while (off < bytes.byteLength) {
    const len = w.blockLength(dv, off, bytes.byteLength, 0);
    const p = w.block(bytes, dv, off, len, 0);
    if (p) yield p;
    off += len;
  }
}

/** pcapng state across blocks (sections, interfaces, frame numbers); used whole-buffer and streaming. */
export class PcapngWalker {
  private sec: Section = { le: true, base: 0, count: 0 };
  private n = 0;
  private first = true;
  constructor(private readonly cap: Capture) {}

  /** Byte order of the current section. */
  get littleEndian(): boolean {
    return this.sec.le;
  }

  /**
   * Total length of the block at `off` (validated), given `end` bytes in the buffer. Needs 12
   * bytes; throws TruncatedError when the block does not fit before `end` (file offsets are
   * reported as `base + off`).
   */
  blockLength(dv: DataView, off: number, end: number, base: number): number {
    if (end - off < 12) throw new TruncatedError(`pcapng: block header cut short at offset ${base + off}`, { offset: base + off, needed: 12, available: end - off });
    if (dv.getUint32(off, true) === SHB) {
      const bom = dv.getUint32(off + 8, true);
      const le = bom === BOM ? true : bom === 0x4d3c2b1a ? false : undefined;
      if (le === undefined) throw new MalformedError(`pcapng: unknown byte-order magic ${hex(bom)} in section header`, { offset: base + off + 8, field: 'byte_order_magic' });
      const len = dv.getUint32(off + 4, le);
      if (end - off < len) throw new TruncatedError('pcapng: section header block cut short', { offset: base + off, needed: len, available: end - off });
      return Math.max(len, 12);
    }
    if (this.first) throw new MalformedError('pcapng: file does not start with a section header block', { offset: base + off });
    const len = dv.getUint32(off + 4, this.sec.le);
    if (len < 12) throw new MalformedError(`pcapng: block length ${len} at offset ${base + off} is too small (< 12)`, { offset: base + off + 4, field: 'block_total_length' });
    if (len % 4 !== 0) throw new MalformedError(`pcapng: block length ${len} at offset ${base + off} is not a multiple of 4`, { offset: base + off + 4, field: 'block_total_length' });
    if (end - off < len) throw new TruncatedError(`pcapng: block at offset ${base + off} is cut short (file ends)`, { offset: base + off, needed: len, available: end - off });
    return len;
  }

  /** Processes the complete block [off, off+len) of `bytes`; returns its packet, if it is one. */
  block(bytes: Uint8Array, dv: DataView, off: number, len: number, base: number): CapturePacket | undefined {
    const cap = this.cap;
    const typeLE = dv.getUint32(off, true);
    if (typeLE === SHB) {
      const s = readShb(dv, off, off + len);
      if (dv.getUint32(off + len - 4, s.le) !== len) {
        throw new MalformedError(`pcapng: section header block at offset ${base + off}: trailing length differs from leading length ${len}`, { offset: base + off + len - 4, field: 'block_total_length' });
      }
      this.sec = { le: s.le, base: cap.interfaces.length, count: 0 };
      this.first = false;
      return undefined;
    }
    const sec = this.sec;
    const le = sec.le;
    const type = dv.getUint32(off, le);
    if (dv.getUint32(off + len - 4, le) !== len) {
      throw new MalformedError(`pcapng: block at offset ${base + off}: trailing length differs from leading length ${len}`, { offset: base + off + len - 4, field: 'block_total_length' });
    }
    const body = off + 8;
    const bodyEnd = off + len - 4;
    if (type === IDB) {
      if (len < 20) throw new MalformedError(`pcapng: interface description block length ${len} is too small`, { offset: base + off + 4 });
      const iface: CaptureInterface & { tsOffset: number } = {
        linkType: dv.getUint16(body, le),
        snapLength: dv.getUint32(body + 4, le),
        tsPerSecond: 1e6,
        fcsLength: -1,
        tsOffset: 0,
      };
      options(dv, body + 8, bodyEnd, le, (code, at, l) => {
        if (code === 9 && l >= 1) {
          const v = dv.getUint8(at);
          iface.tsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        } else if (code === 13 && l >= 1) iface.fcsLength = dv.getUint8(at);
        else if (code === 14 && l >= 8) iface.tsOffset = Number(dv.getBigInt64(at, le));
      });
      cap.interfaces.push(iface);
      sec.count++;
    } else if (type === EPB || type === PB || type === SPB) {
      let ifId: number;
      let hi = 0;
      let lo = 0;
      let incl: number;
      let orig: number;
      let data: number;
      if (type === SPB) {
        if (len < 16) throw new MalformedError(`pcapng: simple packet block length ${len} is too small`, { offset: base + off + 4 });
        ifId = 0;
        orig = dv.getUint32(body, le);
        data = body + 4;
        incl = Math.min(orig, bodyEnd - data);
      } else {
        if (len < 32) throw new MalformedError(`pcapng: packet block length ${len} is too small`, { offset: base + off + 4 });
        ifId = type === PB ? dv.getUint16(body, le) : dv.getUint32(body, le);
        hi = dv.getUint32(body + 4, le);
        lo = dv.getUint32(body + 8, le);
        incl = dv.getUint32(body + 12, le);
        orig = dv.getUint32(body + 16, le);
        data = body + 20;
        if (incl > bodyEnd - data) {
          throw new MalformedError(`pcapng: captured length ${incl} at offset ${base + off} is larger than its block`, { offset: base + body + 12, field: 'captured_length' });
        }
      }
      if (ifId >= sec.count) {
        throw new MalformedError(`pcapng: packet at offset ${base + off} refers to interface ${ifId}, but only ${sec.count} are defined`, { offset: base + body, field: 'interface_id' });
      }
      const iface = cap.interfaces[sec.base + ifId]! as CaptureInterface & { tsOffset: number };
      if (type === SPB) incl = Math.min(incl, iface.snapLength || incl);
      if (incl > MAX_RECORD) {
        throw new MalformedError(`pcapng: packet at offset ${base + off} has ${incl} captured bytes, more than the maximum of ${MAX_RECORD}`, { offset: base + body + 12 });
      }
      const [s, ns] = timestamp(hi, lo, iface.tsPerSecond);
      return {
        number: ++this.n,
        linkType: iface.linkType,
        interfaceId: sec.base + ifId,
        tsSec: s + iface.tsOffset,
        tsNsec: ns,
        originalLength: orig,
        capturedLength: incl,
        offset: base + data,
        data: bytes.subarray(data, data + incl),
      };
    } else if (type === 0x00000bad || type === 0x40000bad) {
      // Custom blocks are records to Wireshark (shown as "data" frames): data after the PEN.
      if (len < 16) throw new MalformedError(`pcapng: custom block length ${len} is too small`, { offset: base + off + 4 });
      const data = body + 4;
      return {
        number: ++this.n,
        linkType: CUSTOM_BLOCK,
        interfaceId: -1,
        tsSec: 0,
        tsNsec: 0,
        originalLength: bodyEnd - data,
        capturedLength: bodyEnd - data,
        offset: base + data,
        data: bytes.subarray(data, bodyEnd),
      };
    }
    // NRB (4), ISB (5), DSB, journal and unknown blocks: skipped by length.
    return undefined;
  }
}

/**
 * 64-bit count of `per`-second units -> [seconds, nanoseconds]. Truncates (never rounds), so the
 * nanoseconds stay below 1e9 and sub-nanosecond resolutions do not carry into the next second.
 */
function timestamp(hi: number, lo: number, per: number): [number, number] {
  if (hi < 0x200000 && Number.isInteger(per) && per <= 1e9 && 1e9 % per === 0) {
    // Exact in doubles: t < 2^53, rem < per, rem * (1e9 / per) < 1e9.
    const t = hi * 4294967296 + lo;
    const s = Math.floor(t / per);
    let rem = t - s * per;
    let sec = s;
    // Math.floor(t / per) may be off by one when t / per rounds up; correct it exactly.
    if (rem < 0) {
      sec -= 1;
      rem += per;
    } else if (rem >= per) {
      sec += 1;
      rem -= per;
    }
    return [sec, rem * (1e9 / per)];
  }
  const t = (BigInt(hi) << 32n) | BigInt(lo);
  const p = exactUnits(per);
  const s = t / p;
  return [Number(s), Number(((t - s * p) * 1000000000n) / p)];
}

/** `per` (10^k or 2^k, from if_tsresol) as an exact BigInt: 10 ** k is not exact above 10^22. */
function exactUnits(per: number): bigint {
  if (Number.isInteger(Math.log2(per)) || per <= 1e22) return BigInt(per);
  const k = Math.round(Math.log10(per));
  return 10 ** k === per ? 10n ** BigInt(k) : BigInt(per);
}
