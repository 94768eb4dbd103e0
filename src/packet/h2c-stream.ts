/**
 * One direction of a cleartext HTTP/2 (h2c) connection as a dissector sees it: the in-order TCP
 * byte stream goes in, the HTTP/2 frames it completes come out, with header blocks decoded by
 * this direction's own HPACK decoder (RFC 7541; one dynamic table per direction, RFC 9113 §4.3).
 *
 * Unlike {@link FrameReader} (an endpoint's strict reader), this reports every frame as sent,
 * CONTINUATION included, and keeps going where an endpoint would close the connection: the header
 * list of a block is attached to the frame that ends it (END_HEADERS); a block HPACK cannot decode
 * stops header decoding for the direction (the table is lost) but frames are still listed.
 * At most one frame is buffered: a frame header announcing more than `maxFrame` octets (RFC 9113
 * §4.1 allows 2^24-1) sets `tooLarge` and the direction is no longer parsed.
 */
import { HpackDecoder, type HeaderField } from '../hpack/index.js';
import { CONNECTION_PREFACE, FRAME_HEADER_LENGTH, FrameType, parseFrame, type FrameHeader } from '../http2/frames.js';
import { Http2Error } from '../http2/errors.js';

/** One HTTP/2 frame as seen on the wire. */
export interface H2WireFrame {
  streamId: number;
  /** Frame type octet (RFC 9113 §6; unknown types included). */
  type: number;
  flags: number;
  /** Payload length, octets. */
  length: number;
  /** Decoded header list of the block this frame ends (HEADERS/PUSH_PROMISE/CONTINUATION with END_HEADERS). */
  headers?: HeaderField[];
  /** SETTINGS (not ACK): the [identifier, value] pairs (RFC 9113 §6.5.1). */
  settings?: Array<[number, number]>;
}

/** What a piece of the stream completed: the preface (`magic`) and frames, in order. */
export interface H2Progress {
  magic: boolean;
  frames: H2WireFrame[];
}

export class H2cStream {
  #buf = new Uint8Array(0);
  #len = 0;
  #prefaceLeft: number;
  #decoder: HpackDecoder | undefined = new HpackDecoder({ maxHeaderListSize: Infinity });
  #inBlock = false;
  #blockStream = 0;
  #maxFrame: number;
  /** Why header decoding stopped, if it did. */
  hpackError: Error | undefined;
  /** A frame longer than `maxFrame` was announced: nothing more is parsed. */
  tooLarge = false;

  /**
   * `preface`: this is the client side and the 24-octet connection preface (RFC 9113 §3.4) comes
   * first. `maxFrame`: largest frame payload buffered, octets (default 1 MiB).
   */
  constructor(preface: boolean, maxFrame = 1 << 20) {
    this.#prefaceLeft = preface ? CONNECTION_PREFACE.length : 0;
    this.#maxFrame = maxFrame;
  }

  /** The peer advertised SETTINGS_HEADER_TABLE_SIZE `n` octets (RFC 9113 §6.5.2) for this direction's table. */
  allowTableSize(n: number): void {
    // Only ever raised: lowering would demand a size update the encoder may legally send later.
    if (this.#decoder && n > this.#decoder.maxTableSize && n <= 1 << 30) {
      try {
        this.#decoder.setMaxTableSize(n);
      } catch {
        // keep the current limit
      }
    }
  }

