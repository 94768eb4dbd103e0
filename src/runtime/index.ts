export { init, initSync, alloc, free, runtimeInfo, memory, type InitOptions, type RuntimeInfo } from './core.js';
export { hasSimd, wasmBytes, type Build, type WasmMemory, type WasmModule } from './loader.js';
export * from './errors.js';
