export * from './varint.js';
export * from './varint-batch.js';
export * from './packet-number.js';
