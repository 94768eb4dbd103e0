/**
 * Packet headers.
 *
 * - `decodePacket(bytes, linkType, options?)`: one frame to plain layer objects, outermost first
 *   (`layers`, plus `eth`, `vlan[]`, `ipv4`|`ipv6`, `tcp`|`udp`, `icmp`, `arp`, `dns` shortcuts
 *   and `payload` offsets), each with tshark-like `truncated` / `malformed` status. Never throws
 *   for packet bytes. Checked cell by cell against tshark 4.0 on the shared corpus.
 * - `decodeCapture(bytes, { verifyChecksums })`: a whole pcap/pcapng capture decoded in Wasm into
 *   structure-of-arrays typed-array columns (no object per packet). Pass a view from `alloc()` to
 *   skip the copy into Wasm memory.
 * - `encodePacket(layers, payload, out, options?)`: build eth/vlan/ipv4/ipv6/tcp/udp/icmp/arp
 *   stacks into a caller buffer, lengths and checksums filled in (or kept as given).
 *
 * Captures: see ../pcap (readCapture, streamCapture, writePcap, writePcapng).
 */
export * from './types.js';
export { decodePacket, type DecodeOptions } from './decode.js';
export { formatIpv6 } from './context.js';
export { decodeCapture, COLUMN_NAMES, PacketStatus, type CaptureColumns, type Columns, type ColumnName, type DecodeCaptureOptions } from './capture.js';
export { encodePacket, encodedLength, type LayerInput, type EncodeOptions } from './encode.js';
