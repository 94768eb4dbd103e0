// pcap/pcapng reading and decodePacket on corpus captures; expected values are tshark 4.0's
// (shared/corpus/pcap-truth) or the RFC's. Shared by Node, Deno and Chromium.
export default function packetCases(lib, { assert, corpus }) {
  const { equal, ok, throws, hex } = assert;
  const throwsMsg = (fn, re) => {
    const e = throws(fn);
    ok(re.test(e.message), `message ${JSON.stringify(e.message)} should match ${re}`);
    return e;
  };
  const first = async (name) => lib.readCapture(await corpus(`pcap/${name}`)).packets[0];
  const dec = (p) => lib.decodePacket(p.data, p.linkType, { originalLength: p.originalLength });
  return [
    ['gp-test_dns.pcap frame 1 (tshark): Ethernet/IPv4/UDP/DNS picslife.ru', async () => {
      const p = await first('gp-test_dns.pcap');
      equal(p.originalLength, 82);
      const d = dec(p);
      equal(d.eth.src, '00:0f:35:bb:0b:40');
      equal(d.eth.etherType, 0x0800);
      equal(d.ipv4.identification, 0x89c4);
      equal(d.ipv4.checksum, 0x2f3d);
      equal(d.ipv4.checksumStatus, lib.ChecksumStatus.GOOD);
      equal(d.ipv4.src, '109.194.160.4');
      equal(d.udp.srcPort, 57766);
      equal(d.udp.length, 48);
      equal(d.udp.checksumStatus, lib.ChecksumStatus.GOOD);
      equal(d.dns.id, 0xf618);
      equal(d.dns.questions[0].name, 'picslife.ru');
      equal(d.payload.offset + d.payload.length, 82, 'payload ends at the UDP length');
    }],
    ['own-sll2-http1.pcap frame 1 (tshark): SLL2/IPv4/TCP SYN, MSS 65495, WS 10, offloaded checksum is bad', async () => {
      const p = await first('own-sll2-http1.pcap');
      equal(p.linkType, 276);
      const d = dec(p);
      equal(d.layers[0].type, 'sll');
      equal(d.layers[0].protocol, 0x0800);
      equal(d.tcp.srcPort, 50796);
      equal(d.tcp.seqRaw, 4043861957);
      equal(d.tcp.flags, 0x002);
      equal(d.tcp.dataOffset, 40);
      equal(d.tcp.mss, 65495);
      equal(d.tcp.windowScale, 10);
      ok(d.tcp.sackPermitted);
      equal(d.tcp.tsval, 2977592227);
      equal(d.tcp.checksumStatus, lib.ChecksumStatus.BAD);
    }],
    ['td-802.1ad_QinQ.pcap (tshark): 0x88a8 S-tag then 802.1Q C-tag 2001, ARP', async () => {
      const d = dec(await first('td-802.1ad_QinQ.pcap'));
      equal(d.vlan.length, 2);
      equal(d.vlan[0].tpid, 0x88a8);
      equal(d.vlan[1].tpid, 0x8100);
      equal(d.vlan[1].id, 2001);
      ok(d.arp);
    }],
    ['td-vxlan.pcap frame 1 (tshark): outer IPv4/UDP 4789, VXLAN, inner Ethernet/IPv4/ICMP echo', async () => {
      const d = dec(await first('td-vxlan.pcap'));
      equal(d.layers.map((L) => L.type).join(':'), 'eth:ipv4:udp:vxlan:eth:ipv4:icmp');
      equal(d.udp.dstPort, 4789);
      equal(d.udp.checksumStatus, lib.ChecksumStatus.NOT_PRESENT);
      equal(d.layers[5].src, '192.168.203.3');
      equal(d.icmp.icmpType, 8);
    }],
    ['td-tcp_header_heapoverflow.pcap: cut-short TCP is truncated, ports kept, no throw', async () => {
      const d = dec(await first('td-tcp_header_heapoverflow.pcap'));
      ok(d.tcp.truncated);
      equal(d.tcp.srcPort, 12336);
      equal(d.tcp.seqRaw, undefined);
      ok(d.truncated);
    }],
    ['RFC 8200 §4.5: a non-first IPv6 fragment is never parsed as UDP', () => {
      // IPv6 (next 44) + fragment header (next 17, offset 1, M=0) + 8 bytes that look like UDP.
      const b = hex('6000000000102c40' + '20010db8000000000000000000000001' + '20010db8000000000000000000000002' +
        '1100000800000001' + '0035003500080000');
      const d = lib.decodePacket(b, 229);
      equal(d.udp, undefined);
      equal(d.ipv6.extensions[0].fragmentOffset, 1);
      equal(d.ipv6.upperProtocol, 17);
      equal(d.payload.length, 8);
    }],
    ['Ethernet padding never leaks into the IPv4/UDP payload', () => {
      const b = hex('ffffffffffff' + '020000000001' + '0800' + '4500001c00010000401166ce0a0000010a000002' + '04d20035000800000000000000000000000000');
      const d = lib.decodePacket(b, 1);
      equal(d.ipv4.checksumStatus, lib.ChecksumStatus.GOOD);
      equal(d.udp.length, 8);
      equal(d.payload.length, 0);
    }],
    ['unknown TCP option kind 254 is kept raw, never thrown', () => {
      const b = hex('4500002c00000000400600000a0000010a000002' + '0001000200000000000000006002ffff00000000' + 'fe04abcd');
      const d = lib.decodePacket(b, 101);
      equal(d.tcp.options.length, 1);
      equal(d.tcp.options[0].kind, 254);
      equal(d.tcp.options[0].length, 4);
    }],
    ['pcap refusals match tshark: major version 1, reserved link-type bits, pcapng SHB 1.1, option too long', async () => {
      throwsMsg(() => lib.readCapture(new Uint8Array([1, 2, 3])), /fewer than 4 bytes/);
      for (const [f, why] of [
        ['lp-pcap-invalid-version-1.pcap', /major version 1 unsupported/],
        ['lp-linktype-reserved-field-not-zero.pcap', /reserved field not zero \(0x00300000\)/],
        ['lp-pcapng-invalid-vers-2.pcapng', /unknown SHB version 1.1/],
        ['lp-shb-option-too-long.pcapng', /Not enough data to handle option of length 12336/],
      ]) {
        const bytes = await corpus(`pcap/${f}`);
        equal(throwsMsg(() => lib.readCapture(bytes), why).code, 'MALFORMED');
      }
    }],
    ['pngt-le-test202.pcapng: sections of both byte orders, 11 records as tshark counts them', async () => {
      const c = lib.readCapture(await corpus('pcap/pngt-le-test202.pcapng'));
      equal(c.packets.length, 11);
      equal(c.packets[0].linkType, lib.CUSTOM_BLOCK);
      equal(c.packets[1].originalLength, 314);
      equal(c.packets[1].capturedLength, 96);
      equal(c.packets[3].linkType, 0);
    }],
    ['td-tcp-handshake-nano.pcap: nanosecond magic keeps nanoseconds', async () => {
      const c = lib.readCapture(await corpus('pcap/td-tcp-handshake-nano.pcap'));
      ok(c.nanosecond);
      ok(c.packets.length > 0);
    }],
    ['damaged tail: the good packets, then a TruncatedError, never a hang', async () => {
      const bytes = await corpus('pcap/gp-test_dns.pcap');
      const cut = bytes.subarray(0, bytes.length - 5);
      const c = lib.readCapture(cut);
      equal(c.packets.length, 9);
      equal(c.error.code, 'TRUNCATED');
      let n = 0;
      throwsMsg(() => {
        for (const _ of lib.capturePackets(cut)) n++;
      }, /cut short/);
      equal(n, 9);
    }],
    ['decodeCapture gp-test_dns.pcap (tshark): 10 frames, ports, TTL, IPv4 and UDP checksums good', async () => {
      const r = lib.decodeCapture(await corpus('pcap/gp-test_dns.pcap'), { verifyChecksums: true });
      equal(r.count, 10);
      const c = r.columns;
      equal(c.src4[0], (109 << 24 | 194 << 16 | 160 << 8 | 4) >>> 0);
      equal(c.srcPort[0], 57766);
      equal(c.dstPort[0], 53);
      equal(c.ttl[0], 56);
      equal(c.udpLength[0], 48);
      equal(c.ipChecksumStatus[0], 1);
      equal(c.l4ChecksumStatus[0], 1);
      equal(c.ttl[1], 58);
      r.free();
    }],
    ['streamCapture over a web ReadableStream equals readCapture (pngt-le-test202.pcapng)', async () => {
      const bytes = await corpus('pcap/pngt-le-test202.pcapng');
      const whole = lib.readCapture(bytes).packets;
      const got = [];
      for await (const p of lib.streamCapture(new Blob([bytes]).stream(), { copy: true })) got.push(p);
      equal(got.length, whole.length);
      for (let i = 0; i < got.length; i++) {
        equal(got[i].originalLength, whole[i].originalLength);
        equal(got[i].linkType, whole[i].linkType);
        equal(got[i].data.length, whole[i].data.length);
      }
    }],
    ['encodePacket then decodePacket: IPv4/UDP lengths and checksums filled (RFC 768)', () => {
      const out = new Uint8Array(64);
      const n = lib.encodePacket([{ type: 'eth' }, { type: 'ipv4', src: '192.0.2.1', dst: '198.51.100.7' }, { type: 'udp', srcPort: 1024, dstPort: 53 }], hex('61626364'), out);
      equal(n, 46);
      const d = lib.decodePacket(out.subarray(0, n), 1);
      equal(d.ipv4.totalLength, 32);
      equal(d.ipv4.checksumStatus, lib.ChecksumStatus.GOOD);
      equal(d.udp.length, 12);
      equal(d.udp.checksumStatus, lib.ChecksumStatus.GOOD);
    }],
    ['writePcap then readCapture: same frames, nanoseconds kept', () => {
      const file = lib.writePcap([{ data: hex('00112233445566778899aabb0800'), tsSec: 1700000000, tsNsec: 123456789 }], { linkType: 1, nanosecond: true });
      const c = lib.readCapture(file);
      ok(c.nanosecond);
      equal(c.packets[0].tsNsec, 123456789);
      equal(c.packets[0].capturedLength, 14);
    }],
  ];
}
