/**
 * HTTP/2 frames (RFC 9113 §4, §6): the 9-octet frame header, the payload of every defined frame
 * type (parse and serialize), and the connection preface (§3.4). Payload checks follow §6 and
 * throw {@link Http2Error} with the RFC 9113 §7 code a peer must answer with (`streamId` set when
 * the error is a stream error). Unknown frame types parse to `{ kind: 'UNKNOWN' }` (§4.1, §5.5:
 * ignore and discard). Pure TypeScript: a frame header is cheaper to read here than to hand over.
 */
import { TruncatedError, InvalidArgumentError, assertBytes, assertInteger } from '../runtime/errors.js';
import { Http2Error } from './errors.js';

/** Frame type codes (§6). */
export const FrameType = {
  DATA: 0x0, HEADERS: 0x1, PRIORITY: 0x2, RST_STREAM: 0x3, SETTINGS: 0x4, PUSH_PROMISE: 0x5, PING: 0x6, GOAWAY: 0x7, WINDOW_UPDATE: 0x8, CONTINUATION: 0x9,
} as const;
export type FrameKind = keyof typeof FrameType;
const KINDS: FrameKind[] = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'];

/** Flag bits (§6). ACK shares 0x1 with END_STREAM (SETTINGS and PING only). */
export const FrameFlags = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