  /** Feeds in-order stream octets; returns what they complete. */
  push(bytes: Uint8Array): H2Progress {
    const out: H2Progress = { magic: false, frames: [] };
    if (this.tooLarge) return out;
    this.#append(bytes);
    let o = 0;
    if (this.#prefaceLeft > 0) {
      const n = Math.min(this.#prefaceLeft, this.#len);
      o = n;
      this.#prefaceLeft -= n;
      if (this.#prefaceLeft === 0) out.magic = true;
    }
    while (this.#len - o >= FRAME_HEADER_LENGTH) {
      const b = this.#buf;
      const length = (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
      if (length > this.#maxFrame) {
        this.tooLarge = true;
        this.#len = 0;
        return out;
      }
      if (this.#len - o < FRAME_HEADER_LENGTH + length) break;
      const h: FrameHeader = { length, type: b[o + 3]!, flags: b[o + 4]!, streamId: (((b[o + 5]! & 0x7f) << 24) | (b[o + 6]! << 16) | (b[o + 7]! << 8) | b[o + 8]!) >>> 0 };
      const payload = b.subarray(o + FRAME_HEADER_LENGTH, o + FRAME_HEADER_LENGTH + length);
      o += FRAME_HEADER_LENGTH + length;
      out.frames.push(this.#frame(h, payload));
    }
    this.#buf.copyWithin(0, o, this.#len);
    this.#len -= o;
    return out;
  }

  #frame(h: FrameHeader, payload: Uint8Array): H2WireFrame {
    const f: H2WireFrame = { streamId: h.streamId, type: h.type, flags: h.flags, length: h.length };
    if (h.type === FrameType.SETTINGS && (h.flags & 1) === 0) {
      f.settings = [];
      for (let o = 0; o + 6 <= payload.byteLength; o += 6) {
        f.settings.push([(payload[o]! << 8) | payload[o + 1]!, ((payload[o + 2]! << 24) | (payload[o + 3]! << 16) | (payload[o + 4]! << 8) | payload[o + 5]!) >>> 0]);
      }
    }
    const isBlock = h.type === FrameType.HEADERS || h.type === FrameType.PUSH_PROMISE;
    if (this.#inBlock && (h.type !== FrameType.CONTINUATION || h.streamId !== this.#blockStream)) {
      // Only CONTINUATIONs of the same stream may follow an unfinished block (RFC 9113 §6.10):
      // the peer's HPACK state is now unknowable, so header decoding stops for this direction.
      this.#stop(new Http2Error('PROTOCOL_ERROR', 'CONTINUATION_EXPECTED', `a frame of type ${h.type} on stream ${h.streamId} interrupts the header block of stream ${this.#blockStream} (RFC 9113 §6.10)`, { streamId: 0 }));
      return f;
    }
    if (!isBlock && h.type !== FrameType.CONTINUATION) return f;
    if (isBlock) {
      this.#inBlock = true;
      this.#blockStream = h.streamId;
    } else if (!this.#inBlock) return f; // a stray CONTINUATION: nothing to add it to
    let fragment: Uint8Array | undefined;
    try {
      const p = parseFrame(h, payload);
      if (p.kind === 'HEADERS' || p.kind === 'PUSH_PROMISE' || p.kind === 'CONTINUATION') fragment = p.fragment;
    } catch {
      fragment = undefined; // bad padding or priority: the block cannot be followed
    }
    const d = this.#decoder;
    if (!d) return f;
    try {
      if (fragment === undefined) throw new Error('malformed header block frame');
      d.push(fragment);
      if ((h.flags & 0x4) !== 0) {
        this.#inBlock = false;
        f.headers = d.end();
      }
    } catch (e) {
      this.#stop(e as Error);
    }
    return f;
  }

  /** Header decoding stops for this direction (the dynamic table is lost); frames are still listed. */
  #stop(e: Error): void {
    const d = this.#decoder;
    this.hpackError ??= e;
    this.#decoder = undefined;
    this.#inBlock = false;
    try {
      d?.dispose();
    } catch {
      // already unusable
    }
  }

  #append(bytes: Uint8Array): void {
    const need = this.#len + bytes.byteLength;
    if (need > this.#buf.byteLength) {
      const next = new Uint8Array(Math.max(need, 2 * this.#buf.byteLength, 4096));
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
    }
    this.#buf.set(bytes, this.#len);
    this.#len = need;
  }

  /** Releases the HPACK table memory now. */
  dispose(): void {
    this.#decoder?.dispose();
    this.#decoder = undefined;
  }
}
