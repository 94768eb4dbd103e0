/**
 * tshark field names -> values of decoded layers, formatted as `tshark -T fields -E occurrence=a`
 * prints them: every occurrence in the frame (outer layer first) joined by ','; an absent
 * layer or field is an empty cell.
 */
import { readCapture, type CapturePacket } from '../pcap/reader.js';
import { decodePacket } from '../packet/decode.js';
import type { DecodedPacket, Layer } from '../packet/types.js';
import { InvalidArgumentError } from '../runtime/errors.js';
import { HTTP2_FIELDS, Http2Fields, http2Values, isHttp2Field } from './dissect-http2.js';
import type { H2Segment } from '../packet/h2c-capture.js';

type Getter = (L: Layer) => string | undefined;
interface FieldDef {
  layer: Layer['type'] | 'frame' | 'ip';
  get: Getter;
}

const h = (n: number | undefined, w: number): string | undefined => (n === undefined ? undefined : '0x' + n.toString(16).padStart(w, '0'));
const d = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));

/* eslint-disable @typescript-eslint/no-explicit-any */
const F = (layer: FieldDef['layer'], get: (L: any) => string | undefined): FieldDef => ({ layer, get });

/** Every supported field, in tshark's spelling. */
export const FIELDS: Record<string, FieldDef> = {
  'frame.number': F('frame', () => undefined),
  'frame.len': F('frame', () => undefined),
  'frame.cap_len': F('frame', () => undefined),
  'eth.src': F('eth', (L) => L.src),
  'eth.dst': F('eth', (L) => L.dst),
  'eth.type': F('eth', (L) => (L.etherType > 1500 ? h(L.etherType, 4) : undefined)),
  'vlan.id': F('vlan', (L) => (L.tpid !== 0x88a8 ? d(L.id) : undefined)),
  // IPv6's version field is also called ip.version in Wireshark.
  'ip.version': F('ip', (L) => d(L.version)),
  'ip.hdr_len': F('ipv4', (L) => d(L.ihl)),
  'ip.len': F('ipv4', (L) => d(L.effectiveLength)),
  'ip.id': F('ipv4', (L) => h(L.identification, 4)),
  'ip.flags': F('ipv4', (L) => h(L.flags, 2)),
  'ip.frag_offset': F('ipv4', (L) => d(L.fragmentOffset)),
  'ip.ttl': F('ipv4', (L) => d(L.ttl)),
  'ip.proto': F('ipv4', (L) => d(L.protocol)),
  'ip.checksum': F('ipv4', (L) => h(L.checksum, 4)),
  'ip.checksum.status': F('ipv4', (L) => d(L.checksumStatus)),
  'ip.src': F('ipv4', (L) => L.src),
  'ip.dst': F('ipv4', (L) => L.dst),
  'ipv6.src': F('ipv6', (L) => L.src),
  'ipv6.dst': F('ipv6', (L) => L.dst),
  'ipv6.nxt': F('ipv6', (L) => d(L.nextHeader)),
  'ipv6.plen': F('ipv6', (L) => d(L.payloadLength)),
  'ipv6.hlim': F('ipv6', (L) => d(L.hopLimit)),
  'tcp.srcport': F('tcp', (L) => d(L.srcPort)),
  'tcp.dstport': F('tcp', (L) => d(L.dstPort)),
  'tcp.seq_raw': F('tcp', (L) => d(L.seqRaw)),
  'tcp.ack_raw': F('tcp', (L) => d(L.ackRaw)),
  'tcp.hdr_len': F('tcp', (L) => d(L.dataOffset)),
  'tcp.flags': F('tcp', (L) => h(L.flags, 4)),
  'tcp.window_size_value': F('tcp', (L) => d(L.windowSize)),
  'tcp.checksum': F('tcp', (L) => h(L.checksum, 4)),
  'tcp.checksum.status': F('tcp', (L) => d(L.checksumStatus)),
  'tcp.options.mss_val': F('tcp', (L) => d(L.mss)),
  'tcp.options.wscale.shift': F('tcp', (L) => d(L.windowScale)),
  'udp.srcport': F('udp', (L) => d(L.srcPort)),
  'udp.dstport': F('udp', (L) => d(L.dstPort)),
  'udp.length': F('udp', (L) => d(L.length)),
  'udp.checksum': F('udp', (L) => h(L.checksum, 4)),
  'udp.checksum.status': F('udp', (L) => d(L.checksumStatus)),
  'icmp.type': F('icmp', (L) => d(L.icmpType)),
  'icmp.code': F('icmp', (L) => d(L.code)),
  'icmpv6.type': F('icmpv6', (L) => d(L.icmpType)),
  'arp.opcode': F('arp', (L) => d(L.opcode)),
  'dns.id': F('dns', (L) => h(L.id, 4)),
  'dns.qry.name': F('dns', (L) => (L.questions.length ? L.questions.map((q: { name: string }) => q.name).join(',') : undefined)),
};

