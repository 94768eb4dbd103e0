// Regression tests for FrameReader error handling, named after the RFC 9113 rule each one checks.
// Expected header lists are the ones given to the encoder, never what our decoder returned.
import { describe, test, expect } from 'vitest';
import { FrameReader, HpackDecoder, HpackEncoder, serializeFrame, parseFrame, parseFrameHeader } from '../../src/index.js';

const cat = (...a: Uint8Array[]) => {
  const o = new Uint8Array(a.reduce((s, x) => s + x.length, 0));
  let p = 0;
  for (const x of a) (o.set(x, p), (p += x.length));
  return o;
};
const SETTINGS = serializeFrame({ kind: 'SETTINGS', settings: [] });
const PING = serializeFrame({ kind: 'PING', data: new Uint8Array(8) });
const asList = (fields: Array<{ name: string; value: string }> | undefined) => fields?.map((f) => [f.name, f.value]);
const catchErr = (fn: () => unknown): any => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('RFC 9113 §4.3 / §5.3.1: a self-dependent HEADERS is a stream error, its field block is still decoded', () => {
  const alice: Array<[string, string]> = [['x-user', 'alice']];
  const mallory: Array<[string, string]> = [['x-user', 'mallory']];

  test('§4.3: the dynamic table stays in sync after a SELF_DEPENDENCY stream error', () => {
    const enc = new HpackEncoder();
    const r = new FrameReader({ decoder: new HpackDecoder() });
    r.push(SETTINGS);
    const [f1] = r.push(serializeFrame({ kind: 'HEADERS', streamId: 1, fragment: enc.encode(alice) }));
    expect(asList(f1!.fields)).toEqual(alice);
    const bad = serializeFrame({ kind: 'HEADERS', streamId: 3, fragment: enc.encode(mallory), priority: { exclusive: false, dependency: 3, weight: 16 } });
    const e = catchErr(() => r.push(bad));
    expect(e).toMatchObject({ http2Code: 'PROTOCOL_ERROR', reason: 'SELF_DEPENDENCY', streamId: 3 });
    expect(e.frames).toEqual([]);
    // The encoder inserted x-user: mallory with stream 3's block; stream 5 refers to it by index.
    const [f5] = r.push(serializeFrame({ kind: 'HEADERS', streamId: 5, fragment: enc.encode(mallory) }));
    expect(f5!.streamId).toBe(5);
    expect(asList(f5!.fields)).toEqual(mallory);
  });

  test('§4.3, §6.10: with CONTINUATION, the whole block is decoded before the stream error', () => {
    const enc = new HpackEncoder();
    const list: Array<[string, string]> = [[':method', 'GET'], ['x-custom', 'hello']];
    const b1 = enc.encode(list);
    const b2 = enc.encode(list);
    const r = new FrameReader({ decoder: new HpackDecoder() });
    r.push(SETTINGS);
    expect(r.push(serializeFrame({ kind: 'HEADERS', streamId: 1, fragment: b1.subarray(0, 2), endHeaders: false, priority: { exclusive: true, dependency: 1, weight: 1 } }))).toEqual([]);
    expect(r.inHeaderBlock).toBe(true);
    const e = catchErr(() => r.push(serializeFrame({ kind: 'CONTINUATION', streamId: 1, fragment: b1.subarray(2) })));
    expect(e).toMatchObject({ http2Code: 'PROTOCOL_ERROR', reason: 'SELF_DEPENDENCY', streamId: 1 });
    expect(r.inHeaderBlock).toBe(false);
    const [f3] = r.push(serializeFrame({ kind: 'HEADERS', streamId: 3, fragment: b2 }));
    expect(asList(f3!.fields)).toEqual(list);
  });

  test('§5.3.1: parseFrame marks a self-dependent HEADERS (priorityError) instead of throwing', () => {
    const frag = new HpackEncoder().encode(alice);
    const wire = serializeFrame({ kind: 'HEADERS', streamId: 7, fragment: frag, priority: { exclusive: false, dependency: 7, weight: 16 } });
    const f = parseFrame(parseFrameHeader(wire), wire.subarray(9));
    expect(f.kind).toBe('HEADERS');
    if (f.kind !== 'HEADERS') return;
    expect(Array.from(f.fragment)).toEqual(Array.from(frag));
    expect(f.priorityError).toMatchObject({ http2Code: 'PROTOCOL_ERROR', reason: 'SELF_DEPENDENCY', streamId: 7 });
  });
});

