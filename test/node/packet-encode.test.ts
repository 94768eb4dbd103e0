// encodePacket: serialize(parse(frame)) == frame for every well-formed corpus frame (headers as
// decoded, lengths and checksums kept), and with lengths and checksums recomputed wherever the
// captured checksums are correct (tshark's checksum.status 1); parse(serialize(x)) == x.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lib from '../../src/index.js';
import { corpusDir, corpusPresent } from './corpus.js';

const ENCODABLE = new Set(['eth', 'sll', 'null', 'vlan', 'ipv4', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6', 'arp']);
const FINAL = new Set(['tcp', 'udp', 'icmp', 'icmpv6', 'arp']);

/** Encodable outer layers, and the end of the outermost datagram (padding/FCS excluded). */
function plan(d: lib.DecodedPacket, frameLength: number): { layers: lib.Layer[]; end: number } | undefined {
  if (d.truncated || d.malformed) return undefined;
  const layers: lib.Layer[] = [];
  let end = frameLength;
  for (const L of d.layers) {
    if (!ENCODABLE.has(L.type) || (L.type === 'null' && L.ipnet)) break;
    if (L.type === 'sll' && (L.protocol! <= 1500 || L.arphrdType === 0x0306)) return undefined;
    if (L.type === 'vlan' && L.etherType! <= 1500) return undefined; // 802.3 inside a tag
    if (L.type === 'eth' && L.etherType! <= 1500) return undefined;
    layers.push(L);
    if (L.type === 'ipv4' && layers.filter((x) => x.type === 'ipv4' || x.type === 'ipv6').length === 1) end = L.offset + L.effectiveLength!;
    if (L.type === 'ipv6' && layers.filter((x) => x.type === 'ipv4' || x.type === 'ipv6').length === 1 && L.payloadLength) end = L.offset + 40 + L.payloadLength;
    if (FINAL.has(L.type)) break;
    if (L.type === 'ipv4' && (L.fragmentOffset !== 0 || (L.flags! & 1) === 1)) break;
    if (L.type === 'ipv6' && L.extensions.some((x) => x.kind === 44)) break;
    if (L.type === 'ipv4' || L.type === 'ipv6') {
      const next = d.layers[d.layers.indexOf(L) + 1];
      if (!next || !ENCODABLE.has(next.type)) break;
    }
  }
  return layers.length ? { layers, end } : undefined;
}

const files = corpusPresent ? readdirSync(join(corpusDir, 'pcap')).sort() : [];
const stats = { frames: 0, exact: 0, filled: 0 };

describe.skipIf(!corpusPresent)('encodePacket round trip over the corpus', () => {
  for (const f of files) {
    test(f, () => {
      let cap: lib.Capture;
      try {
        cap = lib.readCapture(new Uint8Array(readFileSync(join(corpusDir, 'pcap', f))));
      } catch {
        return; // files the format forbids
      }
      const out = new Uint8Array(300000);
      for (const p of cap.packets) {
        if (p.linkType < 0) continue;
        stats.frames++;
        const d = lib.decodePacket(p.data, p.linkType, { originalLength: p.originalLength });
        const pl = plan(d, p.data.length);
        if (!pl) continue;
        const first = pl.layers[0]!.offset;
        const last = pl.layers[pl.layers.length - 1]!;
        const hdrEnd = last.offset + (last.type === 'tcp' ? last.dataOffset! : last.type === 'icmp' || last.type === 'icmpv6' ? 4 : last.headerLength);
        if (pl.end > p.data.length || hdrEnd > pl.end) continue;
        const want = p.data.subarray(first, pl.end);
        const payload = p.data.subarray(hdrEnd, pl.end);
        const n = lib.encodePacket(pl.layers as lib.LayerInput[], payload, out, { fillLengths: false, fillChecksums: false });
        expect(Buffer.from(out.subarray(0, n)).toString('hex'), `${f} frame ${p.number} (kept)`).toBe(Buffer.from(want).toString('hex'));
        stats.exact++;
        // Recompute lengths and checksums where the capture's own are right.
        const ok = pl.layers.every((L) => !('checksumStatus' in L) || L.checksumStatus === lib.ChecksumStatus.GOOD);
        const lensOk = pl.layers.every(
          (L) => !((L.type === 'ipv4' && L.totalLength === 0) || (L.type === 'ipv6' && L.payloadLength === 0) || (L.type === 'udp' && L.offset + L.length! !== pl.end)),
        );
        const nested = pl.layers.filter((L) => L.type === 'ipv4' || L.type === 'ipv6').length > 1;
        if (!ok || !lensOk || nested) continue;
        const m = lib.encodePacket(pl.layers as lib.LayerInput[], payload, out);
        expect(Buffer.from(out.subarray(0, m)).toString('hex'), `${f} frame ${p.number} (filled)`).toBe(Buffer.from(want).toString('hex'));
        stats.filled++;
      }
    });
  }
  test('coverage', () => {
    console.log(`encodePacket: ${stats.exact} of ${stats.frames} frames rebuilt byte for byte (${stats.filled} with lengths and checksums recomputed)`);
    expect(stats.exact).toBeGreaterThan(stats.frames * 0.8);
  });
});

describe('parse(serialize(x)) == x', () => {
  test('Ethernet / 802.1Q / IPv6 / TCP SYN with MSS, SACK-permitted, window scale', () => {
    const layers: lib.LayerInput[] = [
      { type: 'eth', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' },
      { type: 'vlan', id: 42, pcp: 5 },
      { type: 'ipv6', src: '2001:db8::1', dst: '2001:db8::2', hopLimit: 63, flowLabel: 0x12345 },
      { type: 'tcp', srcPort: 40000, dstPort: 443, seqRaw: 0xdeadbeef, flags: 0x002, windowSize: 65535, optionBytes: Uint8Array.from([2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, 7]).subarray(0, 8) },
    ];
    const out = new Uint8Array(128);
    const n = lib.encodePacket(layers, new Uint8Array(0), out);
    const d = lib.decodePacket(out.subarray(0, n), 1);
    expect(d.vlan[0]!.id).toBe(42);
    expect(d.vlan[0]!.pcp).toBe(5);
    expect(d.ipv6!.src).toBe('2001:db8::1');
    expect(d.ipv6!.flowLabel).toBe(0x12345);
    expect(d.ipv6!.payloadLength).toBe(28);
    expect(d.tcp!.seqRaw).toBe(0xdeadbeef);
    expect(d.tcp!.mss).toBe(1460);
    expect(d.tcp!.sackPermitted).toBe(true);
    expect(d.tcp!.dataOffset).toBe(28);
    expect(d.tcp!.checksumStatus).toBe(lib.ChecksumStatus.GOOD);
  });
  test('Ethernet / IPv4 / UDP / payload: lengths and checksums filled and verified by the decoder', () => {
    const out = new Uint8Array(128);
    const payload = new TextEncoder().encode('hello');
    const n = lib.encodePacket(
      [{ type: 'eth' }, { type: 'ipv4', src: '192.0.2.1', dst: '198.51.100.7', identification: 7, flags: 2 }, { type: 'udp', srcPort: 5353, dstPort: 9 }],
      payload,
      out,
    );
    expect(n).toBe(14 + 20 + 8 + 5);
    const d = lib.decodePacket(out.subarray(0, n), 1);
    expect(d.ipv4!.totalLength).toBe(33);
    expect(d.ipv4!.checksumStatus).toBe(lib.ChecksumStatus.GOOD);
    expect(d.udp!.length).toBe(13);
    expect(d.udp!.checksumStatus).toBe(lib.ChecksumStatus.GOOD);
    expect(Buffer.from(out.subarray(d.payload.offset, d.payload.offset + d.payload.length)).toString()).toBe('hello');
  });
  test('too small a buffer is an OutputTooSmallError with needed/available', () => {
    const e = (() => {
      try {
        lib.encodePacket([{ type: 'eth' }], new Uint8Array(10), new Uint8Array(8));
      } catch (x) {
        return x as lib.WirekitError;
      }
    })();
    expect(e?.code).toBe('OUTPUT_TOO_SMALL');
    expect(e?.needed).toBe(24);
  });
});

describe.skipIf(!corpusPresent)('payloads handed to their codecs', () => {
  test('ndpi-http2.pcapng with decode-as tcp.port==29518,http2, and the preface frame; QUIC on UDP 443 (tshark: quic)', () => {
    const h2 = lib.readCapture(new Uint8Array(readFileSync(join(corpusDir, 'pcap', 'ndpi-http2.pcapng'))));
    const withData = h2.packets.map((p) => lib.decodePacket(p.data, p.linkType, { decodeAs: new Map([['tcp:29518', 'http2']]) })).filter((d) => d.tcp && d.payload.length > 0);
    expect(withData.length).toBeGreaterThan(0);
    expect(withData.every((d) => d.payloadProtocol === 'http2')).toBe(true);
    const q = lib.readCapture(new Uint8Array(readFileSync(join(corpusDir, 'pcap', 'td-quic_handshake.pcap'))));
    const d = lib.decodePacket(q.packets[0]!.data, q.packets[0]!.linkType);
    expect(d.payloadProtocol).toBe('quic');
  });
  test('RFC 791 §3.1: NOP, NOP, EOL are listed one by one (nothing read after EOL)', () => {
    const b = Uint8Array.from(Buffer.from('46000020000000004001000' + '0' + '0a0000010a000002' + '01010007', 'hex'));
    const d = lib.decodePacket(b, 228);
    expect(d.ipv4!.optionList!.map((o) => o.type)).toEqual([1, 1, 0]);
  });
});
