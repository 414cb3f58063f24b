import { NospyError } from '../errors/nospy-error.js';

/** The closed set of firmware error codes (bad input or I/O; findings are data, never thrown). */
export type FirmwareErrorCode =
  | 'FIRMWARE_IMAGE_UNREADABLE'
  | 'FIRMWARE_MUD_INVALID'
  | 'FIRMWARE_SBOM_UNUSABLE'
  | 'FIRMWARE_DIFF_INCOMPLETE'
  | 'FIRMWARE_SCAN_INCOMPLETE';

/** An image or declaration that cannot be read at all. */
export class FirmwareError extends NospyError<FirmwareErrorCode> {
  override readonly name = 'FirmwareError';
}
