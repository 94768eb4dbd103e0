export * from './reader.js';
export { streamCapture, CaptureParser, type ByteSource, type StreamOptions } from './stream.js';
export { writePcap, writePcapng, pcapHeader, pcapRecord as pcapRecordBytes, type WritablePacket, type PcapWriteOptions } from './writer.js';
