/**
 * `encodePacket(layers, payload, out)`: builds a frame from layer field values (outermost first)
 * into the caller's buffer, filling IPv4 total length / IPv6 payload length / UDP length and the
 * IPv4 header, TCP, UDP, ICMP and ICMPv6 checksums (RFC 1071 with the RFC 768 / 9293 §3.1 /
 * 8200 §8.1 pseudo-headers) unless asked to keep the given values. Layers: eth, vlan, ipv4,
 * ipv6 (extension headers as raw bytes), tcp (options as raw bytes), udp, icmp, icmpv6, arp,
 * and the link headers sll (SLL and SLL2) and null (NULL/LOOP).
 * Field names and meanings are those of the decoded layers (types.ts), so
 * `encodePacket(decodePacket(frame).layers, payload, out)` rebuilds the frame.
 */
import { assertBytes, InvalidArgumentError, MalformedError, OutputTooSmallError } from '../runtime/errors.js';
import { pseudoSum, sumRange } from './sum.js';
import type { ArpLayer, EthernetLayer, IcmpLayer, Ipv4Layer, Ipv6Layer, NullLayer, SllLayer, TcpLayer, UdpLayer, VlanLayer } from './types.js';

type Spec<T> = Omit<Partial<T>, 'offset' | 'headerLength' | 'truncated' | 'malformed' | 'problem'>;
/** A layer to encode: a decoded layer, or just the fields you want (the rest default to 0). */
export type LayerInput =
  | ({ type: 'eth' } & Spec<EthernetLayer>)
  | ({ type: 'sll' } & Spec<SllLayer>)
  | ({ type: 'null' } & Spec<NullLayer>)
  | ({ type: 'vlan' } & Spec<VlanLayer>)
  | ({ type: 'ipv4' } & Spec<Ipv4Layer>)
  | ({ type: 'ipv6' } & Spec<Ipv6Layer>)
  | ({ type: 'tcp' } & Spec<TcpLayer>)
  | ({ type: 'udp' } & Spec<UdpLayer>)
  | ({ type: 'icmp' | 'icmpv6' } & Spec<IcmpLayer>)
  | ({ type: 'arp' } & Spec<ArpLayer>);

export interface EncodeOptions {
  /** Compute IPv4 total length, IPv6 payload length and UDP length (default true). */
  fillLengths?: boolean;
  /** Compute IPv4/TCP/UDP/ICMP/ICMPv6 checksums (default true). */
  fillChecksums?: boolean;
}

const ETHERTYPE: Record<string, number> = { ipv4: 0x0800, ipv6: 0x86dd, arp: 0x0806, vlan: 0x8100 };
const IPPROTO: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58, ipv4: 4, ipv6: 41 };

function headerLength(L: LayerInput): number {
  switch (L.type) {
    case 'eth': return 14;
    case 'sll': return L.version === 2 ? 20 : 16;
    case 'null': return 4;
    case 'vlan': return 4;
    case 'ipv4': return 20 + (L.optionBytes?.length ?? 0);
    case 'ipv6': return 40 + (L.extensions ?? []).reduce((a, x) => a + (x.bytes?.length ?? 0), 0);
    case 'tcp': return 20 + (L.optionBytes?.length ?? 0);
    case 'udp': return 8;
    case 'icmp': case 'icmpv6': return 4;
    case 'arp': return 8 + 2 * ((L.senderHardware?.length ?? 6) + (L.senderProtocol?.length ?? 4));
  }
}

/** Bytes `encodePacket` writes for these layers and payload. */
export function encodedLength(layers: readonly LayerInput[], payload: Uint8Array = new Uint8Array(0)): number {
  return layers.reduce((a, L) => a + headerLength(L), 0) + payload.length;
}

/**
 * Encodes `layers` then `payload` into `out` from offset 0. Returns the number of bytes written.
 * Throws OutputTooSmallError when `out` is too short, InvalidArgumentError for a bad field.
 */
