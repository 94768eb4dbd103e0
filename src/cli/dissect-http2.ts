/**
 * The HTTP/2 fields of `wirekit dissect`, as tshark names and prints them:
 * `http2.streamid`, `http2.type` (one value per HTTP/2 frame whose last octet lies in the TCP
 * segment, in stream order) and `http2.header.name` / `http2.header.value` (one value per field of
 * every header block such a frame ends; RFC 7541 strings shown as UTF-8, invalid sequences as
 * U+FFFD). With `-T fields -E occurrence=a` the values of a field are joined with ',' like every
 * other field, so a header value containing ',' cannot be told apart in TSV (tshark has the same
 * ambiguity); `-T json` and {@link http2Values} keep them as arrays.
 */
import type { CapturePacket } from '../pcap/reader.js';
import type { DecodedPacket } from '../packet/types.js';
import { H2cCapture, type H2Segment } from '../packet/h2c-capture.js';

export const HTTP2_FIELDS = ['http2.streamid', 'http2.type', 'http2.header.name', 'http2.header.value'] as const;
export type Http2Field = (typeof HTTP2_FIELDS)[number];

export const isHttp2Field = (f: string): f is Http2Field => (HTTP2_FIELDS as readonly string[]).includes(f);

/** Octet strings (one char per octet) shown as tshark shows header strings: UTF-8. */
export const utf8 = (s: string): string => (/^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, 'latin1').toString('utf8'));

/** Every value of each HTTP/2 field in one segment, in order (tshark -T json arrays). */
export function http2Values(seg: H2Segment | undefined): Record<Http2Field, string[]> {
  const v: Record<Http2Field, string[]> = { 'http2.streamid': [], 'http2.type': [], 'http2.header.name': [], 'http2.header.value': [] };
  for (const f of seg?.frames ?? []) {
    v['http2.streamid'].push(String(f.streamId));
    v['http2.type'].push(String(f.type));
    for (const h of f.headers ?? []) {
      v['http2.header.name'].push(utf8(h.name));
      v['http2.header.value'].push(utf8(h.value));
    }
  }
  return v;
}

/** Per-capture HTTP/2 state for the dissect commands: one call per packet, in capture order. */
export class Http2Fields {
  #cap: H2cCapture;
  constructor(decodeAs?: ReadonlyMap<string, string>) {
    this.#cap = new H2cCapture(decodeAs);
  }

  /** The packet's HTTP/2 content (undefined: none), advancing the connection state. */
  segment(p: CapturePacket, dec: DecodedPacket | undefined): H2Segment | undefined {
    return this.#cap.packet(p.data, dec);
  }

  dispose(): void {
    this.#cap.dispose();
  }
}

