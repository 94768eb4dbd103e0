/**
 * `decodePacket(bytes, linkType)`: one frame to plain layer objects (outermost first), with a
 * truncated/malformed status per layer. Never throws for packet bytes (only for bad arguments).
 */
import { assertBytes, assertInteger } from '../runtime/errors.js';
import { Ctx, type DecodeOptions } from './context.js';
import { ethernet, ipnet, nullLink, ppp, sll } from './link.js';
import { ipv4, ipv6 } from './ip.js';
import type { DecodedPacket, Layer } from './types.js';

export type { DecodeOptions } from './context.js';

/**
 * Decodes one frame captured with link type `linkType` (LINKTYPE_* number: 0 NULL, 1 ETHERNET,
 * 9 PPP, 101 RAW, 108 LOOP, 113 LINUX_SLL, 226 IPNET, 228 IPV4, 229 IPV6, 276 LINUX_SLL2; others
 * give no layers and the whole frame as payload). Payloads are bounded by the IP/UDP length
 * fields, so Ethernet padding and FCS never leak into them.
 */
export function decodePacket(bytes: Uint8Array, linkType: number, options: DecodeOptions = {}): DecodedPacket {
  assertBytes(bytes, 'bytes');
  assertInteger(linkType, 'linkType', -1, 0xffff);
  const c = new Ctx(bytes, options);
  c.payload(0, c.rep);
  const end = c.rep;
  switch (linkType) {
    case 1:
      ethernet(c, 0, end);
      break;
    case 0:
      nullLink(c, false, 0, end);
      break;
    case 108:
      nullLink(c, true, 0, end);
      break;
    case 101:
    case 228: {
      // RAW: IPv4 or IPv6 by the version nibble (tshark does the same for LINKTYPE_IPV4).
      const v = bytes.length ? bytes[0]! >> 4 : 0;
      if (v === 6) ipv6(c, 0, end, false);
      else if (v === 4 || linkType === 228) ipv4(c, 0, end, false);
      break;
    }
    case 229:
      ipv6(c, 0, end, false);
      break;
    case 113:
      sll(c, 1, 0, end);
      break;
    case 276:
      sll(c, 2, 0, end);
      break;
    case 9:
      ppp(c, 0, end);
      break;
    case 226:
      ipnet(c, 0, end);
      break;
  }
  return assemble(linkType, c);
}

function assemble(linkType: number, c: Ctx): DecodedPacket {
  const p: DecodedPacket = {
    linkType,
    layers: c.layers,
    vlan: [],
    payload: { offset: c.payloadStart, length: c.payloadEnd - c.payloadStart },
    truncated: false,
    malformed: false,
  };
  if (c.payloadProtocol) p.payloadProtocol = c.payloadProtocol;
  for (const L of c.layers as Layer[]) {
    if (L.truncated) p.truncated = true;
    if (L.malformed) p.malformed = true;
    switch (L.type) {
      case 'eth': p.eth ??= L; break;
      case 'vlan': p.vlan.push(L); break;
      case 'ipv4': if (!p.ipv4 && !p.ipv6) p.ipv4 = L; break;
      case 'ipv6': if (!p.ipv4 && !p.ipv6) p.ipv6 = L; break;
      case 'tcp': if (!p.tcp && !p.udp) p.tcp = L; break;
      case 'udp': if (!p.tcp && !p.udp) p.udp = L; break;
      case 'icmp': case 'icmpv6': p.icmp ??= L; break;
      case 'arp': p.arp ??= L; break;
      case 'dns': p.dns ??= L; break;
    }
  }
  return p;
}