describe('FrameReader never loses frames around an error', () => {
  test('§5.4.2: frames completed before a stream error in the same push are on error.frames; the rest come next', () => {
    const r = new FrameReader();
    const badPriority = serializeFrame({ kind: 'UNKNOWN', type: 2, streamId: 1, payload: new Uint8Array(4) }); // §6.3: length 4
    const e = catchErr(() => r.push(cat(SETTINGS, PING, badPriority, PING)));
    expect(e).toMatchObject({ http2Code: 'FRAME_SIZE_ERROR', streamId: 1 });
    expect(e.frames.map((f: { kind: string }) => f.kind)).toEqual(['SETTINGS', 'PING']);
    expect(r.push(new Uint8Array(0)).map((f) => f.kind)).toEqual(['PING']);
    expect(r.end()).toEqual([]);
  });

  test('§5.4.1: a connection error also carries the frames before it', () => {
    const r = new FrameReader();
    const e = catchErr(() => r.push(cat(SETTINGS, PING, serializeFrame({ kind: 'CONTINUATION', streamId: 1, fragment: new Uint8Array(0) }))));
    expect(e).toMatchObject({ http2Code: 'PROTOCOL_ERROR', reason: 'UNEXPECTED_CONTINUATION', streamId: 0 });
    expect(e.frames.map((f: { kind: string }) => f.kind)).toEqual(['SETTINGS', 'PING']);
  });

  test('§6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE: after HEADER_LIST_TOO_LARGE, end() returns buffered frames, no false truncation', () => {
    const r = new FrameReader({ decoder: new HpackDecoder({ maxHeaderListSize: 40 }) });
    const big = new HpackEncoder().encode([['x-a', 'v'.repeat(30)]]);
    const e = catchErr(() => r.push(cat(SETTINGS, serializeFrame({ kind: 'HEADERS', streamId: 1, fragment: big }), PING)));
    expect(e.reason).toBe('HEADER_LIST_TOO_LARGE');
    expect(e.frames.map((f: { kind: string }) => f.kind)).toEqual(['SETTINGS']);
    expect(r.end().map((f) => f.kind)).toEqual(['PING']);
  });

  test('end() still reports a real truncation, with the complete frames before it', () => {
    const r = new FrameReader();
    const badPriority = serializeFrame({ kind: 'UNKNOWN', type: 2, streamId: 1, payload: new Uint8Array(4) });
    expect(catchErr(() => r.push(cat(SETTINGS, badPriority, PING, PING.subarray(0, 5)))).frames.map((f: { kind: string }) => f.kind)).toEqual(['SETTINGS']);
    const e = catchErr(() => r.end());
    expect(e.name).toBe('TruncatedError');
    expect(e.frames.map((f: { kind: string }) => f.kind)).toEqual(['PING']);
  });
});

describe('RFC 9113 §3.4: the first frame is a SETTINGS frame that is not an ACK', () => {
  test('a SETTINGS ACK first is a connection PROTOCOL_ERROR', () => {
    const r = new FrameReader();
    expect(() => r.push(serializeFrame({ kind: 'SETTINGS', ack: true }))).toThrow(expect.objectContaining({ http2Code: 'PROTOCOL_ERROR', streamId: 0 }));
  });
  test('a SETTINGS ACK after the first SETTINGS is fine', () => {
    const r = new FrameReader();
    expect(r.push(cat(SETTINGS, serializeFrame({ kind: 'SETTINGS', ack: true }))).map((f) => f.kind === 'SETTINGS' && f.ack)).toEqual([false, true]);
  });
});

