// RFC 9000 §16 variable-length integers: batch decode/encode inside Wasm.
// PLACEHOLDER until the QUIC codec lands.
export function qv_placeholder(): i32 { return 0; }
