import { readBoundedText } from '../../io/bounded-read.js';
import { resolve } from 'node:path';
import {
  parsePrivateKey,
  parseVerifierKey,
  type NoteSigner,
  type NoteVerifier,
} from '../../tlog/note-key.js';
import { LogError } from '../../log/errors.js';

/** A key file is one line; anything larger is not a key. */
const MAX_KEY_FILE_BYTES = 4096;

/** Reads a `PRIVATE+KEY+…` file (as written by `nospy keygen` or x/mod note.GenerateKey). */
export function readSigner(cwd: string, file: string): NoteSigner {
  return parsePrivateKey(readKeyText(cwd, file));
}

/** A verifier key given inline (`name+id+base64`) or as a file holding one. */
export function readVerifier(cwd: string, keyOrFile: string): NoteVerifier {
  const inline = /^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(keyOrFile);
  return parseVerifierKey(inline ? keyOrFile : readKeyText(cwd, keyOrFile));
}

function readKeyText(cwd: string, file: string): string {
  const path = resolve(cwd, file);
  try {
    return readBoundedText(path, { maxBytes: MAX_KEY_FILE_BYTES, what: 'key file' }).trim();
  } catch (error) {
    if (error instanceof LogError) throw error;
    throw new LogError(
      'LOG_USAGE',
      `cannot read the key file ${file}: ${(error as Error).message}`,
      {
        where: file,
        cause: error,
      },
    );
  }
}

/** A private key file or a verifier key file: what `nospy key show` is given. */
export function readAnyKey(cwd: string, file: string): NoteVerifier {
  const text = readKeyText(cwd, file);
  return text.startsWith('PRIVATE+KEY+') ? parsePrivateKey(text) : parseVerifierKey(text);
}
