/**
 * wirekit: WebAssembly-accelerated protocol codecs for Node (ESM and CJS), Deno and browsers.
 *
 * Every function initialises the Wasm module lazily and synchronously on first use; call
 * `await init()` first on a browser main thread or to choose options (memory size, build).
 */
export * from './runtime/index.js';
export * from './checksum/index.js';
export * from './quic/index.js';
export * from './allreduce/index.js';
export * from './pcap/index.js';
export * from './packet/index.js';
export * from './hpack/index.js';
export * from './http2/index.js';