export function encodePacket(layers: readonly LayerInput[], payload: Uint8Array, out: Uint8Array, options: EncodeOptions = {}): number {
  assertBytes(payload, 'payload');
  assertBytes(out, 'out');
  const fillLen = options.fillLengths ?? true;
  const fillSum = options.fillChecksums ?? true;
  const total = encodedLength(layers, payload);
  if (out.length < total) throw new OutputTooSmallError(`encodePacket needs ${total} bytes, out has ${out.length}`, { needed: total, available: out.length });
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const starts: number[] = [];
  let o = 0;
  layers.forEach((L, k) => {
    starts.push(o);
    const next = layers[k + 1];
    o = writeHeader(L, next, out, dv, o);
  });
  out.set(payload, o);
  // Lengths and checksums, innermost first (an outer checksum covers the inner ones).
  for (let k = layers.length - 1; k >= 0; k--) {
    const L = layers[k]!;
    const s = starts[k]!;
    const rest = total - s;
    if (L.type === 'ipv4') {
      if (fillLen) dv.setUint16(s + 2, rest);
      if (fillSum) {
        const hl = headerLength(L);
        dv.setUint16(s + 10, 0);
        dv.setUint16(s + 10, ~sumRange(out, s, hl, 0) & 0xffff);
      }
    } else if (L.type === 'ipv6') {
      if (fillLen) dv.setUint16(s + 4, rest - 40);
    } else if (L.type === 'udp' || L.type === 'tcp' || L.type === 'icmp' || L.type === 'icmpv6') {
      if (L.type === 'udp' && fillLen) dv.setUint16(s + 4, rest);
      if (fillSum) {
        const at = s + (L.type === 'udp' ? 6 : L.type === 'tcp' ? 16 : 2);
        dv.setUint16(at, 0);
        let init = 0;
        if (L.type !== 'icmp') {
          const ip = layers[k - 1];
          if (!ip || (ip.type !== 'ipv4' && ip.type !== 'ipv6')) throw new InvalidArgumentError(`${L.type} checksum needs an IPv4/IPv6 layer before it`, { field: 'layers' });
          const ps = starts[k - 1]!;
          const v6 = ip.type === 'ipv6';
          init = pseudoSum(out, v6, ps + (v6 ? 8 : 12), v6 ? finalDestination(ip, ps) : ps + 16, IPPROTO[L.type]!, rest);
        }
        let c = ~sumRange(out, s, rest, init) & 0xffff;
        if (c === 0 && L.type === 'udp') c = 0xffff; // RFC 768: 0 means "no checksum"
        dv.setUint16(at, c);
      }
    }
  }
  return total;
}

/** RFC 8200 §8.1: with a routing header, the pseudo-header uses the final destination. */
function finalDestination(ip: LayerInput & { type: 'ipv6' }, at: number): number {
  let dst = at + 24;
  let p = at + 40;
  for (const x of ip.extensions ?? []) {
    const b = x.bytes!;
    if (x.kind === 43 && b.length >= 24 && b[3]! > 0) {
      if (b[2] === 0 || b[2] === 2) dst = p + b.length - 16;
      else if (b[2] === 4) dst = p + 8;
    }
    p += b.length;
  }
  return dst;
}

function bytesOf(s: string | undefined, n: number, field: string): number[] {
  if (s === undefined) return new Array(n).fill(0);
  const parts = n === 6 ? s.split(':').map((x) => parseInt(x, 16)) : s.split('.').map(Number);
  if (parts.length !== n || parts.some((x) => !(x >= 0 && x <= 255))) throw new InvalidArgumentError(`${field}: not a valid ${n === 6 ? 'MAC' : 'IPv4'} address: ${s}`, { field });
  return parts;
}

function ipv6Bytes(s: string | undefined, field: string): number[] {
  if (s === undefined) return new Array(16).fill(0);
  const [l, r] = s.includes('::') ? s.split('::') : [s, undefined];
  const groups = (x: string | undefined): number[] => (x ? x.split(':').map((g) => parseInt(g, 16)) : []);
  const a = groups(l);
  const b = groups(r);
  const g = r === undefined ? a : [...a, ...new Array(8 - a.length - b.length).fill(0), ...b];
  if (g.length !== 8 || g.some((x) => !(x >= 0 && x <= 0xffff))) throw new InvalidArgumentError(`${field}: not a valid IPv6 address: ${s}`, { field });
  return g.flatMap((x) => [x >> 8, x & 0xff]);
}

const AF: Record<string, number> = { ipv4: 2, ipv6: 24 };