/** SETTINGS identifiers (§6.5.2). */
export const SettingsId = {
  HEADER_TABLE_SIZE: 0x1, ENABLE_PUSH: 0x2, MAX_CONCURRENT_STREAMS: 0x3, INITIAL_WINDOW_SIZE: 0x4, MAX_FRAME_SIZE: 0x5, MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** The client connection preface (§3.4): "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24 octets. */
export const CONNECTION_PREFACE: Uint8Array = Uint8Array.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', (c) => c.charCodeAt(0));
/** Frame header length, octets (§4.1). */
export const FRAME_HEADER_LENGTH = 9;
/** Default and smallest SETTINGS_MAX_FRAME_SIZE (§4.2, §6.5.2). */
export const DEFAULT_MAX_FRAME_SIZE = 16384;

/** The frame header (§4.1). `streamId` is 31 bits: the reserved bit is ignored on receipt, sent as 0. */
export interface FrameHeader {
  /** Payload length, octets (24 bits). */
  length: number;
  type: number;
  flags: number;
  streamId: number;
}

/** Reads the 9-octet frame header at `offset`. @throws TruncatedError with fewer than 9 octets. */
export function parseFrameHeader(bytes: Uint8Array, offset = 0): FrameHeader {
  assertBytes(bytes, 'bytes');
  if (bytes.byteLength - offset < FRAME_HEADER_LENGTH) {
    throw new TruncatedError('an HTTP/2 frame header is 9 octets (RFC 9113 §4.1)', { offset, needed: 9, available: Math.max(0, bytes.byteLength - offset) });
  }
  const b = bytes;
  const o = offset;
  return {
    length: (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!,
    type: b[o + 3]!,
    flags: b[o + 4]!,
    streamId: ((b[o + 5]! & 0x7f) << 24 | (b[o + 6]! << 16) | (b[o + 7]! << 8) | b[o + 8]!) >>> 0,
  };
}

/** Writes a frame header into `out` at `offset`. */
export function writeFrameHeader(out: Uint8Array, offset: number, h: FrameHeader): void {
  assertInteger(h.length, 'length', 0, 0xffffff);
  assertInteger(h.type, 'type', 0, 255);
  assertInteger(h.flags, 'flags', 0, 255);
  assertInteger(h.streamId, 'streamId', 0, 0x7fffffff);
  out[offset] = h.length >>> 16;
  out[offset + 1] = h.length >>> 8;
  out[offset + 2] = h.length;
  out[offset + 3] = h.type;
  out[offset + 4] = h.flags;
  u32be(out, offset + 5, h.streamId);
}

function u32be(out: Uint8Array, o: number, v: number): void {
  out[o] = v >>> 24;
  out[o + 1] = v >>> 16;
  out[o + 2] = v >>> 8;
  out[o + 3] = v;
}
function r32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Stream dependency of HEADERS (PRIORITY flag) and PRIORITY frames (§5.3.2, deprecated by RFC 9113 but parsed). */
export interface Priority {
  exclusive: boolean;
  dependency: number;
  /** 1..256 (the octet plus one). */
  weight: number;
}

interface Base {
  streamId: number;
  flags: number;
}
export interface DataFrame extends Base { kind: 'DATA'; data: Uint8Array; endStream: boolean; padLength?: number }
export interface HeadersFrame extends Base {
  kind: 'HEADERS';
  /** Header block fragment (the whole block once a reader has joined the CONTINUATIONs). */
  fragment: Uint8Array;
  endStream: boolean;
  endHeaders: boolean;
  priority?: Priority;
  padLength?: number;
  /**
   * Set when the priority block makes the stream depend on itself (RFC 9113 §5.3.1): a stream
   * error, but {@link parseFrame} does not throw it, because the header block fragment must still
   * be decoded to keep the connection's HPACK state in sync (§4.3). {@link FrameReader} throws it
   * after the whole block has gone through its decoder.
   */
  priorityError?: Http2Error;
}
export interface PriorityFrame extends Base { kind: 'PRIORITY'; priority: Priority }
export interface RstStreamFrame extends Base { kind: 'RST_STREAM'; errorCode: number }
export interface SettingsFrame extends Base { kind: 'SETTINGS'; ack: boolean; settings: Array<[id: number, value: number]> }
export interface PushPromiseFrame extends Base { kind: 'PUSH_PROMISE'; promisedStreamId: number; fragment: Uint8Array; endHeaders: boolean; padLength?: number }
export interface PingFrame extends Base { kind: 'PING'; ack: boolean; data: Uint8Array }
export interface GoawayFrame extends Base { kind: 'GOAWAY'; lastStreamId: number; errorCode: number; debugData: Uint8Array }
export interface WindowUpdateFrame extends Base { kind: 'WINDOW_UPDATE'; increment: number }
export interface ContinuationFrame extends Base { kind: 'CONTINUATION'; fragment: Uint8Array; endHeaders: boolean }
export interface UnknownFrame extends Base { kind: 'UNKNOWN'; type: number; payload: Uint8Array }
export type Http2Frame =
  | DataFrame | HeadersFrame | PriorityFrame | RstStreamFrame | SettingsFrame | PushPromiseFrame | PingFrame | GoawayFrame | WindowUpdateFrame
  | ContinuationFrame | UnknownFrame;

const connErr = (code: 'PROTOCOL_ERROR' | 'FRAME_SIZE_ERROR' | 'FLOW_CONTROL_ERROR', reason: string, msg: string) => new Http2Error(code, reason, msg, { streamId: 0 });
const streamErr = (code: 'PROTOCOL_ERROR' | 'FRAME_SIZE_ERROR', reason: string, msg: string, streamId: number) => new Http2Error(code, reason, msg, { streamId });

function needStream(h: FrameHeader, kind: string): void {
  if (h.streamId === 0) throw connErr('PROTOCOL_ERROR', 'STREAM_ID_ZERO', `${kind} frame on stream 0 (RFC 9113 §6)`);
}
function needConnection(h: FrameHeader, kind: string): void {
  if (h.streamId !== 0) throw connErr('PROTOCOL_ERROR', 'STREAM_ID_NONZERO', `${kind} frame on stream ${h.streamId}: it belongs to stream 0 (RFC 9113 §6)`);
}

/** Removes padding (§6.1): returns [start, end, padLength] of the unpadded content after `skip` fixed octets. */
function unpad(h: FrameHeader, p: Uint8Array, skip: number, kind: string): [number, number, number | undefined] {
  if (!(h.flags & FrameFlags.PADDED)) {
    if (p.length < skip) throw connErr('FRAME_SIZE_ERROR', 'PAYLOAD_TOO_SHORT', `${kind} payload shorter than its fixed fields (RFC 9113 §6)`);
    return [skip, p.length, undefined];
  }
  if (p.length < 1 + skip) throw connErr('FRAME_SIZE_ERROR', 'PAYLOAD_TOO_SHORT', `padded ${kind} payload shorter than its fixed fields (RFC 9113 §6)`);
  const pad = p[0]!;
  if (pad > p.length - 1 - skip) throw connErr('PROTOCOL_ERROR', 'PADDING_TOO_LONG', `${kind} Pad Length ${pad} is not less than the remaining payload (RFC 9113 §6.1, §6.2)`);
  return [1 + skip, p.length - pad, pad];
}

function priorityAt(p: Uint8Array, o: number): Priority {
  const dep = r32(p, o);
  return { exclusive: (dep & 0x80000000) !== 0, dependency: dep & 0x7fffffff, weight: p[o + 4]! + 1 };
}
const selfDependency = (streamId: number) => streamErr('PROTOCOL_ERROR', 'SELF_DEPENDENCY', `stream ${streamId} depends on itself (RFC 9113 §5.3.1)`, streamId);

/**
 * Parses one frame's payload (its `header.length` octets) according to §6. Payload views share
 * memory with `payload` (no copy).
 */
export function parseFrame(header: FrameHeader, payload: Uint8Array): Http2Frame {
  assertBytes(payload, 'payload');
  if (payload.byteLength !== header.length) throw new InvalidArgumentError(`payload has ${payload.byteLength} octets, the header says ${header.length}`, { field: 'payload' });
  const h = header, p = payload, { streamId, flags } = h;
  const kind = KINDS[h.type];
  switch (kind) {
    case 'DATA': {
      needStream(h, kind);
      const [a, b, padLength] = unpad(h, p, 0, kind);
      return { kind, streamId, flags, data: p.subarray(a, b), endStream: (flags & 1) !== 0, ...(padLength !== undefined && { padLength }) };
    }
    case 'HEADERS': {
      needStream(h, kind);
      const pri = (flags & FrameFlags.PRIORITY) !== 0;
      const [a, b, padLength] = unpad(h, p, pri ? 5 : 0, kind);
      const f: HeadersFrame = { kind, streamId, flags, fragment: p.subarray(a, b), endStream: (flags & 1) !== 0, endHeaders: (flags & 4) !== 0 };
      if (pri) {
        f.priority = priorityAt(p, a - 5);
        // Not thrown: the fragment must still reach the HPACK decoder (RFC 9113 §4.3).
        if (f.priority.dependency === streamId) f.priorityError = selfDependency(streamId);
      }
      if (padLength !== undefined) f.padLength = padLength;
      return f;
    }
    case 'PRIORITY': {
      needStream(h, kind);
      if (p.length !== 5) throw streamErr('FRAME_SIZE_ERROR', 'BAD_LENGTH', `PRIORITY payload is 5 octets, got ${p.length} (RFC 9113 §6.3)`, streamId);
      const priority = priorityAt(p, 0);
      if (priority.dependency === streamId) throw selfDependency(streamId); // no field block here: safe to throw
      return { kind, streamId, flags, priority };
    }
    case 'RST_STREAM':
      needStream(h, kind);
      if (p.length !== 4) throw connErr('FRAME_SIZE_ERROR', 'BAD_LENGTH', `RST_STREAM payload is 4 octets, got ${p.length} (RFC 9113 §6.4)`);
      return { kind, streamId, flags, errorCode: r32(p, 0) };
    case 'SETTINGS': {
      needConnection(h, kind);
      const ack = (flags & 1) !== 0;
      if (ack && p.length !== 0) throw connErr('FRAME_SIZE_ERROR', 'BAD_LENGTH', 'SETTINGS with ACK must be empty (RFC 9113 §6.5)');
      if (p.length % 6 !== 0) throw connErr('FRAME_SIZE_ERROR', 'BAD_LENGTH', `SETTINGS payload ${p.length} is not a multiple of 6 (RFC 9113 §6.5)`);
      const settings: Array<[number, number]> = [];
      for (let o = 0; o < p.length; o += 6) {
        const id = (p[o]! << 8) | p[o + 1]!, v = r32(p, o + 2);
        if (id === SettingsId.ENABLE_PUSH && v > 1) throw connErr('PROTOCOL_ERROR', 'BAD_SETTING', `SETTINGS_ENABLE_PUSH must be 0 or 1, got ${v} (RFC 9113 §6.5.2)`);
        if (id === SettingsId.INITIAL_WINDOW_SIZE && v > 0x7fffffff) throw connErr('FLOW_CONTROL_ERROR', 'BAD_SETTING', `SETTINGS_INITIAL_WINDOW_SIZE ${v} above 2^31-1 (RFC 9113 §6.5.2)`);
        if (id === SettingsId.MAX_FRAME_SIZE && (v < 16384 || v > 0xffffff)) throw connErr('PROTOCOL_ERROR', 'BAD_SETTING', `SETTINGS_MAX_FRAME_SIZE ${v} outside [16384, 2^24-1] (RFC 9113 §6.5.2)`);
        settings.push([id, v]); // unknown identifiers are kept; a peer MUST ignore them
      }
      return { kind, streamId, flags, ack, settings };
    }
    case 'PUSH_PROMISE': {
      needStream(h, kind);
      const [a, b, padLength] = unpad(h, p, 4, kind);
      const promisedStreamId = r32(p, a - 4) & 0x7fffffff;
      // Stream 0 is never a legal promised stream: a connection error (RFC 9113 §6.6).
      if (promisedStreamId === 0) throw connErr('PROTOCOL_ERROR', 'PROMISED_STREAM_ID_ZERO', 'PUSH_PROMISE promises stream 0 (RFC 9113 §6.6)');
      const f: PushPromiseFrame = { kind, streamId, flags, promisedStreamId, fragment: p.subarray(a, b), endHeaders: (flags & 4) !== 0 };
      if (padLength !== undefined) f.padLength = padLength;
      return f;
    }
    case 'PING':
      needConnection(h, kind);
      if (p.length !== 8) throw connErr('FRAME_SIZE_ERROR', 'BAD_LENGTH', `PING payload is 8 octets, got ${p.length} (RFC 9113 §6.7)`);
      return { kind, streamId, flags, ack: (flags & 1) !== 0, data: p };
    case 'GOAWAY':
      needConnection(h, kind);
      if (p.length < 8) throw connErr('FRAME_SIZE_ERROR', 'BAD_LENGTH', `GOAWAY payload is at least 8 octets, got ${p.length} (RFC 9113 §6.8)`);
      return { kind, streamId, flags, lastStreamId: r32(p, 0) & 0x7fffffff, errorCode: r32(p, 4), debugData: p.subarray(8) };
    case 'WINDOW_UPDATE': {
      if (p.length !== 4) throw connErr('FRAME_SIZE_ERROR', 'BAD_LENGTH', `WINDOW_UPDATE payload is 4 octets, got ${p.length} (RFC 9113 §6.9)`);
      const increment = r32(p, 0) & 0x7fffffff;
      if (increment === 0) {
        const msg = 'WINDOW_UPDATE with an increment of 0 (RFC 9113 §6.9)';
        throw streamId === 0 ? connErr('PROTOCOL_ERROR', 'ZERO_INCREMENT', msg) : streamErr('PROTOCOL_ERROR', 'ZERO_INCREMENT', msg, streamId);
      }
      return { kind, streamId, flags, increment };
    }
    case 'CONTINUATION':
      needStream(h, kind);
      return { kind, streamId, flags, fragment: p, endHeaders: (flags & 4) !== 0 };
    default:
      return { kind: 'UNKNOWN', type: h.type, streamId, flags, payload: p };
  }
}

/** What {@link serializeFrame} takes: a frame without the derived fields; `padLength` pads (§6.1). */
export type FrameInput =
  | { kind: 'DATA'; streamId: number; data: Uint8Array; endStream?: boolean; padLength?: number }
  | { kind: 'HEADERS'; streamId: number; fragment: Uint8Array; endStream?: boolean; endHeaders?: boolean; priority?: Priority; padLength?: number }
  | { kind: 'PRIORITY'; streamId: number; priority: Priority }
  | { kind: 'RST_STREAM'; streamId: number; errorCode: number }
  | { kind: 'SETTINGS'; ack?: boolean; settings?: Array<[number, number]> }
  | { kind: 'PUSH_PROMISE'; streamId: number; promisedStreamId: number; fragment: Uint8Array; endHeaders?: boolean; padLength?: number }
  | { kind: 'PING'; ack?: boolean; data: Uint8Array }
  | { kind: 'GOAWAY'; lastStreamId: number; errorCode: number; debugData?: Uint8Array }
  | { kind: 'WINDOW_UPDATE'; streamId: number; increment: number }
  | { kind: 'CONTINUATION'; streamId: number; fragment: Uint8Array; endHeaders?: boolean }
  | { kind: 'UNKNOWN'; type: number; streamId: number; flags?: number; payload: Uint8Array };

/** Serializes one frame (header + payload). `endHeaders` defaults to true. */
export function serializeFrame(f: FrameInput): Uint8Array {
  let type: number, flags = 0, streamId = 0;
  let parts: Array<Uint8Array | number[]> = [];
  const padded = (pad: number | undefined, body: Array<Uint8Array | number[]>): Array<Uint8Array | number[]> => {
    if (pad === undefined) return body;
    assertInteger(pad, 'padLength', 0, 255);
    flags |= FrameFlags.PADDED;
    return [[pad], ...body, new Uint8Array(pad)];
  };
  const pri = (p: Priority): number[] => {
    assertInteger(p.dependency, 'priority.dependency', 0, 0x7fffffff);
    assertInteger(p.weight, 'priority.weight', 1, 256);
    const d = (p.dependency | (p.exclusive ? 0x80000000 : 0)) >>> 0;
    return [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255, p.weight - 1];
  };
  const be32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  switch (f.kind) {
    case 'DATA':
      type = 0; streamId = f.streamId; if (f.endStream) flags |= 1;
      parts = padded(f.padLength, [f.data]);
      break;
    case 'HEADERS':
      type = 1; streamId = f.streamId; if (f.endStream) flags |= 1; if (f.endHeaders !== false) flags |= 4;
      if (f.priority) flags |= FrameFlags.PRIORITY;
      parts = padded(f.padLength, [...(f.priority ? [pri(f.priority)] : []), f.fragment]);
      break;
    case 'PRIORITY':
      type = 2; streamId = f.streamId; parts = [pri(f.priority)];
      break;
    case 'RST_STREAM':
      type = 3; streamId = f.streamId; parts = [be32(f.errorCode)];
      break;
    case 'SETTINGS':
      type = 4; if (f.ack) flags |= 1;
      for (const [id, v] of f.settings ?? []) {
        assertInteger(id, 'settings id', 0, 0xffff);
        assertInteger(v, 'settings value', 0, 0xffffffff);
        parts.push([id >>> 8, id & 255, ...be32(v)]);
      }
      break;
    case 'PUSH_PROMISE':
      type = 5; streamId = f.streamId; if (f.endHeaders !== false) flags |= 4;
      assertInteger(f.promisedStreamId, 'promisedStreamId', 1, 0x7fffffff);
      parts = padded(f.padLength, [be32(f.promisedStreamId), f.fragment]);
      break;
    case 'PING':
      type = 6; if (f.ack) flags |= 1;
      if (f.data.byteLength !== 8) throw new InvalidArgumentError('PING data is 8 octets', { field: 'data' });
      parts = [f.data];
      break;
    case 'GOAWAY':
      type = 7; parts = [be32(f.lastStreamId & 0x7fffffff), be32(f.errorCode), f.debugData ?? new Uint8Array(0)];
      break;
    case 'WINDOW_UPDATE':
      type = 8; streamId = f.streamId;
      assertInteger(f.increment, 'increment', 1, 0x7fffffff);
      parts = [be32(f.increment)];
      break;
    case 'CONTINUATION':
      type = 9; streamId = f.streamId; if (f.endHeaders !== false) flags |= 4;
      parts = [f.fragment];
      break;
    case 'UNKNOWN':
      type = f.type; streamId = f.streamId; flags = f.flags ?? 0; parts = [f.payload];
      break;
    default:
      throw new InvalidArgumentError(`unknown frame kind ${(f as { kind: unknown }).kind}`, { field: 'kind' });
  }
  const length = parts.reduce((a, x) => a + x.length, 0);
  const out = new Uint8Array(FRAME_HEADER_LENGTH + length);
  writeFrameHeader(out, 0, { length, type, flags, streamId });
  let o = FRAME_HEADER_LENGTH;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
