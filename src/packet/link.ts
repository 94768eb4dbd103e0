// Link layers: Ethernet II / 802.3+LLC, 802.1Q / 802.1ad tags, Linux SLL and SLL2, BSD NULL/LOOP,
// PPP, IPNET, and ARP/RARP.
import { Ctx, base } from './context.js';
import { etherType } from './dispatch.js';
import type { ArpLayer, EthernetLayer, LlcLayer, NullLayer, PppLayer, SllLayer, VlanLayer } from './types.js';

/** Ethernet II (or 802.3 when the type/length field is <= 1500). */
export function ethernet(c: Ctx, off: number, end: number): void {
  const L = c.push<EthernetLayer>({ type: 'eth', ...base(off, 14) });
  if (!c.has(L, off + 6, end)) return;
  L.dst = c.mac(off);
  if (!c.has(L, off + 12, end)) return;
  L.src = c.mac(off + 6);
  if (!c.has(L, off + 14, end)) return;
  const t = c.u16(off + 12);
  L.etherType = t;
  if (t <= 1500) {
    // 802.3: the length field bounds the payload (the rest is padding).
    const stop = Math.min(end, off + 14 + t);
    llc(c, off + 14, stop);
    return;
  }
  etherType(c, t, off + 14, end);
}

export function llc(c: Ctx, off: number, end: number): void {
  const L = c.push<LlcLayer>({ type: 'llc', ...base(off, 3) });
  if (!c.has(L, off + 3, end)) return;
  L.dsap = c.u8(off);
  L.ssap = c.u8(off + 1);
  L.control = c.u8(off + 2);
  c.payload(off + 3, end);
}

/** 802.1Q / 802.1ad tag: 2-byte TCI + EtherType after the TPID the previous layer carried. */
export function vlan(c: Ctx, tpid: number, off: number, end: number): void {
  const L = c.push<VlanLayer>({ type: 'vlan', tpid, ...base(off, 4) });
  if (!c.has(L, off + 2, end)) return;
  const tci = c.u16(off);
  L.pcp = tci >> 13;
  L.dei = (tci >> 12) & 1;
  L.id = tci & 0xfff;
  if (!c.has(L, off + 4, end)) return;
  const t = c.u16(off + 2);
  L.etherType = t;
  if (t <= 1500) {
    llc(c, off + 4, Math.min(end, off + 4 + t));
    return;
  }
  etherType(c, t, off + 4, end);
}

/** LINKTYPE_LINUX_SLL (16 bytes) and LINUX_SLL2 (20 bytes). */
export function sll(c: Ctx, version: 1 | 2, off: number, end: number): void {
  const n = version === 1 ? 16 : 20;
  const L = c.push<SllLayer>({ type: 'sll', version, ...base(off, n) });
  if (version === 1) {
    if (!c.has(L, off + 16, end)) return;
    L.packetType = c.u16(off);
    L.arphrdType = c.u16(off + 2);
    L.addressLength = c.u16(off + 4);
    L.address = c.b.subarray(off + 6, off + 6 + Math.min(8, L.addressLength));
    L.addressField = c.b.subarray(off + 6, off + 14);
    L.protocol = c.u16(off + 14);
  } else {
    if (!c.has(L, off + 20, end)) return;
    L.protocol = c.u16(off);
    L.reserved = c.u16(off + 2);
    L.interfaceIndex = c.u32(off + 4);
    L.arphrdType = c.u16(off + 8);
    L.packetType = c.u8(off + 10);
    L.addressLength = c.u8(off + 11);
    L.address = c.b.subarray(off + 12, off + 12 + Math.min(8, L.addressLength));
    L.addressField = c.b.subarray(off + 12, off + 20);
  }
  const p = L.protocol!;
  if (L.arphrdType === 0x0306 /* ARPHRD_NETLINK */) return c.payload(off + n, end);
  if (p === 4) return llc(c, off + n, end);
  if (p <= 1500) return c.payload(off + n, end);
  etherType(c, p, off + n, end);
}

