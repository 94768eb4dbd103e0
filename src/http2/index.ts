export * from './errors.js';
export * from './frames.js';
export * from './reader.js';
