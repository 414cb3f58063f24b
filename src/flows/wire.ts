/** Big-endian reads from export datagrams; callers check bounds first. */

/** Unsigned big-endian integer of 1..8 bytes (8-byte values above 2^53 lose precision). */
export function readUint(bytes: Uint8Array, offset: number, length: number): number {
  if (length === 4) return u32(bytes, offset);
  if (length === 2) return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
  if (length === 1) return bytes[offset] ?? 0;
  if (length === 8) return u32(bytes, offset) * 0x100000000 + u32(bytes, offset + 4);
  let value = 0;
  for (let i = 0; i < length; i += 1) value = value * 256 + (bytes[offset + i] ?? 0);
  return value;
}

export function u16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

export function u32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] ?? 0) * 0x1000000 +
    (((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0))
  );
}

/** Seconds between the NTP era 0 epoch (1900) and the Unix epoch. */
const NTP_UNIX_OFFSET = 2_208_988_800;

/**
 * RFC 7011 §6.1.9/§6.1.10: dateTimeMicroseconds/Nanoseconds are NTP timestamps (seconds since
 * 1900 and a 32-bit binary fraction). Returns Unix milliseconds.
 */
export function ntpToUnixMs(bytes: Uint8Array, offset: number): number {
  const seconds = u32(bytes, offset);
  const fraction = u32(bytes, offset + 4);
  return (seconds - NTP_UNIX_OFFSET) * 1000 + Math.floor((fraction * 1000) / 0x100000000);
}

/** True when every byte in [start, end) is zero: padding, not a truncated record. */
export function isZeroPadding(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (bytes[i] !== 0) return false;
  return true;
}
