import { readBoundedFile } from '../io/bounded-read.js';
import { FirmwareError } from './errors.js';

/** The image file (a pipe or a device too), read whole within the limit or refused. */
export function readImage(path: string, maxBytes: number): Buffer {
  return readBoundedFile(path, {
    maxBytes,
    what: 'image',
    failure: (error) =>
      new FirmwareError('FIRMWARE_IMAGE_UNREADABLE', error.message, { where: path, cause: error }),
  });
}
