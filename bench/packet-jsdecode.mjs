// The honest baseline for decodeCapture: a careful, zero-allocation plain-JS decoder producing the
// same structure-of-arrays columns (Ethernet link type, the bench inputs, + any 802.1Q/802.1ad/0x9100 tags,
// IPv4 incl. TSO length 0 and fragments, IPv6 with its extension chain and jumbograms, TCP with
// MSS/WS, UDP, ICMP/ICMPv6), every read bounds-checked, with optional IPv4/TCP/UDP/ICMP checksum
// verification (DataView getUint32 with four accumulators: the fastest JS sum measured in
// shared/research/perf-anchors-2.md). One hot function; helpers only off the hot path.

/** Preallocated output columns for up to `n` packets. */
export function makeColumns(n) {
  return {
    frameOffset: new Uint32Array(n), capLen: new Uint32Array(n), origLen: new Uint32Array(n),
    l3Offset: new Int32Array(n), l4Offset: new Int32Array(n), payloadOffset: new Int32Array(n), payloadLength: new Int32Array(n),
    etherType: new Uint16Array(n), vlanCount: new Uint8Array(n), vlanId: new Uint16Array(n), ipVersion: new Uint8Array(n),
    ipProtocol: new Uint8Array(n), ttl: new Uint8Array(n), ipFlags: new Uint8Array(n), fragmentOffset: new Uint16Array(n),
    ipLength: new Uint32Array(n), src4: new Uint32Array(n), dst4: new Uint32Array(n), srcPort: new Uint16Array(n),
    dstPort: new Uint16Array(n), tcpFlags: new Uint16Array(n), seq: new Uint32Array(n), ack: new Uint32Array(n),
    windowSize: new Uint16Array(n), tcpHeaderLength: new Uint8Array(n), mss: new Uint16Array(n), windowScale: new Uint8Array(n),
    icmpType: new Uint8Array(n), icmpCode: new Uint8Array(n), ipChecksumStatus: new Uint8Array(n), l4ChecksumStatus: new Uint8Array(n),
    status: new Uint8Array(n), udpLength: new Uint16Array(n),
  };
}

/** Indexes a little-endian µs/ns classic pcap (the bench inputs) into c; returns the count. */
export function indexPcap(u8, dv, c) {
  const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
  let off = 24;
  let n = 0;
  const end = u8.length;
  while (off + 16 <= end) {
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    if (incl > 262144 || off + 16 + incl > end) break;
    c.frameOffset[n] = off + 16;
    c.capLen[n] = incl;
    c.origLen[n] = orig;
    n++;
    off += 16 + incl;
  }
  return n;
}

/** One's-complement sum of [o, o+len) (not folded beyond 32 bits), + init. */
function sum(u8, dv, o, len, init) {
  let a = init, b = 0, c = 0, d = 0;
  let i = o;
  const end = o + len;
  for (; i + 16 <= end; i += 16) {
    a += dv.getUint32(i); b += dv.getUint32(i + 4); c += dv.getUint32(i + 8); d += dv.getUint32(i + 12);
  }
  let s = a + b + c + d;
  for (; i + 2 <= end; i += 2) s += (u8[i] << 8) | u8[i + 1];
  if (i < end) s += u8[i] << 8;
  // fold: s < 2^53
  s = (s % 0x100000000) + Math.floor(s / 0x100000000);
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return (s & 0xffff) + (s >>> 16);
}

function tcpOptions(u8, c, i, o, end) {
  while (o < end) {
    const k = u8[o];
    if (k === 0) return;
    if (k === 1) { o++; continue; }
    if (o + 2 > end) return;
    const l = u8[o + 1];
    if (l < 2 || o + l > end) { c.status[i] |= 2; return; }
    if (k === 2 && l === 4) c.mss[i] = (u8[o + 2] << 8) | u8[o + 3];
    else if (k === 3 && l === 3) c.windowScale[i] = u8[o + 2];
    o += l;
  }
}

function ext6(u8, dv, c, i, p, q, e, nh, lim, plen) {
  // Returns the upper-layer offset, or -1 to stop; writes ipProtocol / fragment fields; the
  // datagram end (changed by a jumbo option) in ext6.e.
  let dst = p + 24;
  let jumboPending = plen === 0;
  while (nh === 0 || nh === 43 || nh === 44 || nh === 60 || nh === 51) {
    if (q + 8 > lim || q + 8 > e) { c.status[i] |= q + 8 > e ? 2 : 1; return -1; }
    const len = nh === 51 ? (u8[q + 1] + 2) * 4 : nh === 44 ? 8 : (u8[q + 1] + 1) * 8;
    if (q + len > lim || q + len > e) { c.status[i] |= q + len > e ? 2 : 1; return -1; }
    if (nh === 44) {
      const fo = (u8[q + 2] << 8) | u8[q + 3];
      c.fragmentOffset[i] = fo >> 3;
      c.ipFlags[i] = fo & 1;
      if ((fo & 0xfff9) !== 0) {
        c.status[i] |= 4;
        if (fo >> 3) {
          c.status[i] |= 8;
          c.ipProtocol[i] = u8[q];
          c.payloadOffset[i] = q + 8 - c.frameOffset[i];
          c.payloadLength[i] = Math.max(0, Math.min(lim, e) - q - 8);
          return -1;
        }
      }
    } else if (nh === 43 && u8[q + 3] !== 0 && len >= 24) {
      const rt = u8[q + 2];
      if (rt === 0 || rt === 2) dst = q + len - 16;
      else if (rt === 4) dst = q + 8;
    } else if (nh === 0 && jumboPending) {
      e = jumbo(u8, dv, q + 2, q + len, p, ext6.end);
    }
    if (nh === 0) jumboPending = false;
    nh = u8[q];
    q += len;
  }
  c.ipProtocol[i] = nh;
  ext6.dst = dst;
  ext6.e = e;
  return q;
}
ext6.dst = 0;
ext6.e = 0;
ext6.end = 0;

