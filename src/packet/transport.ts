// TCP (RFC 9293, options RFC 7323/2018/7413/8684), UDP (RFC 768), ICMP (RFC 792), ICMPv6 (RFC 4443).
import { Ctx, base, type NetInfo } from './context.js';
import { tcpPayload, udpPayload } from './dispatch.js';
import { ipv4, ipv6 } from './ip.js';
import { pseudoSum, sumRange } from './sum.js';
import { ChecksumStatus, type IcmpLayer, type TcpLayer, type UdpLayer } from './types.js';

/** Verifies a transport checksum over [off, end) when it was all captured and is not a fragment. */
function verify(c: Ctx, net: NetInfo, proto: number, off: number, end: number, pseudo: boolean): ChecksumStatus {
  if (!c.verify || net.fragment || end > c.cap) return ChecksumStatus.UNVERIFIED;
  const len = end - off;
  const init = pseudo ? pseudoSum(c.b, net.v6, net.srcOff, net.dstOff, proto, len) : 0;
  return sumRange(c.b, off, len, init) === 0xffff ? ChecksumStatus.GOOD : ChecksumStatus.BAD;
}

export function tcp(c: Ctx, off: number, end: number, net: NetInfo): void {
  const L = c.push<TcpLayer>({ type: 'tcp', options: [], ...base(off, 20) });
  if (!c.has(L, off + 2, end)) return;
  L.srcPort = c.u16(off);
  if (!c.has(L, off + 4, end)) return;
  L.dstPort = c.u16(off + 2);
  // tshark shows only the ports of a TCP header quoted in an ICMPv4 error.
  if (net.inError && !net.v6) return;
  // tshark reads seq..window before showing any of them.
  if (!c.has(L, off + 16, end)) return;
  L.seqRaw = c.u32(off + 4);
  if (!c.has(L, off + 12, end)) return;
  L.ackRaw = c.u32(off + 8);
  if (!c.has(L, off + 13, end)) return;
  const hl = (c.u8(off + 12) >> 4) * 4;
  L.dataOffset = hl;
  if (hl < 20) {
    L.malformed = true;
    L.problem = `data offset ${hl} < 20`;
    c.stopped = true;
    return;
  }
  L.headerLength = hl;
  if (!c.has(L, off + 14, end)) return;
  L.flags = c.u16(off + 12) & 0xfff;
  if (!c.has(L, off + 16, end)) return;
  L.windowSize = c.u16(off + 14);
  if (!c.has(L, off + 18, end)) return;
  L.checksum = c.u16(off + 16);
  L.checksumStatus = verify(c, net, 6, off, end, true);
  if (!c.has(L, off + 20, end)) return;
  L.urgentPointer = c.u16(off + 18);
  if (hl > 20) {
    if (!c.has(L, off + hl, end)) return;
    L.optionBytes = c.b.subarray(off + 20, off + hl);
    tcpOptions(c, L, off + 20, off + hl);
  }
  tcpPayload(c, L.srcPort, L.dstPort, off + hl, end);
}

function tcpOptions(c: Ctx, L: TcpLayer, o: number, end: number): void {
  while (o < end) {
    const kind = c.u8(o);
    if (kind === 0) return;
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 2 > end) return;
    const len = c.u8(o + 1);
    if (len < 2 || o + len > end) {
      L.malformed = true;
      L.problem ??= `TCP option ${kind} has length ${len}`;
      return;
    }
    L.options.push({ kind, offset: o, length: len });
    const v = o + 2;
    if (kind === 2 && len === 4) L.mss = c.u16(v);
    else if (kind === 3 && len === 3) L.windowScale = c.u8(v);
    else if (kind === 4 && len === 2) L.sackPermitted = true;
    else if (kind === 5 && (len - 2) % 8 === 0) {
      L.sack = [];
      for (let p = v; p < o + len; p += 8) L.sack.push([c.u32(p), c.u32(p + 4)]);
    } else if (kind === 8 && len === 10) {
      L.tsval = c.u32(v);
      L.tsecr = c.u32(v + 4);
    } else if (kind === 34) L.tfoCookie = c.b.subarray(v, o + len);
    o += len;
  }
}

export function udp(c: Ctx, off: number, end: number, net: NetInfo): void {
  const L = c.push<UdpLayer>({ type: 'udp', ...base(off, 8) });
  if (!c.has(L, off + 2, end)) return;
  L.srcPort = c.u16(off);
  if (!c.has(L, off + 4, end)) return;
  L.dstPort = c.u16(off + 2);
  if (!c.has(L, off + 6, end)) return;
  const len = (L.length = c.u16(off + 4));
  if (len < 8 && !(len === 0 && net.v6)) {
    L.malformed = true;
    L.problem = `length ${len} < 8`;
    c.stopped = true;
    return;
  }
  if (!c.has(L, off + 8, end)) return;
  L.checksum = c.u16(off + 6);
  let e = end;
  if (len < 8 || off + len > end) {
    if (!net.inError && !(len === 0 && net.v6)) {
      L.malformed = true;
      L.problem = `length ${len} is not within [8, ${end - off}]`;
    }
    L.checksumStatus = L.checksum === 0 && !net.v6 ? ChecksumStatus.NOT_PRESENT : ChecksumStatus.UNVERIFIED;
  } else {
    e = off + len;
    if (L.checksum === 0 && !net.v6) L.checksumStatus = ChecksumStatus.NOT_PRESENT;
    else L.checksumStatus = verify(c, net, 17, off, e, true);
  }
  udpPayload(c, L.srcPort, L.dstPort, off + 8, e, net.inError || L.malformed);
}

const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMPV6_ERRORS = new Set([1, 2, 3, 4]);

export function icmp(c: Ctx, off: number, end: number, net: NetInfo): void {
  icmpAny(c, 'icmp', off, end, net);
}

export function icmpv6(c: Ctx, off: number, end: number, net: NetInfo): void {
  icmpAny(c, 'icmpv6', off, end, net);
}

function icmpAny(c: Ctx, type: 'icmp' | 'icmpv6', off: number, end: number, net: NetInfo): void {
  const L = c.push<IcmpLayer>({ type, ...base(off, 8) });
  // tshark reads type, code and checksum before showing any of them.
  if (!c.has(L, off + 4, end)) return;
  const t = (L.icmpType = c.u8(off));
  L.code = c.u8(off + 1);
  L.checksum = c.u16(off + 2);
  L.checksumStatus = verify(c, net, 58, off, end, type === 'icmpv6');
  c.payload(off + 8, end);
  if (net.inError) return;
  if (type === 'icmp' && ICMP_ERRORS.has(t)) {
    if (!c.has(L, off + 8, end)) return;
    ipv4(c, off + 8, end, true);
  } else if (type === 'icmpv6' && ICMPV6_ERRORS.has(t)) {
    if (!c.has(L, off + 8, end)) return;
    ipv6(c, off + 8, end, true);
  }
}
