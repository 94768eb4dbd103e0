/**
 * tshark field names -> values of decoded layers, formatted as `tshark -T fields -E occurrence=a`
 * prints them: every occurrence in the frame (outer layer first) joined by ','; an absent
 * layer or field is an empty cell.
 */
import type { CapturePacket } from '../pcap/reader.js';
import type { DecodedPacket, Layer } from '../packet/types.js';

type Getter = (L: Layer) => string | undefined;
interface FieldDef {
  layer: Layer['type'] | 'frame';
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
  'ip.version': F('ipv4', (L) => d(L.version)),
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
  'tcp.flags': F('tcp', (L) => h(L.flags, 3)),
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

/** The 46 fields of the ground-truth files, in their order. */
export const SUPPORTED_FIELDS = Object.keys(FIELDS);

/** One row of cells for `fields` (already validated). */
export function fieldCells(fields: readonly string[], pkt: CapturePacket, dec: DecodedPacket | undefined): string[] {
  const out: string[] = [];
  for (const name of fields) {
    if (name === 'frame.number') out.push(String(pkt.number));
    else if (name === 'frame.len') out.push(String(pkt.originalLength));
    else if (name === 'frame.cap_len') out.push(String(pkt.capturedLength));
    else {
      const def = FIELDS[name]!;
      let cell = '';
      if (dec) {
        for (const L of dec.layers) {
          if (L.type !== def.layer) continue;
          const v = def.get(L);
          if (v !== undefined) cell = cell ? `${cell},${v}` : v;
        }
      }
      out.push(cell);
    }
  }
  return out;
}
