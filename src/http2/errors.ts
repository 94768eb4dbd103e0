/**
 * HTTP/2 and HPACK errors: {@link MalformedError}s (code MALFORMED) that also carry the RFC 9113
 * §7 error code name a connection or stream would be closed with (`http2Code`), and a stable
 * `reason` naming the rule that was broken.
 */
import { MalformedError, type WirekitErrorDetails } from '../runtime/errors.js';

/** RFC 9113 §7 error codes (name -> 32-bit value). */
export const Http2ErrorCodes = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;
export type Http2ErrorCode = keyof typeof Http2ErrorCodes;

/** The RFC 9113 §7 name of a 32-bit error code, or `UNKNOWN_0x...` (§7: unknown codes are not errors). */
export function http2ErrorName(value: number): string {
  for (const [k, v] of Object.entries(Http2ErrorCodes)) if (v === value) return k;
  return `UNKNOWN_0x${(value >>> 0).toString(16)}`;
}

export interface Http2ErrorDetails extends WirekitErrorDetails {
  /** Stream the error concerns (0 = connection). */
  streamId?: number;
}

/** An HTTP/2 framing error. `http2Code` is what to send in GOAWAY (connection) or RST_STREAM (stream). */
export class Http2Error extends MalformedError {
  readonly http2Code: Http2ErrorCode;
  readonly reason: string;
  readonly streamId?: number;
  constructor(http2Code: Http2ErrorCode, reason: string, message: string, details: Http2ErrorDetails = {}) {
    super(message, details);
    this.http2Code = http2Code;
    this.reason = reason;
    if (details.streamId !== undefined) this.streamId = details.streamId;
  }
  override get name(): string {
    return 'Http2Error';
  }
}

/**
 * An HPACK decoding error (RFC 7541 §2.3.3, §4.2, §5.1, §5.2, §6.1, §6.3): `http2Code` is
 * COMPRESSION_ERROR and the decoder that threw it is dead (RFC 9113 §4.3). The exception is
 * HEADER_LIST_TOO_LARGE: the block was fully decoded (the table is in sync) but not returned;
 * the decoder stays usable and `http2Code` is PROTOCOL_ERROR (refuse the stream, or answer 431).
 * `offset` is the octet offset in the header block where the failing representation starts.
 */
export class HpackError extends Http2Error {
  override get name(): string {
    return 'HpackError';
  }
}
