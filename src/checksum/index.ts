export * from './inet.js';
export * from './crc32.js';