/** LINKTYPE_NULL (host byte order family) and LINKTYPE_LOOP (big-endian family). */
export function nullLink(c: Ctx, loop: boolean, off: number, end: number): void {
  const L = c.push<NullLayer>({ type: 'null', ...base(off, 4) });
  if (!c.has(L, off + 4, end)) return;
  const le = !loop && c.dv.getUint32(off, true) < 0x10000;
  const fam = c.dv.getUint32(off, le);
  L.family = fam;
  L.littleEndian = le;
  if (fam === 2) return etherType(c, 0x0800, off + 4, end);
  if (fam === 24 || fam === 28 || fam === 30) return etherType(c, 0x86dd, off + 4, end);
  c.payload(off + 4, end);
}

/** LINKTYPE_PPP (RFC 1661/1662 framing without flags: optional ff 03, then protocol). */
export function ppp(c: Ctx, off: number, end: number): void {
  const L = c.push<PppLayer>({ type: 'ppp', ...base(off, 2) });
  let o = off;
  if (c.has(L, o + 2, end) && c.u16(o) === 0xff03) o += 2;
  if (c.stopped || !c.has(L, o + 1, end)) return;
  let proto = c.u8(o);
  let n = 1;
  if ((proto & 1) === 0) {
    if (!c.has(L, o + 2, end)) return;
    proto = c.u16(o);
    n = 2;
  }
  L.protocol = proto;
  L.headerLength = o + n - off;
  const p = o + n;
  if (proto === 0x0021) return etherType(c, 0x0800, p, end);
  if (proto === 0x0057) return etherType(c, 0x86dd, p, end);
  if (proto === 0x0281) return etherType(c, 0x8847, p, end);
  c.payload(p, end);
}

/** LINKTYPE_IPNET (Solaris): 24-byte header, family 2 = IPv4, 26 = IPv6. */
export function ipnet(c: Ctx, off: number, end: number): void {
  const L = c.push<NullLayer>({ type: 'null', ipnet: true, ...base(off, 24) });
  if (!c.has(L, off + 24, end)) return;
  L.family = c.u8(off + 1);
  if (L.family === 2) return etherType(c, 0x0800, off + 24, end);
  if (L.family === 26) return etherType(c, 0x86dd, off + 24, end);
  c.payload(off + 24, end);
}

/** ARP / RARP (RFC 826, RFC 903). */
export function arp(c: Ctx, off: number, end: number): void {
  const L = c.push<ArpLayer>({ type: 'arp', ...base(off, 8) });
  if (!c.has(L, off + 8, end)) return;
  if (c.u16(off) === 19) return atmArp(c, L, off, end);
  L.hardwareType = c.u16(off);
  L.protocolType = c.u16(off + 2);
  const hl = (L.hardwareSize = c.u8(off + 4));
  const pl = (L.protocolSize = c.u8(off + 5));
  L.opcode = c.u16(off + 6);
  const total = 8 + 2 * hl + 2 * pl;
  L.headerLength = total;
  if (!c.has(L, off + total, end)) return;
  let o = off + 8;
  L.senderHardware = c.b.subarray(o, o + hl);
  L.senderProtocol = c.b.subarray((o += hl), o + pl);
  L.targetHardware = c.b.subarray((o += pl), o + hl);
  L.targetProtocol = c.b.subarray((o += hl), o + pl);
  c.payload(off + total, end);
}

/** ATMARP (RFC 2225, hardware type 19): 12 fixed bytes whose type/length octets size the addresses. */
function atmArp(c: Ctx, L: ArpLayer, off: number, end: number): void {
  if (!c.has(L, off + 12, end)) return;
  const n = (x: number): number => x & 0x3f; // low 6 bits: length
  const total = 12 + n(c.u8(off + 4)) + n(c.u8(off + 5)) + c.u8(off + 8) + n(c.u8(off + 9)) + n(c.u8(off + 10)) + c.u8(off + 11);
  L.headerLength = total;
  // Wireshark reads every address before showing any field.
  if (!c.has(L, off + total, end)) return;
  L.hardwareType = 19;
  L.protocolType = c.u16(off + 2);
  L.opcode = c.u16(off + 6);
  c.payload(off + total, end);
}
