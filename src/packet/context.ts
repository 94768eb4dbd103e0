// Decoding state shared by the layer decoders: the frame, its captured and reported ends, the
// layers found so far, and the bounds check that decides "truncated" vs "malformed" the way
// tshark does (bytes past the capture: cut short; past a declared length: malformed).
import type { Layer, LayerBase } from './types.js';

export interface DecodeOptions {
  /** Original (on-the-wire) frame length; default: the captured length. */
  originalLength?: number;
  /** Verify IPv4/TCP/UDP/ICMP checksums (default true). */
  verifyChecksums?: boolean;
  /** Decode-as rules: `tcp:PORT` / `udp:PORT` -> 'http2' | 'dns' | ... (tshark's `-d`). */
  decodeAs?: ReadonlyMap<string, string>;
  /**
   * Stop the transport layer at IP fragments like tshark with reassembly on (default false:
   * a first fragment's TCP/UDP header is decoded; a non-first fragment never is).
   */
  fragmentsAsData?: boolean;
}

/** Network layer facts a transport decoder needs (pseudo-header, fragments). */
export interface NetInfo {
  v6: boolean;
  /** Offsets of the source and (final) destination address in the frame. */
  srcOff: number;
  dstOff: number;
  /** Part of a fragmented datagram (any fragment). */
  fragment: boolean;
  /** Quoted inside an ICMP error. */
  inError: boolean;
}

export class Ctx {
  readonly b: Uint8Array;
  readonly dv: DataView;
  /** Captured end (bytes.length). */
  readonly cap: number;
  /** Reported end (original length). */
  readonly rep: number;
  readonly layers: Layer[] = [];
  readonly verify: boolean;
  readonly decodeAs: ReadonlyMap<string, string> | undefined;
  readonly fragmentsAsData: boolean;
  stopped = false;
  /** Bytes after the last header: [start, end). */
  payloadStart = 0;
  payloadEnd = 0;
  depth = 0;
  payloadProtocol: 'http2' | 'quic' | undefined;
  /** DNS name decoding work done / allowed for the current message (see tunnel.ts). */
  dnsSteps = 0;
  dnsBudget = 0;
  dnsMemo: Int32Array | undefined;

  constructor(bytes: Uint8Array, o: DecodeOptions) {
    this.b = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.cap = bytes.byteLength;
    this.rep = Math.max(o.originalLength ?? bytes.byteLength, bytes.byteLength);
    this.verify = o.verifyChecksums ?? true;
    this.decodeAs = o.decodeAs;
    this.fragmentsAsData = o.fragmentsAsData ?? false;
  }

  /**
   * True when bytes up to `upto` exist inside a layer whose declared end is `end`. Otherwise
   * marks `L` truncated (bytes not captured) or malformed (past `end`), stops decoding, false.
   */
  has(L: LayerBase, upto: number, end: number): boolean {
    if (upto <= end && upto <= this.cap) return true;
    if (upto > end) {
      L.malformed = true;
      L.problem ??= `needs ${upto - L.offset} bytes, the enclosing length leaves ${Math.max(0, end - L.offset)}`;
    } else {
      L.truncated = true;
      L.problem ??= `cut short by the capture: needs ${upto - L.offset} bytes, ${Math.max(0, this.cap - L.offset)} captured`;
    }
    this.stopped = true;
    return false;
  }

  push<T extends Layer>(L: T): T {
    this.layers.push(L);
    return L;
  }

  payload(start: number, end: number): void {
    this.payloadStart = start;
    this.payloadEnd = Math.max(start, Math.min(end, this.cap));
  }

  u8(o: number): number {
    return this.b[o]!;
  }
  u16(o: number): number {
    return (this.b[o]! << 8) | this.b[o + 1]!;
  }
  u32(o: number): number {
    return this.dv.getUint32(o, false);
  }
  mac(o: number): string {
    const b = this.b;
    let s = '';
    for (let i = 0; i < 6; i++) s += (i ? ':' : '') + HEX2[b[o + i]!];
    return s;
  }
  ipv4(o: number): string {
    const b = this.b;
    return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  }
  ipv6(o: number): string {
    return formatIpv6(this.b, o);
  }
}

export function base(offset: number, headerLength: number): LayerBase {
  return { offset, headerLength, truncated: false, malformed: false };
}

export const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** RFC 5952 text form (longest run of >= 2 zero groups compressed, first on ties; IPv4-mapped kept hex like tshark). */
export function formatIpv6(b: Uint8Array, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestAt < 0) return g.map((x) => x.toString(16)).join(':');
  const left = g.slice(0, bestAt).map((x) => x.toString(16)).join(':');
  const right = g.slice(bestAt + bestLen).map((x) => x.toString(16)).join(':');
  return `${left}::${right}`;
}