function writeHeader(L: LayerInput, next: LayerInput | undefined, out: Uint8Array, dv: DataView, o: number): number {
  switch (L.type) {
    case 'sll': {
      const addr = L.addressField ?? L.address ?? new Uint8Array(0);
      if (addr.length > 8) throw new InvalidArgumentError('sll.address is at most 8 bytes', { field: 'address' });
      const proto = L.protocol ?? (next ? ETHERTYPE[next.type] ?? 0 : 0);
      if (L.version === 2) {
        dv.setUint16(o, proto);
        dv.setUint16(o + 2, L.reserved ?? 0);
        dv.setUint32(o + 4, L.interfaceIndex ?? 0);
        dv.setUint16(o + 8, L.arphrdType ?? 1);
        out[o + 10] = L.packetType ?? 0;
        out[o + 11] = L.addressLength ?? (L.address ?? addr).length;
        out.fill(0, o + 12, o + 20);
        out.set(addr, o + 12);
        return o + 20;
      }
      dv.setUint16(o, L.packetType ?? 0);
      dv.setUint16(o + 2, L.arphrdType ?? 1);
      dv.setUint16(o + 4, L.addressLength ?? (L.address ?? addr).length);
      out.fill(0, o + 6, o + 14);
      out.set(addr, o + 6);
      dv.setUint16(o + 14, proto);
      return o + 16;
    }
    case 'null':
      if (L.ipnet) throw new InvalidArgumentError('encoding LINKTYPE_IPNET headers is not supported', { field: 'ipnet' });
      dv.setUint32(o, L.family ?? (next ? AF[next.type] ?? 0 : 0), L.littleEndian ?? true);
      return o + 4;
    case 'eth':
      out.set(bytesOf(L.dst, 6, 'eth.dst'), o);
      out.set(bytesOf(L.src, 6, 'eth.src'), o + 6);
      dv.setUint16(o + 12, L.etherType ?? (next ? ETHERTYPE[next.type] ?? 0 : 0));
      return o + 14;
    case 'vlan':
      dv.setUint16(o, ((L.pcp ?? 0) << 13) | ((L.dei ?? 0) << 12) | ((L.id ?? 0) & 0xfff));
      dv.setUint16(o + 2, L.etherType ?? (next ? ETHERTYPE[next.type] ?? 0 : 0));
      return o + 4;
    case 'ipv4': {
      const hl = headerLength(L);
      if (hl > 60 || hl % 4) throw new MalformedError(`ipv4.optionBytes must make a header of at most 60 bytes in 4-byte units, got ${hl}`, { field: 'optionBytes' });
      out[o] = ((L.version ?? 4) << 4) | (hl >> 2);
      out[o + 1] = ((L.dscp ?? 0) << 2) | (L.ecn ?? 0);
      dv.setUint16(o + 2, L.totalLength ?? 0);
      dv.setUint16(o + 4, L.identification ?? 0);
      dv.setUint16(o + 6, ((L.flags ?? 0) << 13) | (L.fragmentOffset ?? 0));
      out[o + 8] = L.ttl ?? 64;
      out[o + 9] = L.protocol ?? (next ? IPPROTO[next.type] ?? 0 : 0);
      dv.setUint16(o + 10, L.checksum ?? 0);
      out.set(bytesOf(L.src, 4, 'ipv4.src'), o + 12);
      out.set(bytesOf(L.dst, 4, 'ipv4.dst'), o + 16);
      if (L.optionBytes) out.set(L.optionBytes, o + 20);
      return o + hl;
    }
    case 'ipv6': {
      dv.setUint32(o, ((L.version ?? 6) << 28) | ((L.trafficClass ?? 0) << 20) | (L.flowLabel ?? 0));
      dv.setUint16(o + 4, L.payloadLength ?? 0);
      const exts = L.extensions ?? [];
      out[o + 6] = L.nextHeader ?? (exts.length ? exts[0]!.kind : next ? IPPROTO[next.type] ?? 59 : 59);
      out[o + 7] = L.hopLimit ?? 64;
      out.set(ipv6Bytes(L.src, 'ipv6.src'), o + 8);
      out.set(ipv6Bytes(L.dst, 'ipv6.dst'), o + 24);
      let p = o + 40;
      for (const x of exts) {
        if (!x.bytes) throw new InvalidArgumentError('ipv6.extensions[].bytes is required to encode an extension header', { field: 'extensions' });
        out.set(x.bytes, p);
        p += x.bytes.length;
      }
      return p;
    }
    case 'tcp': {
      const hl = headerLength(L);
      if (hl > 60 || hl % 4) throw new MalformedError(`tcp.optionBytes must make a header of at most 60 bytes in 4-byte units, got ${hl}`, { field: 'optionBytes' });
      dv.setUint16(o, L.srcPort ?? 0);
      dv.setUint16(o + 2, L.dstPort ?? 0);
      dv.setUint32(o + 4, L.seqRaw ?? 0);
      dv.setUint32(o + 8, L.ackRaw ?? 0);
      dv.setUint16(o + 12, ((hl >> 2) << 12) | ((L.flags ?? 0) & 0xfff));
      dv.setUint16(o + 14, L.windowSize ?? 0);
      dv.setUint16(o + 16, L.checksum ?? 0);
      dv.setUint16(o + 18, L.urgentPointer ?? 0);
      if (L.optionBytes) out.set(L.optionBytes, o + 20);
      return o + hl;
    }
    case 'udp':
      dv.setUint16(o, L.srcPort ?? 0);
      dv.setUint16(o + 2, L.dstPort ?? 0);
      dv.setUint16(o + 4, L.length ?? 0);
      dv.setUint16(o + 6, L.checksum ?? 0);
      return o + 8;
    case 'icmp':
    case 'icmpv6':
      out[o] = L.icmpType ?? 0;
      out[o + 1] = L.code ?? 0;
      dv.setUint16(o + 2, L.checksum ?? 0);
      return o + 4;
    case 'arp': {
      const sh = L.senderHardware ?? new Uint8Array(6);
      const sp = L.senderProtocol ?? new Uint8Array(4);
      dv.setUint16(o, L.hardwareType ?? 1);
      dv.setUint16(o + 2, L.protocolType ?? 0x0800);
      out[o + 4] = sh.length;
      out[o + 5] = sp.length;
      dv.setUint16(o + 6, L.opcode ?? 1);
      let p = o + 8;
      for (const b of [sh, sp, L.targetHardware ?? new Uint8Array(sh.length), L.targetProtocol ?? new Uint8Array(sp.length)]) {
        out.set(b, p);
        p += b.length;
      }
      return p;
    }
  }
}
