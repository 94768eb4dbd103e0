// HTTP/2 frames (RFC 9113 §3.4, §4, §6): hand-assembled byte vectors from the RFC's frame layouts,
// the §6 error rules with their §7 codes, CONTINUATION assembly, unknown types. Node, Deno, Chromium.
export default function http2Cases(lib, { assert }) {
  const { equal, ok, deepEqual, throws, hex } = assert;
  const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const frame = (h) => lib.parseFrame(lib.parseFrameHeader(hex(h)), hex(h).subarray(9));
  const settings0 = '000000040000000000';
  const cases = [];

  cases.push(['RFC 9113 §3.4 connection preface is "PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n" (24 octets)', () => {
    equal(toHex(lib.CONNECTION_PREFACE), '505249202a20485454502f322e300d0a0d0a534d0d0a0d0a');
  }]);

  cases.push(['RFC 9113 §4.1 frame header: 24-bit length, type, flags, reserved bit ignored on receipt', () => {
    deepEqual(lib.parseFrameHeader(hex('00 40 00 01 25 80 00 00 03')), { length: 16384, type: 1, flags: 0x25, streamId: 3 });
    const out = new Uint8Array(9);
    lib.writeFrameHeader(out, 0, { length: 0xabcdef, type: 9, flags: 4, streamId: 0x7fffffff });
    equal(toHex(out), 'abcdef09047fffffff');
    throws(() => lib.parseFrameHeader(hex('0000')), { code: 'TRUNCATED', needed: 9, available: 2 });
  }]);

  cases.push(['RFC 9113 §6.1 DATA with padding: Pad Length, data, padding; END_STREAM', () => {
    // length 7 = Pad Length (1) + "abc" + 3 octets of padding; flags PADDED | END_STREAM = 0x09; stream 1.
    const f = frame('000007000900000001' + '03616263000000');
    equal(f.kind, 'DATA');
    equal(toHex(f.data), '616263');
    equal(f.padLength, 3);
    ok(f.endStream);
    equal(toHex(lib.serializeFrame({ kind: 'DATA', streamId: 1, data: hex('616263'), endStream: true, padLength: 3 })), '000007000900000001' + '03616263000000');
    throws(() => frame('000004000800000001' + '04616263'), { name: 'Http2Error', http2Code: 'PROTOCOL_ERROR', reason: 'PADDING_TOO_LONG' });
    throws(() => frame('000001000000000000' + '61'), { http2Code: 'PROTOCOL_ERROR', reason: 'STREAM_ID_ZERO' });
  }]);

  cases.push(['RFC 9113 §6.2 HEADERS with PADDED and PRIORITY: E bit, dependency, weight = octet + 1', () => {
    // length 1+5+2+1 = 9; flags PRIORITY|PADDED|END_HEADERS = 0x2c; stream 5; pad 1; E=1 dep 3; weight 16 -> 0x0f; fragment 82 86; padding 00
    const wire = '000009012c00000005' + '01' + '80000003' + '0f' + '8286' + '00';
    const f = frame(wire);
    deepEqual([f.kind, f.streamId, f.endHeaders, f.endStream, f.padLength, toHex(f.fragment)], ['HEADERS', 5, true, false, 1, '8286']);
    deepEqual(f.priority, { exclusive: true, dependency: 3, weight: 16 });
    equal(toHex(lib.serializeFrame({ kind: 'HEADERS', streamId: 5, fragment: hex('8286'), priority: { exclusive: true, dependency: 3, weight: 16 }, padLength: 1 })), wire);
    // §5.3.1 self-dependency is a stream error, reported on the frame (not thrown) so the field
    // block is still decoded and the HPACK table stays in sync (§4.3).
    const self = frame('000005012400000005' + '000000050f');
    equal(self.priorityError?.reason, 'SELF_DEPENDENCY');
    equal(self.priorityError?.http2Code, 'PROTOCOL_ERROR');
    equal(self.priorityError?.streamId, 5);
  }]);

  cases.push(['RFC 9113 §6.3-§6.4 PRIORITY (5 octets) and RST_STREAM (4 octets) length rules', () => {
    deepEqual(frame('000005020000000003' + '000000010a').priority, { exclusive: false, dependency: 1, weight: 11 });
    throws(() => frame('000004020000000003' + '00000001'), { http2Code: 'FRAME_SIZE_ERROR', streamId: 3 });
    equal(frame('000004030000000001' + '00000008').errorCode, 8);
    equal(lib.http2ErrorName(8), 'CANCEL');
    throws(() => frame('000003030000000001' + '000008'), { http2Code: 'FRAME_SIZE_ERROR' });
    throws(() => frame('000004030000000000' + '00000008'), { http2Code: 'PROTOCOL_ERROR' });
  }]);

  cases.push(['RFC 9113 §6.5 SETTINGS: 6-octet entries, ACK empty, value rules, stream 0 only', () => {
    const f = frame('00000c040000000000' + '000100001000' + '000400010000');
    deepEqual(f.settings, [[1, 4096], [4, 65536]]);
    equal(toHex(lib.serializeFrame({ kind: 'SETTINGS', settings: [[1, 4096], [4, 65536]] })), '00000c040000000000000100001000000400010000');
    equal(toHex(lib.serializeFrame({ kind: 'SETTINGS', ack: true })), '000000040100000000');
    throws(() => frame('000006040100000000' + '000100001000'), { http2Code: 'FRAME_SIZE_ERROR' });
    throws(() => frame('000005040000000000' + '0001000010'), { http2Code: 'FRAME_SIZE_ERROR' });
    throws(() => frame('000006040000000000' + '000200000002'), { http2Code: 'PROTOCOL_ERROR', reason: 'BAD_SETTING' });
    throws(() => frame('000006040000000000' + '000480000000'), { http2Code: 'FLOW_CONTROL_ERROR' });
    throws(() => frame('000006040000000000' + '000500003fff'), { http2Code: 'PROTOCOL_ERROR' });
    throws(() => frame('000000040000000001'), { http2Code: 'PROTOCOL_ERROR', reason: 'STREAM_ID_NONZERO' });
    deepEqual(frame('000006040000000000' + '00ff00000001').settings, [[255, 1]], 'unknown settings kept, not errors');
  }]);

  cases.push(['RFC 9113 §6.6-§6.9 PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE', () => {
    const pp = frame('000006050400000001' + '00000002' + '8287');
    deepEqual([pp.promisedStreamId, toHex(pp.fragment), pp.endHeaders], [2, '8287', true]);
    const ping = frame('000008060100000000' + '0102030405060708');
    deepEqual([ping.ack, toHex(ping.data)], [true, '0102030405060708']);
    throws(() => frame('000007060000000000' + '01020304050607'), { http2Code: 'FRAME_SIZE_ERROR' });
    const ga = frame('00000b070000000000' + '00000005' + '00000001' + '646267');
    deepEqual([ga.lastStreamId, ga.errorCode, toHex(ga.debugData)], [5, 1, '646267']);
    equal(toHex(lib.serializeFrame({ kind: 'GOAWAY', lastStreamId: 5, errorCode: 1, debugData: hex('646267') })), '00000b07000000000000000005000000016462' + '67');
    equal(frame('000004080000000001' + '80000400').increment, 1024, 'reserved bit ignored');
    throws(() => frame('000004080000000001' + '00000000'), { http2Code: 'PROTOCOL_ERROR', streamId: 1, reason: 'ZERO_INCREMENT' });
    throws(() => frame('000004080000000000' + '00000000'), { http2Code: 'PROTOCOL_ERROR', streamId: 0 });
    throws(() => frame('000003080000000000' + '000001'), { http2Code: 'FRAME_SIZE_ERROR' });
  }]);

  cases.push(['RFC 9113 §4.1, §5.5 unknown frame types are discarded by the reader (or kept when asked)', () => {
    equal(frame('0000020a0000000001' + 'abcd').kind, 'UNKNOWN');
    const r = new lib.FrameReader();
    const frames = r.push(hex(settings0 + '000002fa0000000001abcd' + '000008060000000000' + '0000000000000000'));
    deepEqual(frames.map((f) => f.kind), ['SETTINGS', 'PING']);
    equal(r.skipped, 1);
    const k = new lib.FrameReader({ keepUnknown: true });
    deepEqual(k.push(hex(settings0 + '000002fa0000000001abcd')).map((f) => f.kind), ['SETTINGS', 'UNKNOWN']);
  }]);

  cases.push(['RFC 9113 §6.10 CONTINUATION assembly: pieces joined, decoded with HPACK, any split of the bytes', () => {
    const enc = new lib.HpackEncoder();
    const block = enc.encode([[':method', 'GET'], [':path', '/a/long/path'], ['user-agent', 'wirekit test']]);
    const a = block.subarray(0, 5), b = block.subarray(5, 9), c = block.subarray(9);
    const wire = new Uint8Array([
      ...lib.CONNECTION_PREFACE,
      ...lib.serializeFrame({ kind: 'SETTINGS', settings: [] }),
      ...lib.serializeFrame({ kind: 'HEADERS', streamId: 1, fragment: a, endHeaders: false, endStream: true }),
      ...lib.serializeFrame({ kind: 'CONTINUATION', streamId: 1, fragment: b, endHeaders: false }),
      ...lib.serializeFrame({ kind: 'CONTINUATION', streamId: 1, fragment: c }),
    ]);
    for (const step of [1, 7, wire.length]) {
      const r = new lib.FrameReader({ preface: true, decoder: new lib.HpackDecoder() });
      const got = [];
      for (let i = 0; i < wire.length; i += step) got.push(...r.push(wire.subarray(i, i + step)));
      deepEqual(got.map((f) => f.kind), ['SETTINGS', 'HEADERS'], `step ${step}`);
      equal(toHex(got[1].fragment), toHex(block));
      ok(got[1].endStream && got[1].endHeaders);
      deepEqual(got[1].fields.map((f) => [f.name, f.value]), [[':method', 'GET'], [':path', '/a/long/path'], ['user-agent', 'wirekit test']]);
      r.end();
    }
  }]);

  cases.push(['RFC 9113 §6.10, §3.4, §4.2 reader errors: interrupted block, stray CONTINUATION, preface, SETTINGS first, frame size', () => {
    const h = lib.serializeFrame({ kind: 'HEADERS', streamId: 1, fragment: hex('82'), endHeaders: false });
    const ping = lib.serializeFrame({ kind: 'PING', data: new Uint8Array(8) });
    const r1 = new lib.FrameReader();
    r1.push(hex(settings0));
    throws(() => r1.push(new Uint8Array([...h, ...ping])), { http2Code: 'PROTOCOL_ERROR', reason: 'CONTINUATION_EXPECTED' });
    throws(() => r1.push(ping), { reason: 'CONTINUATION_EXPECTED' }, 'sticky');
    const r2 = new lib.FrameReader();
    r2.push(hex(settings0));
    throws(() => r2.push(new Uint8Array([...h, ...lib.serializeFrame({ kind: 'CONTINUATION', streamId: 3, fragment: hex('84') })])), { reason: 'CONTINUATION_EXPECTED' });
    const r3 = new lib.FrameReader();
    throws(() => r3.push(new Uint8Array([...hex(settings0), ...lib.serializeFrame({ kind: 'CONTINUATION', streamId: 1, fragment: hex('84') })])), { reason: 'UNEXPECTED_CONTINUATION' });
    throws(() => new lib.FrameReader({ preface: true }).push(hex('505249202a20485454502f312e31')), { reason: 'BAD_PREFACE' });
    throws(() => new lib.FrameReader().push(ping), { reason: 'SETTINGS_EXPECTED' });
    const r4 = new lib.FrameReader();
    r4.push(hex(settings0));
    throws(() => r4.push(hex('004001000000000001')), { http2Code: 'FRAME_SIZE_ERROR', reason: 'FRAME_TOO_LARGE' });
    const r5 = new lib.FrameReader();
    r5.push(new Uint8Array([...hex(settings0), ...h]));
    throws(() => r5.end(), { code: 'TRUNCATED' });
    const r7 = new lib.FrameReader({ maxHeaderBlockSize: 100 });
    r7.push(hex(settings0));
    const cont = lib.serializeFrame({ kind: 'CONTINUATION', streamId: 1, fragment: new Uint8Array(40), endHeaders: false });
    throws(() => r7.push(new Uint8Array([...h, ...cont, ...cont, ...cont])), { http2Code: 'ENHANCE_YOUR_CALM', reason: 'HEADER_BLOCK_TOO_LARGE' }, 'CONTINUATION flood');
    const r6 = new lib.FrameReader({ decoder: new lib.HpackDecoder() });
    r6.push(hex(settings0));
    throws(() => r6.push(lib.serializeFrame({ kind: 'HEADERS', streamId: 1, fragment: hex('80') })), { name: 'HpackError', http2Code: 'COMPRESSION_ERROR', reason: 'INDEX_ZERO' });
  }]);

  return cases;
}
