// Checksum vectors from the RFCs and standard check values. Shared by Node, Deno and Chromium.
export default function checksumCases(lib, { assert }) {
  const { equal, ok, throws, hex } = assert;
  const ascii = (s) => new TextEncoder().encode(s);
  return [
    ['RFC 1071 §3 numerical example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2', () => {
      const b = hex('0001f203f4f5f6f7');
      equal(lib.onesComplementSum(b), 0xddf2);
      equal(lib.internetChecksum(b), 0x220d);
      // The same sum computed over the two halves, in either order (commutativity, §2(A)).
      equal(lib.onesComplementSum(b.subarray(4), lib.onesComplementSum(b.subarray(0, 4))), 0xddf2);
    }],
    ['RFC 1071 §2(B) byte order independence: odd-length pieces combine with a swap', () => {
      const b = hex('0001f203f4f5f6f7');
      equal(lib.combineSums(lib.onesComplementSum(b.subarray(0, 3)), lib.onesComplementSum(b.subarray(3)), 3), 0xddf2);
    }],
    ['IPv4 header checksum (classic example 4500 0073 ... c0a8 00c7) is 0xb861', () => {
      const h = hex('450000730000400040110000c0a80001c0a800c7');
      equal(lib.internetChecksum(h), 0xb861);
      h[10] = 0xb8;
      h[11] = 0x61;
      ok(lib.verifyInternetChecksum(h), 'header with its checksum verifies');
      h[0] = 0x46;
      ok(!lib.verifyInternetChecksum(h), 'a changed byte fails verification');
    }],
    ['RFC 1624 §4 example: HC 0xdd2f, m 0x5555 -> m\' 0x3285 gives 0x0000, not -0', () => {
      equal(lib.updateChecksum(0xdd2f, 0x5555, 0x3285), 0x0000);
    }],
    ['RFC 1624 eqn. 3 agrees with recomputation after a TTL decrement', () => {
      const h = hex('450000730000400040110000c0a80001c0a800c7');
      const before = lib.internetChecksum(h);
      const oldWord = (h[8] << 8) | h[9];
      h[8] -= 1;
      const newWord = (h[8] << 8) | h[9];
      equal(lib.updateChecksum(before, oldWord, newWord), lib.internetChecksum(h));
    }],
    ['gp-test_dns.pcap #1: UDP over IPv4 checksum 0xa597 (tshark: good) from the RFC 768 pseudo-header', () => {
      // 109.194.160.4:57766 -> 95.211.92.14:53, 48-byte UDP datagram, bytes from the capture.
      const ip = hex('4500004489c4000038112f3d6dc2a0045fd35c0e');
      const udp = hex('e1a600350030a597f6180010000100000000000108706963736c69666502727500000100010000291000000080000000');
      const ph = lib.pseudoHeaderSumIPv4(ip.subarray(12, 16), ip.subarray(16, 20), ip[9], udp.length);
      equal(lib.transportChecksum(ph, udp, { checksumOffset: 6, udp: true }), 0xa597);
      ok(lib.verifyInternetChecksum(udp, ph));
      equal(lib.internetChecksum(ip), 0, 'the IPv4 header with its checksum 0x2f3d sums to all ones');
      udp[20] ^= 1;
      ok(!lib.verifyInternetChecksum(udp, ph), 'one flipped bit fails');
    }],
    ['RFC 1624 §3: updateChecksum32 of a rewritten IPv4 source address equals the recomputed header checksum', () => {
      const ip = hex('4500004489c4000038112f3d6dc2a0045fd35c0e'); // gp-test_dns.pcap #1, checksum 0x2f3d
      const updated = lib.updateChecksum32(0x2f3d, 0x6dc2a004, 0x0a000001); // NAT to 10.0.0.1
      ip.set([10, 0, 0, 1], 12);
      ip[10] = ip[11] = 0;
      equal(updated, lib.internetChecksum(ip));
    }],
    ['IEEE CRC-32 check value: "123456789" -> 0xCBF43926', () => {
      equal(lib.crc32(ascii('123456789')), 0xcbf43926);
      equal(lib.crc32('123456789'), 0xcbf43926);
      equal(lib.crc32(new Uint8Array(0)), 0);
    }],
    ['CRC-32C check value: "123456789" -> 0xE3069283', () => {
      equal(lib.crc32c(ascii('123456789')), 0xe3069283);
    }],
    ['RFC 3720 B.4 CRC-32C: 32 bytes of zeros -> 0x8A9136AA', () => {
      equal(lib.crc32c(new Uint8Array(32)), 0x8a9136aa);
    }],
    ['RFC 3720 B.4 CRC-32C: 32 bytes of 0xFF -> 0x62A8AB43', () => {
      equal(lib.crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
    }],
    ['RFC 3720 B.4 CRC-32C: 32 incrementing bytes 00..1f -> 0x46DD794E', () => {
      equal(lib.crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
    }],
    ['RFC 3720 B.4 CRC-32C: 32 decrementing bytes 1f..00 -> 0x113FDB5C', () => {
      equal(lib.crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
    }],
    ['RFC 3720 B.4 CRC-32C: iSCSI SCSI Read (10) command PDU -> 0xD9963A56', () => {
      const pdu = hex('01c00000 00000000 00000000 00000000 14000000 00000400 00000014 00000018 28000000 00000000 02000000 00000000');
      equal(lib.crc32c(pdu), 0xd9963a56);
    }],
    ['CRC-32 running value continues like zlib.crc32(data, value)', () => {
      const a = ascii('1234');
      const b = ascii('56789');
      equal(lib.crc32(b, lib.crc32(a)), 0xcbf43926);
      equal(lib.crc32c(b, lib.crc32c(a)), 0xe3069283);
      const s = new lib.Crc32Stream('crc32c').update(a).update(b);
      equal(s.digest(), 0xe3069283);
      equal(s.length, 9);
    }],
    ['crc32Combine joins "1234" and "56789" into the check value', () => {
      equal(lib.crc32Combine(lib.crc32('1234'), lib.crc32('56789'), 5), 0xcbf43926);
      equal(lib.crc32cCombine(lib.crc32c('1234'), lib.crc32c('56789'), 5), 0xe3069283);
      equal(lib.crc32Combine(lib.crc32('123456789'), 0, 0), 0xcbf43926, 'empty second part');
    }],
    ['bad arguments are typed errors naming the field', () => {
      throws(() => lib.crc32(42), { name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT', field: 'data' });
      throws(() => lib.crc32('x', -1), { code: 'INVALID_ARGUMENT', field: 'previous' });
      throws(() => lib.internetChecksum([1, 2]), { code: 'INVALID_ARGUMENT', field: 'bytes' });
      throws(() => lib.pseudoHeaderSumIPv4(new Uint8Array(3), new Uint8Array(4), 6, 0), { field: 'source' });
      throws(() => lib.updateChecksum(0x10000, 0, 0), { field: 'checksum' });
      equal(lib.crc32('123456789'), 0xcbf43926, 'usable after errors');
    }],
    ['alloc() views are read in place, and free() rejects double frees', () => {
      const v = lib.alloc(9);
      v.set(ascii('123456789'));
      equal(lib.crc32(v), 0xcbf43926);
      equal(lib.crc32c(v.subarray(0, 9)), 0xe3069283);
      lib.free(v);
      throws(() => lib.free(v), { code: 'INVALID_ARGUMENT', field: 'view' });
      throws(() => lib.free(new Uint8Array(4)), { code: 'INVALID_ARGUMENT' });
    }],
  ];
}
