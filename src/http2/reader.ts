/**
 * A streaming HTTP/2 frame reader for one direction of a connection: feed it bytes in any pieces,
 * get parsed frames back. It checks the connection preface and that SETTINGS comes first (§3.4),
 * SETTINGS_MAX_FRAME_SIZE (§4.2), and header block assembly (§4.3, §6.10): HEADERS or PUSH_PROMISE
 * without END_HEADERS must be followed by CONTINUATION frames of the same stream and nothing else.
 * The assembled block comes back as one HEADERS/PUSH_PROMISE frame whose `fragment` is the whole
 * block; with an {@link HpackDecoder} each piece is decoded as it arrives and `fields` is set.
 * Unknown frame types are discarded (§5.5) unless `keepUnknown`. Connection errors are sticky.
 *
 * Errors and frames: when {@link FrameReader.push} or {@link FrameReader.end} throws, the frames
 * that the same call completed before the error are not lost: they are on the error as
 * `error.frames` (a {@link FrameReaderError}; an empty array when there were none). After a stream
 * error (non-zero `streamId`, not sticky) the reader stays usable: frames still buffered come out of
 * the next `push` (an empty `push(new Uint8Array(0))` will do) or `end()`.
 *
 * Every header block is decoded in full before any stream error about it is raised, because HPACK
 * state is per connection (RFC 9113 §4.3): a HEADERS frame whose priority makes the stream depend
 * on itself (§5.3.1) still has its block (with its CONTINUATIONs) decoded, then throws
 * SELF_DEPENDENCY for that stream; that frame is not returned.
 */
import { assertBytes, assertInteger, InvalidArgumentError, TruncatedError } from '../runtime/errors.js';
import { Http2Error } from './errors.js';
import { HpackError } from './errors.js';
import { parseFrame, CONNECTION_PREFACE, DEFAULT_MAX_FRAME_SIZE, FRAME_HEADER_LENGTH, FrameType, SettingsId, type Http2Frame, type HeadersFrame, type PushPromiseFrame } from './frames.js';
import type { HpackDecoder, HeaderField } from '../hpack/decoder.js';

export interface FrameReaderOptions {
  /**
   * Which endpoint sends the bytes this reader reads, for the rules that depend on it (RFC 9113):
   * from a 'server', SETTINGS_ENABLE_PUSH = 1 (§6.5.2) and a PUSH_PROMISE promising an odd stream
   * (§5.1.1, §6.6) are connection errors (PROTOCOL_ERROR); from a 'client', any PUSH_PROMISE
   * (§8.4) and a HEADERS frame on an even stream (§5.1.1) are. Default: unknown, not checked.
   */
  peer?: 'client' | 'server';
  /** Expect the 24-octet client connection preface first (a server reading its client). Default: `peer === 'client'`. */
  preface?: boolean;
  /** The first frame must be SETTINGS (§3.4). Default true. */
  settingsFirst?: boolean;
  /** SETTINGS_MAX_FRAME_SIZE this endpoint advertised, 16384..2^24-1 (default 16384). */
  maxFrameSize?: number;
  /** Decodes every header block with this decoder (the connection's one, for this direction). */
  decoder?: HpackDecoder;
  /** Largest header block accepted before decoding, octets (CONTINUATION floods). Default 262144. */
  maxHeaderBlockSize?: number;
  /** Return frames of unknown types as `{ kind: 'UNKNOWN' }` instead of discarding them. */
  keepUnknown?: boolean;
}

/** A frame from the reader: CONTINUATIONs are folded into their HEADERS/PUSH_PROMISE. */
export type ReadFrame = Exclude<Http2Frame, { kind: 'CONTINUATION' }> & { fields?: HeaderField[] };

/** What {@link FrameReader.push} and {@link FrameReader.end} throw: the error, carrying the frames that call completed first. */
export type FrameReaderError = Error & { frames: ReadFrame[] };

/** Attaches the frames completed before `e` (own property `frames`, replaced on every throw). */
function withFrames(e: unknown, frames: ReadFrame[]): unknown {
  if (e !== null && typeof e === 'object' && Object.isExtensible(e)) {
    Object.defineProperty(e, 'frames', { value: frames, writable: true, configurable: true, enumerable: false });
  }
  return e;
}

export class FrameReader {
  #buf = new Uint8Array(0);
  #start = 0;
  #end = 0;
  #prefaceLeft: number;
  #settingsFirst: boolean;
  #maxFrame: number;
  #decoder: HpackDecoder | undefined;
  #maxBlock: number;
  #keepUnknown: boolean;
  #open: HeadersFrame | PushPromiseFrame | undefined;
  #pieces: Uint8Array[] = [];
  #blockSize = 0;
  #error: Http2Error | undefined;
  #offset = 0; // connection octets consumed so far
  #peer: 'client' | 'server' | undefined;
  /** Frames discarded because their type is unknown. */
  skipped = 0;

