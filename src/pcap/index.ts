/**
 * Captures: classic pcap and pcapng, read whole (`readCapture`, `capturePackets`), streamed
 * (`streamCapture`, `CaptureParser`) and written (`writePcap`, `writePcapng`, or `pcapHeader` +
 * `pcapRecordBytes` chunk by chunk).
 */
export {
  readCapture,
  capturePackets,
  LinkType,
  CUSTOM_BLOCK,
  MAX_RECORD,
  type Capture,
  type CapturePacket,
  type CaptureInterface,
} from './reader.js';
export { streamCapture, CaptureParser, type ByteSource, type StreamOptions } from './stream.js';
export { writePcap, writePcapng, pcapHeader, pcapRecord as pcapRecordBytes, type WritablePacket, type PcapWriteOptions } from './writer.js';