/** The 46 fields of the ground-truth files, in their order (plus HTTP2_FIELDS, stateful: dissect-http2.ts). */
export const SUPPORTED_FIELDS = Object.keys(FIELDS);

/** One row of cells for `fields` (already validated). */
export function fieldCells(fields: readonly string[], pkt: CapturePacket, dec: DecodedPacket | undefined, h2?: H2Segment): string[] {
  const out: string[] = [];
  for (const name of fields) {
    if (name === 'frame.number') out.push(String(pkt.number));
    else if (isHttp2Field(name)) out.push(http2Values(h2)[name].join(','));
    else if (name === 'frame.len') out.push(String(pkt.originalLength));
    else if (name === 'frame.cap_len') out.push(String(pkt.capturedLength));
    else {
      const def = FIELDS[name]!;
      let cell = '';
      if (dec) {
        for (const L of dec.layers) {
          if (L.type !== def.layer && !(def.layer === 'ip' && (L.type === 'ipv4' || L.type === 'ipv6'))) continue;
          const v = def.get(L);
          if (v !== undefined) cell = cell ? `${cell},${v}` : v;
        }
      }
      out.push(cell);
    }
  }
  return out;
}

/** Parses tshark `-d` rules: `tcp.port==P,http2`, `udp.port==P,dns`. */
export function parseDecodeAs(rules: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of rules) {
    const x = /^(tcp|udp)\.port==(\d{1,5}),([a-z0-9]+)$/.exec(r.trim());
    if (!x || Number(x[2]) > 65535) {
      throw new InvalidArgumentError(`bad decode-as rule "${r}": expected tcp.port==PORT,PROTOCOL or udp.port==PORT,PROTOCOL`, { field: '-d' });
    }
    const proto = x[3]!;
    const ok = x[1] === 'tcp' ? ['http2', 'dns'] : ['dns', 'quic'];
    if (!ok.includes(proto)) {
      throw new InvalidArgumentError(`decode-as ${x[1]}.port: unsupported protocol "${proto}" (supported: ${ok.join(', ')})`, { field: '-d' });
    }
    m.set(`${x[1]}:${x[2]}`, proto);
  }
  return m;
}

/** Throws unless every name is a supported field; the message lists them. */
export function checkFields(fields: readonly string[]): void {
  if (fields.length === 0) throw new InvalidArgumentError(`-T fields needs at least one -e FIELD; supported: ${SUPPORTED_FIELDS.join(' ')}`, { field: '-e' });
  for (const f of fields) {
    if (!(f in FIELDS) && !isHttp2Field(f)) throw new InvalidArgumentError(`unknown field "${f}"; supported fields: ${[...SUPPORTED_FIELDS, ...HTTP2_FIELDS].join(' ')}`, { field: f });
  }
}

/** Decodes a capture packet like tshark's default dissection (fragments held for reassembly). */
export function decodeForDissect(p: CapturePacket, decodeAs?: ReadonlyMap<string, string>, verifyChecksums = true): DecodedPacket | undefined {
  if (p.linkType < 0) return undefined;
  return decodePacket(p.data, p.linkType, { originalLength: p.originalLength, fragmentsAsData: true, decodeAs, verifyChecksums });
}

/** Checksums are verified (a cost per byte) only when a requested field shows a verdict. */
export function needsChecksums(fields: readonly string[]): boolean {
  return fields.some((f) => f.endsWith('.checksum.status'));
}

/**
 * The whole `-T fields` output for a capture in memory: header row, then one tab-separated row
 * per frame. A damaged tail: the rows before it, then the error is thrown (`partial` holds them).
 */
export function dissectFields(bytes: Uint8Array, fields: readonly string[], decodeAs?: ReadonlyMap<string, string>): string {
  checkFields(fields);
  const cap = readCapture(bytes);
  const rows = [fields.join('\t')];
  const verify = needsChecksums(fields);
  const h2 = fields.some(isHttp2Field) ? new Http2Fields(decodeAs) : undefined;
  for (const p of cap.packets) {
    const dec = decodeForDissect(p, decodeAs, verify);
    rows.push(fieldCells(fields, p, dec, h2?.segment(p, dec)).join('\t'));
  }
  h2?.dispose();
  const out = rows.join('\n') + '\n';
  if (cap.error) throw Object.assign(cap.error, { partial: out });
  return out;
}
