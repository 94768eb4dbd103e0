// HTTP/2 frame codec properties (fast-check): every frame type serializes and parses back to the
// same fields; a stream of frames fed to FrameReader in arbitrary pieces yields the same frames.
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { serializeFrame, parseFrame, parseFrameHeader, FrameReader, type FrameInput } from '../../src/index.js';

const sid = fc.integer({ min: 1, max: 0x7fffffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const pad = fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined });
const priority = fc.record({ exclusive: fc.boolean(), dependency: fc.integer({ min: 0, max: 0x7fffffff }), weight: fc.integer({ min: 1, max: 256 }) });
const frame: fc.Arbitrary<FrameInput> = fc.oneof(
  fc.record({ kind: fc.constant('DATA' as const), streamId: sid, data: bytes(100), endStream: fc.boolean(), padLength: pad }),
  fc.record({ kind: fc.constant('HEADERS' as const), streamId: sid, fragment: bytes(100), endStream: fc.boolean(), priority: fc.option(priority, { nil: undefined }), padLength: pad }),
  fc.record({ kind: fc.constant('PRIORITY' as const), streamId: sid, priority }),
  fc.record({ kind: fc.constant('RST_STREAM' as const), streamId: sid, errorCode: fc.nat({ max: 0xffffffff }) }),
  fc.record({ kind: fc.constant('SETTINGS' as const), settings: fc.array(fc.tuple(fc.constantFrom(1, 3, 6, 0x99), fc.nat({ max: 0x7fffffff })), { maxLength: 5 }) }),
  fc.record({ kind: fc.constant('PUSH_PROMISE' as const), streamId: sid, promisedStreamId: sid, fragment: bytes(50), padLength: pad }),
  fc.record({ kind: fc.constant('PING' as const), ack: fc.boolean(), data: fc.uint8Array({ minLength: 8, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('GOAWAY' as const), lastStreamId: fc.nat({ max: 0x7fffffff }), errorCode: fc.nat({ max: 0xffffffff }), debugData: bytes(30) }),
  fc.record({ kind: fc.constant('WINDOW_UPDATE' as const), streamId: fc.nat({ max: 0x7fffffff }), increment: fc.integer({ min: 1, max: 0x7fffffff }) }),
  fc.record({ kind: fc.constant('UNKNOWN' as const), type: fc.integer({ min: 10, max: 255 }), streamId: fc.nat({ max: 0x7fffffff }), flags: fc.nat({ max: 255 }), payload: bytes(40) }),
).filter((f) => !('priority' in f && f.priority && 'streamId' in f && f.priority.dependency === f.streamId)); // §5.3.1 self-dependency is an error
const strip = (o: object) => JSON.parse(JSON.stringify(o, (_, v) => (v instanceof Uint8Array ? Array.from(v) : v)));

describe('HTTP/2 frames (RFC 9113 §6) properties', () => {
  test('a self-dependent priority is a stream PROTOCOL_ERROR (§5.3.1)', () => {
    const wire = serializeFrame({ kind: 'PRIORITY', streamId: 18, priority: { exclusive: false, dependency: 18, weight: 1 } });
    expect(() => parseFrame(parseFrameHeader(wire), wire.subarray(9))).toThrow(expect.objectContaining({ http2Code: 'PROTOCOL_ERROR', streamId: 18 }));
  });
  test('serialize then parse gives back every field, for every frame type', () => {
    fc.assert(
      fc.property(frame, (f) => {
        const wire = serializeFrame(f);
        const h = parseFrameHeader(wire);
        expect(h.length).toBe(wire.length - 9);
        const p = strip(parseFrame(h, wire.subarray(9))) as Record<string, unknown>;
        for (const [k, v] of Object.entries(strip(f))) {
          if (v === undefined || (k === 'priority' && v === null)) continue;
          expect(p[k], k).toEqual(v);
        }
        if ('padLength' in f && f.padLength !== undefined) expect(p.padLength).toBe(f.padLength);
      }),
      { numRuns: 2000 },
    );
  });
  test('FrameReader yields the same frames however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(frame.filter((f) => f.kind !== 'UNKNOWN'), { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (frames, cuts) => {
        const all = [serializeFrame({ kind: 'SETTINGS', settings: [] }), ...frames.map(serializeFrame)];
        const wire = new Uint8Array(all.reduce((a, x) => a + x.length, 0));
        let o = 0;
        for (const x of all) wire.set(x, o), (o += x.length);
        const r = new FrameReader();
        const got = [];
        for (let i = 0, k = 0; i < wire.length; k++) {
          const n = cuts[k % cuts.length]!;
          got.push(...r.push(wire.subarray(i, i + n)));
          i += n;
        }
        r.end();
        expect(got.map((f) => f.kind)).toEqual(['SETTINGS', ...frames.map((f) => f.kind)]);
      }),
      { numRuns: 500 },
    );
  });
});
