/** Thrown by a decompressor when its input is malformed or would decode past its bound. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
}

/**
 * Thrown when a decompressor this Node cannot load is asked for (the native xz/lzma binding was
 * not installed for this platform or Node version): the data is not examined, and the caller
 * says so rather than calling it corrupt.
 */
export class CodecUnavailable extends Error {
  override readonly name = 'CodecUnavailable';
}