  constructor(options: FrameReaderOptions = {}) {
    if (options.peer !== undefined && options.peer !== 'client' && options.peer !== 'server') {
      throw new InvalidArgumentError(`peer must be 'client' or 'server', got ${String(options.peer)}`, { field: 'peer' });
    }
    this.#peer = options.peer;
    this.#prefaceLeft = (options.preface ?? options.peer === 'client') ? CONNECTION_PREFACE.length : 0;
    this.#settingsFirst = options.settingsFirst ?? true;
    this.#maxFrame = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    assertInteger(this.#maxFrame, 'maxFrameSize', DEFAULT_MAX_FRAME_SIZE, 0xffffff);
    this.#decoder = options.decoder;
    this.#maxBlock = options.maxHeaderBlockSize ?? 262144;
    assertInteger(this.#maxBlock, 'maxHeaderBlockSize', 0, 2 ** 31);
    this.#keepUnknown = options.keepUnknown ?? false;
  }

  /** Sets SETTINGS_MAX_FRAME_SIZE after this endpoint's SETTINGS was acknowledged. */
  setMaxFrameSize(n: number): void {
    assertInteger(n, 'maxFrameSize', DEFAULT_MAX_FRAME_SIZE, 0xffffff);
    this.#maxFrame = n;
  }

  /** True while a header block waits for CONTINUATION frames. */
  get inHeaderBlock(): boolean {
    return this.#open !== undefined;
  }

  /**
   * Feeds bytes; returns the frames they completed, in order.
   * @throws Http2Error, HpackError with `frames`: the frames completed before the error ({@link FrameReaderError}).
   */
  push(bytes: Uint8Array): ReadFrame[] {
    assertBytes(bytes, 'bytes');
    if (this.#error) throw withFrames(this.#error, []);
    this.#append(bytes);
    return this.#run();
  }

  /**
   * The peer closed its side. Returns the complete frames still buffered (left there by a stream
   * error in an earlier `push`), then throws if anything is left: a truncated frame or header block.
   * @throws like `push`, and TruncatedError (with `frames`, see {@link FrameReaderError}).
   */
  end(): ReadFrame[] {
    if (this.#error) throw withFrames(this.#error, []);
    const out = this.#run();
    const left = this.#end - this.#start;
    if (left > 0 || this.#prefaceLeft > 0 || this.#open) {
      throw withFrames(new TruncatedError(this.#open ? 'connection ended inside a header block (RFC 9113 §6.10)' : 'connection ended inside a frame', {
        offset: this.#offset,
        available: left,
      }), out);
    }
    return out;
  }

  #run(): ReadFrame[] {
    const out: ReadFrame[] = [];
    try {
      this.#drain(out);
    } catch (e) {
      if (e instanceof Http2Error && (e.streamId === 0 || e.streamId === undefined || e instanceof HpackError) && e.reason !== 'HEADER_LIST_TOO_LARGE') this.#error = e;
      throw withFrames(e, out);
    }
    return out;
  }

  #append(bytes: Uint8Array): void {
    const n = bytes.byteLength;
    if (this.#end + n > this.#buf.byteLength) {
      const live = this.#end - this.#start;
      const next = live + n > this.#buf.byteLength / 2 ? new Uint8Array(Math.max(2 * (live + n), 4096)) : this.#buf;
      next.set(this.#buf.subarray(this.#start, this.#end), 0);
      this.#buf = next;
      this.#start = 0;
      this.#end = live;
    }
    this.#buf.set(bytes, this.#end);
    this.#end += n;
  }

  #drain(out: ReadFrame[]): void {
    const b = this.#buf;
    if (this.#prefaceLeft > 0) {
      const have = Math.min(this.#prefaceLeft, this.#end - this.#start);
      const at = CONNECTION_PREFACE.length - this.#prefaceLeft;
      for (let i = 0; i < have; i++) {
        if (b[this.#start + i] !== CONNECTION_PREFACE[at + i]) {
          throw new Http2Error('PROTOCOL_ERROR', 'BAD_PREFACE', 'the connection does not start with the HTTP/2 client preface (RFC 9113 §3.4)', { offset: at + i, streamId: 0 });
        }
      }
      this.#prefaceLeft -= have;
      this.#start += have;
      this.#offset += have;
      if (this.#prefaceLeft > 0) return;
    }
    while (this.#end - this.#start >= FRAME_HEADER_LENGTH) {
      const s = this.#start;
      const length = (b[s]! << 16) | (b[s + 1]! << 8) | b[s + 2]!;
      const type = b[s + 3]!;
      if (length > this.#maxFrame) {
        throw new Http2Error('FRAME_SIZE_ERROR', 'FRAME_TOO_LARGE', `frame of ${length} octets exceeds SETTINGS_MAX_FRAME_SIZE ${this.#maxFrame} (RFC 9113 §4.2)`, { offset: this.#offset, streamId: 0 });
      }
      if (this.#settingsFirst && type !== FrameType.SETTINGS) {
        throw new Http2Error('PROTOCOL_ERROR', 'SETTINGS_EXPECTED', 'the first frame must be SETTINGS (RFC 9113 §3.4)', { offset: this.#offset, streamId: 0 });
      }
      if (this.#settingsFirst && (b[s + 4]! & 0x1) !== 0) {
        throw new Http2Error('PROTOCOL_ERROR', 'SETTINGS_EXPECTED', 'the first frame must be a SETTINGS frame that is not an acknowledgement (RFC 9113 §3.4)', { offset: this.#offset, streamId: 0 });
      }
      if (this.#end - s < FRAME_HEADER_LENGTH + length) return;
      const header = { length, type, flags: b[s + 4]!, streamId: ((b[s + 5]! & 0x7f) << 24 | (b[s + 6]! << 16) | (b[s + 7]! << 8) | b[s + 8]!) >>> 0 };
      // Copy the payload out: the buffer is reused, frames handed out must not change.
      const payload = b.slice(s + FRAME_HEADER_LENGTH, s + FRAME_HEADER_LENGTH + length);
      this.#start = s + FRAME_HEADER_LENGTH + length;
      const at = this.#offset;
      this.#offset += FRAME_HEADER_LENGTH + length;
      this.#settingsFirst = false;
      this.#frame(parseFrame(header, payload), at, out);
    }
  }

  #frame(f: Http2Frame, at: number, out: ReadFrame[]): void {
    const open = this.#open;
    if (open) {
      if (f.kind !== 'CONTINUATION' || f.streamId !== open.streamId) {
        throw new Http2Error('PROTOCOL_ERROR', 'CONTINUATION_EXPECTED', `a ${f.kind} frame on stream ${f.streamId} interrupts the header block of stream ${open.streamId} (RFC 9113 §6.10)`, { offset: at, streamId: 0 });
      }
      this.#piece(f.fragment, at);
      if (f.endHeaders) this.#close(out);
      return;
    }
    if (this.#peer) this.#roleRules(f, at);
    switch (f.kind) {
      case 'CONTINUATION':
        throw new Http2Error('PROTOCOL_ERROR', 'UNEXPECTED_CONTINUATION', `CONTINUATION on stream ${f.streamId} without an open header block (RFC 9113 §6.10)`, { offset: at, streamId: 0 });
      case 'HEADERS':
      case 'PUSH_PROMISE':
        this.#open = f;
        this.#pieces = [];
        this.#blockSize = 0;
        this.#piece(f.fragment, at);
        if (f.endHeaders) this.#close(out);
        return;
      case 'UNKNOWN':
        if (this.#keepUnknown) out.push(f);
        else this.skipped++;
        return;
      default:
        out.push(f);
    }
  }

  /** Frames only one side of a connection may send (see {@link FrameReaderOptions.peer}). */
  #roleRules(f: Http2Frame, at: number): void {
    const bad = (reason: string, msg: string): never => {
      throw new Http2Error('PROTOCOL_ERROR', reason, msg, { offset: at, streamId: 0 });
    };
    if (this.#peer === 'server') {
      if (f.kind === 'SETTINGS' && f.settings.some(([id, v]) => id === SettingsId.ENABLE_PUSH && v === 1)) {
        bad('BAD_SETTING', 'a server sent SETTINGS_ENABLE_PUSH = 1 (RFC 9113 §6.5.2)');
      }
      if (f.kind === 'PUSH_PROMISE' && f.promisedStreamId % 2 === 1) {
        bad('BAD_STREAM_ID', `PUSH_PROMISE promises stream ${f.promisedStreamId}: server-initiated streams are even (RFC 9113 §5.1.1)`);
      }
    } else {
      if (f.kind === 'PUSH_PROMISE') bad('PUSH_FROM_CLIENT', 'a client sent PUSH_PROMISE: clients cannot push (RFC 9113 §8.4)');
      if (f.kind === 'HEADERS' && f.streamId % 2 === 0) {
        bad('BAD_STREAM_ID', `a client sent HEADERS on stream ${f.streamId}: client-initiated streams are odd (RFC 9113 §5.1.1)`);
      }
    }
  }

  #piece(fragment: Uint8Array, at: number): void {
    this.#blockSize += fragment.byteLength;
    if (this.#blockSize > this.#maxBlock) {
      throw new Http2Error('ENHANCE_YOUR_CALM', 'HEADER_BLOCK_TOO_LARGE', `header block above maxHeaderBlockSize (${this.#maxBlock} octets)`, { offset: at, streamId: 0 });
    }
    this.#pieces.push(fragment);
    this.#decoder?.push(fragment);
  }

  #close(out: ReadFrame[]): void {
    const f = this.#open!;
    this.#open = undefined;
    const pieces = this.#pieces;
    this.#pieces = [];
    let block = pieces[0] ?? new Uint8Array(0);
    if (pieces.length > 1) {
      block = new Uint8Array(this.#blockSize);
      let o = 0;
      for (const p of pieces) {
        block.set(p, o);
        o += p.byteLength;
      }
    }
    const joined = { ...f, fragment: block, endHeaders: true } as ReadFrame;
    if (this.#decoder) joined.fields = this.#decoder.end();
    // A stream error found while parsing the first frame is raised only now, with the block
    // decoded and the connection's HPACK state in step with the peer's (RFC 9113 §4.3, §5.3.1).
    if (f.kind === 'HEADERS' && f.priorityError) throw f.priorityError;
    out.push(joined);
  }
}
