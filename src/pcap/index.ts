export * from './reader.js';
export { streamCapture, type ByteSource, type StreamOptions } from './stream.js';
