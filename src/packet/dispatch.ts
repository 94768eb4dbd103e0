// Who decodes what: EtherTypes, IP protocol numbers, and well-known ports (as tshark registers them).
import type { Ctx, NetInfo } from './context.js';
import { arp, llc, vlan } from './link.js';
import { ipv4, ipv6 } from './ip.js';
import { icmp, icmpv6, tcp, udp } from './transport.js';
import { cmd, dns, geneve, gre, mpls, teredo, vxlan } from './tunnel.js';

export function etherType(c: Ctx, t: number, off: number, end: number): void {
  if (c.stopped) return;
  if (++c.depth > 64) return c.payload(off, end);
  switch (t) {
    case 0x0800:
      return ipv4(c, off, end, false);
    case 0x86dd:
      return ipv6(c, off, end, false);
    case 0x0806:
    case 0x8035:
      return arp(c, off, end);
    case 0x8100:
    case 0x88a8:
    case 0x9100:
      return vlan(c, t, off, end);
    case 0x8847:
    case 0x8848:
      return mpls(c, off, end);
    case 0x8909:
      return cmd(c, off, end, false);
    default:
      c.payload(off, end);
  }
}

/** After an IPv4/IPv6 header (or extension chain): the upper-layer protocol. */
export function ipProto(c: Ctx, proto: number, off: number, end: number, net: NetInfo): void {
  if (c.stopped) return;
  if (++c.depth > 64) return c.payload(off, end);
  switch (proto) {
    case 6:
      return tcp(c, off, end, net);
    case 17:
      return udp(c, off, end, net);
    case 1:
      return icmp(c, off, end, net);
    case 58:
      return icmpv6(c, off, end, net);
    case 4:
      return ipv4(c, off, end, net.inError);
    case 41:
      return ipv6(c, off, end, net.inError);
    case 47:
      return gre(c, off, end);
    default:
      c.payload(off, end);
  }
}

/** UDP payload by port (the lower port first, like tshark), honouring decode-as rules. */
export function udpPayload(c: Ctx, src: number, dst: number, off: number, end: number, inError: boolean): void {
  c.payload(off, end);
  if (c.stopped || inError) return;
  const lo = Math.min(src, dst);
  const hi = Math.max(src, dst);
  for (const p of [lo, hi]) {
    const as = c.decodeAs?.get(`udp:${p}`);
    if (as === 'dns') return dns(c, off, end, false);
    if (as === 'quic') c.payloadProtocol = 'quic';
    if (as !== undefined) return;
  }
  // QUIC (RFC 9000 §17): UDP 443 with the fixed bit (0x40) set in the first octet.
  if ((src === 443 || dst === 443) && off < Math.min(end, c.cap) && (c.u8(off) & 0x40) !== 0) c.payloadProtocol = 'quic';
  for (const p of [lo, hi]) {
    switch (p) {
      case 53:
      case 5353:
      case 5355:
        return dns(c, off, end, false);
      case 4789:
        return vxlan(c, off, end);
      case 6081:
        return geneve(c, off, end);
      case 3544:
        return teredo(c, off, end);
    }
  }
}

export function tcpPayload(c: Ctx, src: number, dst: number, off: number, end: number): void {
  c.payload(off, end);
  if (c.stopped || off >= end) return;
  const lo = Math.min(src, dst);
  const hi = Math.max(src, dst);
  for (const p of [lo, hi]) {
    const as = c.decodeAs?.get(`tcp:${p}`);
    if (as === 'dns') return dns(c, off, end, true);
    if (as === 'http2') c.payloadProtocol = 'http2';
    if (as !== undefined) return;
  }
  if (startsWith(c, off, end, H2_PREFACE)) c.payloadProtocol = 'http2';
  if (lo === 53) return dns(c, off, end, true);
}

/** RFC 9113 §3.4 client connection preface, first line. */
const H2_PREFACE = Array.from('PRI * HTTP/2.0', (ch) => ch.charCodeAt(0));

function startsWith(c: Ctx, off: number, end: number, s: number[]): boolean {
  if (Math.min(end, c.cap) - off < s.length) return false;
  for (let i = 0; i < s.length; i++) if (c.u8(off + i) !== s[i]) return false;
  return true;
}
