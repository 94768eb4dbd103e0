export * from './types.js';
export { decodePacket, type DecodeOptions } from './decode.js';
export { formatIpv6 } from './context.js';
export { decodeCapture, COLUMN_NAMES, PacketStatus, type CaptureColumns, type Columns, type ColumnName, type DecodeCaptureOptions } from './capture.js';
export { encodePacket, encodedLength, type LayerInput, type EncodeOptions } from './encode.js';