describe('RFC 9113 §6.6: PUSH_PROMISE promising stream 0', () => {
  test('is a connection PROTOCOL_ERROR', () => {
    // length 4, type 5 PUSH_PROMISE, flags END_HEADERS, stream 1; Promised Stream ID 0 (serializeFrame refuses to write it).
    const wire = new Uint8Array([0, 0, 4, 5, 4, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(() => parseFrame(parseFrameHeader(wire), wire.subarray(9))).toThrow(expect.objectContaining({ http2Code: 'PROTOCOL_ERROR', streamId: 0 }));
    const r = new FrameReader();
    r.push(SETTINGS);
    expect(() => r.push(wire)).toThrow(expect.objectContaining({ http2Code: 'PROTOCOL_ERROR', streamId: 0 }));
  });
});

describe('FrameReader peer option: rules that depend on which endpoint sent the frames', () => {
  // Hand-assembled wire bytes (RFC 9113 §4.1 frame header, §6.5.1 setting = 16-bit id + 32-bit value).
  const ENABLE_PUSH_1 = new Uint8Array([0, 0, 6, 4, 0, 0, 0, 0, 0, 0x00, 0x02, 0, 0, 0, 1]);
  const ENABLE_PUSH_0 = new Uint8Array([0, 0, 6, 4, 0, 0, 0, 0, 0, 0x00, 0x02, 0, 0, 0, 0]);
  // PUSH_PROMISE, END_HEADERS, stream 1, promised stream `p`, empty field block.
  const pushPromise = (p: number) => new Uint8Array([0, 0, 4, 5, 4, 0, 0, 0, 1, 0, 0, 0, p]);
  // HEADERS, END_HEADERS|END_STREAM, on stream `s`, field block 0x82 (:method GET, static index 2).
  const headers = (s: number) => new Uint8Array([0, 0, 1, 1, 5, 0, 0, 0, s, 0x82]);
  const PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
  const conn = (e: unknown) => expect.objectContaining({ http2Code: 'PROTOCOL_ERROR', streamId: 0, reason: e });

  test('§6.5.2: a client treats SETTINGS_ENABLE_PUSH = 1 from a server as a connection PROTOCOL_ERROR; 0 is fine', () => {
    expect(() => new FrameReader({ peer: 'server' }).push(ENABLE_PUSH_1)).toThrow(conn('BAD_SETTING'));
    expect(new FrameReader({ peer: 'server' }).push(ENABLE_PUSH_0)).toHaveLength(1);
    // From a client, ENABLE_PUSH = 1 is the normal case; without `peer` nothing is checked.
    expect(new FrameReader({ peer: 'client', preface: false }).push(ENABLE_PUSH_1)).toHaveLength(1);
    expect(new FrameReader().push(ENABLE_PUSH_1)).toHaveLength(1);
  });
  test('§8.4: a server treats any PUSH_PROMISE from a client as a connection PROTOCOL_ERROR', () => {
    const r = new FrameReader({ peer: 'client' });
    expect(r.push(cat(PREFACE, ENABLE_PUSH_0))).toHaveLength(1);
    expect(() => r.push(pushPromise(2))).toThrow(conn('PUSH_FROM_CLIENT'));
    expect(() => r.push(PING)).toThrow(conn('PUSH_FROM_CLIENT')); // connection errors are sticky
  });
  test('§5.1.1 / §6.6: a server promises even streams only', () => {
    const r = new FrameReader({ peer: 'server' });
    r.push(ENABLE_PUSH_0);
    expect(r.push(pushPromise(2)).map((f) => f.kind === 'PUSH_PROMISE' && f.promisedStreamId)).toEqual([2]);
    expect(() => r.push(pushPromise(3))).toThrow(conn('BAD_STREAM_ID'));
  });
  test('§5.1.1: a client opens odd streams only; a server may send HEADERS on both (responses, pushed responses)', () => {
    const c = new FrameReader({ peer: 'client' });
    c.push(cat(PREFACE, SETTINGS));
    expect(c.push(headers(1))).toHaveLength(1);
    expect(() => c.push(headers(2))).toThrow(conn('BAD_STREAM_ID'));
    const s = new FrameReader({ peer: 'server' });
    expect(s.push(cat(SETTINGS, headers(1), headers(2)))).toHaveLength(3);
  });
  test("peer: 'client' expects the connection preface unless told otherwise; a bad peer value is refused", () => {
    expect(() => new FrameReader({ peer: 'client' }).push(SETTINGS)).toThrow(conn('BAD_PREFACE'));
    expect(() => new FrameReader({ peer: 'proxy' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'peer' }));
  });
});
