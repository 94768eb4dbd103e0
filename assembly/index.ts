// The one Wasm module: every codec's exports, re-exported. Only numbers cross the boundary:
// (ptr, len, ...) -> i32/u32/f64. Codec exports are prefixed by family:
//   rt_ runtime (heap)  ck_ checksums  qv_ QUIC varints  ar_ allreduce kernels  pk_ packets (batch)  hp_ HPACK
export * from './runtime/heap';
export * from './checksum/inet';
export * from './checksum/crc32';
export * from './quic/varint';
export * from './allreduce/index';
export * from './packet/capture';
export * from './hpack/exports';
export * from './packet/fields';
