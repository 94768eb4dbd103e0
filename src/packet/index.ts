export * from './types.js';
export { decodePacket, type DecodeOptions } from './decode.js';
export { formatIpv6 } from './context.js';