function jumbo(u8, dv, o, hbhEnd, p, end) {
  while (o < hbhEnd) {
    const t = u8[o];
    if (t === 0) { o++; continue; }
    if (o + 2 > hbhEnd) break;
    const l = u8[o + 1];
    if (t === 0xc2 && l === 4 && o + 6 <= hbhEnd) return Math.min(end, p + 40 + dv.getUint32(o + 2));
    o += 2 + l;
  }
  return hbhEnd;
}

/** Decodes packets [0, n) of `u8` indexed in c. verify: checksum verification. */
export function decodeAll(u8, dv, c, n, verify) {
  for (let i = 0; i < n; i++) {
    const f = c.frameOffset[i];
    const cap = c.capLen[i];
    const lim = f + cap;
    const end = f + Math.max(cap, c.origLen[i]);
    c.l3Offset[i] = -1; c.l4Offset[i] = -1; c.windowScale[i] = 255; c.ipChecksumStatus[i] = 2; c.l4ChecksumStatus[i] = 2;
    c.status[i] = 0; c.vlanCount[i] = 0; c.ipVersion[i] = 0; c.ipProtocol[i] = 0; c.mss[i] = 0; c.tcpHeaderLength[i] = 0;
    c.srcPort[i] = 0; c.dstPort[i] = 0; c.fragmentOffset[i] = 0; c.ipFlags[i] = 0; c.icmpType[i] = 0; c.icmpCode[i] = 0;
    c.payloadOffset[i] = 0; c.payloadLength[i] = cap;
    if (f + 14 > lim) { c.status[i] = f + 14 > end ? 2 : 1; continue; }
    let t = (u8[f + 12] << 8) | u8[f + 13];
    let p = f + 14;
    let tags = 0;
    while (t === 0x8100 || t === 0x88a8 || t === 0x9100) {
      if (p + 4 > lim) break;
      if (tags === 0) c.vlanId[i] = ((u8[p] << 8) | u8[p + 1]) & 0xfff;
      tags++;
      t = (u8[p + 2] << 8) | u8[p + 3];
      p += 4;
    }
    c.vlanCount[i] = tags;
    c.etherType[i] = t;
    c.payloadOffset[i] = p - f;
    c.payloadLength[i] = Math.max(0, Math.min(lim, end) - p);
    let e = end, q, proto, ph = 0, frag = false, v6 = false;
    // An "IPv4" header with version 6 is decoded as IPv6 (as tshark does).
    if (t === 0x0800 && p < lim && u8[p] >> 4 === 6) t = 0x86dd;
    if (t === 0x0800) {
      c.l3Offset[i] = p - f;
      if (p + 20 > lim) { c.status[i] |= p + 20 > end ? 2 : 1; continue; }
      const b0 = u8[p];
      const hl = (b0 & 15) * 4;
      const tl = (u8[p + 2] << 8) | u8[p + 3];
      const eff = tl === 0 ? end - p : tl;
      c.ipVersion[i] = b0 >> 4;
      if (b0 >> 4 !== 4 || hl < 20 || eff < hl) { c.status[i] |= 2; continue; }
      if (p + eff <= end) e = p + eff; else c.status[i] |= 2;
      const ff = (u8[p + 6] << 8) | u8[p + 7];
      proto = u8[p + 9];
      c.ipLength[i] = eff; c.ipFlags[i] = ff >> 13; c.fragmentOffset[i] = ff & 0x1fff; c.ttl[i] = u8[p + 8]; c.ipProtocol[i] = proto;
      c.src4[i] = dv.getUint32(p + 12); c.dst4[i] = dv.getUint32(p + 16);
      if (p + hl > lim) { c.status[i] |= p + hl > e ? 2 : 1; continue; }
      q = p + hl;
      if (verify) c.ipChecksumStatus[i] = sum(u8, dv, p, hl, 0) === 0xffff ? 1 : 0;
      c.payloadOffset[i] = q - f; c.payloadLength[i] = Math.max(0, Math.min(lim, e) - q);
      if ((ff & 0x3fff) !== 0) { frag = true; c.status[i] |= 4; if (ff & 0x1fff) { c.status[i] |= 8; continue; } }
      if (verify) {
        const s = dv.getUint16(p + 12) + dv.getUint16(p + 14) + dv.getUint16(p + 16) + dv.getUint16(p + 18) + proto + (e - q);
        ph = s;
      }
    } else if (t === 0x86dd) {
      c.l3Offset[i] = p - f;
      if (p + 40 > lim) { c.status[i] |= p + 40 > end ? 2 : 1; continue; }
      c.ipVersion[i] = u8[p] >> 4;
      if (u8[p] >> 4 !== 6) { c.status[i] |= 2; continue; }
      const plen = (u8[p + 4] << 8) | u8[p + 5];
      const nh = u8[p + 6];
      c.ipLength[i] = plen; c.ttl[i] = u8[p + 7];
      if (plen !== 0) { if (p + 40 + plen <= end) e = p + 40 + plen; else c.status[i] |= 2; } else if (nh !== 0) e = p + 40;
      if (nh === 6 || nh === 17 || nh === 58) {
        q = p + 40;
        c.ipProtocol[i] = nh;
        ext6.dst = p + 24;
      } else {
        ext6.end = end;
        q = ext6(u8, dv, c, i, p, p + 40, e, nh, lim, plen);
        if (q < 0) continue;
        e = ext6.e;
      }
      proto = c.ipProtocol[i];
      frag = (c.status[i] & 4) !== 0;
      v6 = true;
      c.payloadOffset[i] = q - f; c.payloadLength[i] = Math.max(0, Math.min(lim, e) - q);
      if (verify) {
        let s = proto + (e - q);
        for (let k = 0; k < 16; k += 4) s += dv.getUint16(p + 8 + k) + dv.getUint16(p + 10 + k) + dv.getUint16(ext6.dst + k) + dv.getUint16(ext6.dst + k + 2);
        ph = s;
      }
    } else continue;
    const ck = verify && !frag;
    if (proto === 6 || proto === 17 || proto === 1 || proto === 58) c.l4Offset[i] = q - f;
    if (proto === 6) {
      if (q + 20 > lim || q + 20 > e) { c.status[i] |= q + 20 > e ? 2 : 1; continue; }
      const hw = (u8[q + 12] << 8) | u8[q + 13];
      const hl = (hw >> 12) * 4;
      c.srcPort[i] = (u8[q] << 8) | u8[q + 1]; c.dstPort[i] = (u8[q + 2] << 8) | u8[q + 3];
      c.seq[i] = dv.getUint32(q + 4); c.ack[i] = dv.getUint32(q + 8);
      c.tcpHeaderLength[i] = hl; c.tcpFlags[i] = hw & 0xfff; c.windowSize[i] = (u8[q + 14] << 8) | u8[q + 15];
      if (hl < 20) { c.status[i] |= 2; continue; }
      if (ck && e <= lim) c.l4ChecksumStatus[i] = sum(u8, dv, q, e - q, ph) === 0xffff ? 1 : 0;
      if (q + hl > lim || q + hl > e) { c.status[i] |= q + hl > e ? 2 : 1; continue; }
      if (hl > 20) tcpOptions(u8, c, i, q + 20, q + hl);
      c.payloadOffset[i] = q + hl - f; c.payloadLength[i] = Math.max(0, Math.min(lim, e) - q - hl);
    } else if (proto === 17) {
      if (q + 8 > lim || q + 8 > e) { c.status[i] |= q + 8 > e ? 2 : 1; continue; }
      c.srcPort[i] = (u8[q] << 8) | u8[q + 1]; c.dstPort[i] = (u8[q + 2] << 8) | u8[q + 3];
      const len = (u8[q + 4] << 8) | u8[q + 5];
      const sumf = (u8[q + 6] << 8) | u8[q + 7];
      c.udpLength[i] = len;
      if (len < 8 || q + len > e) { c.status[i] |= 2; c.l4ChecksumStatus[i] = sumf === 0 && !v6 ? 3 : 2; continue; }
      if (sumf === 0 && !v6) c.l4ChecksumStatus[i] = 3;
      else if (ck && q + len <= lim) c.l4ChecksumStatus[i] = sum(u8, dv, q, len, ph - (e - q) + len) === 0xffff ? 1 : 0;
      c.payloadOffset[i] = q + 8 - f; c.payloadLength[i] = Math.max(0, Math.min(lim, q + len) - q - 8);
    } else if (proto === 1 || proto === 58) {
      if (q + 4 > lim || q + 4 > e) { c.status[i] |= q + 4 > e ? 2 : 1; continue; }
      c.icmpType[i] = u8[q]; c.icmpCode[i] = u8[q + 1];
      if (ck && e <= lim) c.l4ChecksumStatus[i] = sum(u8, dv, q, e - q, proto === 58 ? ph : 0) === 0xffff ? 1 : 0;
    }
  }
  return n;
}
