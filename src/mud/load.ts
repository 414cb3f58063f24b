import { readFileSync, statSync } from 'node:fs';
import { MudError } from './errors.js';
import type { MudFile } from './model.js';
import { MUD_LIMITS, parseMudText } from './parse.js';

/**
 * Reads and parses a MUD file from disk (size-bounded before reading). Errors keep their code
 * and JSON path, prefixed with the file name: `device.json: $.ietf-mud:mud.mud-url: …`.
 */
export function loadMudFile(file: string): MudFile {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MUD_LIMITS.maxBytes) {
      throw new MudError(
        'MUD_LIMIT',
        `${file}: ${size} bytes, more than the ${MUD_LIMITS.maxBytes} allowed for a MUD file`,
        { where: file },
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof MudError) throw error;
    throw new MudError('MUD_UNREADABLE', `${file}: cannot read: ${(error as Error).message}`, {
      where: file,
      cause: error,
    });
  }
  try {
    return parseMudText(text);
  } catch (error) {
    if (!(error instanceof MudError)) throw error;
    throw new MudError(error.code, `${file}: ${error.message}`, {
      where: `${file}:${error.where ?? '$'}`,
      cause: error,
    });
  }
}
