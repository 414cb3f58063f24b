/**
 * File adapters for statements: bounded reads of envelopes, authoring YAML, trust files and
 * private keys, and streaming sha256 of subject files. The cores they feed do no I/O.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readBoundedFile } from '../io/bounded-read.js';
import { parsePrivateKey, type NoteSigner } from '../tlog/note-key.js';
import {
  authorStatement,
  MAX_AUTHORING_BYTES,
  type AuthoredStatement,
  type ReleaseDocuments,
} from './authoring.js';
import { MAX_ENVELOPE_BYTES, parseEnvelope, type Envelope } from './dsse.js';
import { StatementError } from './errors.js';
import { MAX_TRUST_BYTES, parseTrustFile, type Trust } from './trust.js';

/** A private key file holds one line; anything bigger is not a key. */
const MAX_KEY_FILE_BYTES = 4096;
/** Subject files (firmware images) are hashed in chunks; this bounds only the time spent. */
const MAX_SUBJECT_FILE_BYTES = 16 * 1024 ** 3;

/** Reads at most `max` bytes of `file`, or throws STATEMENT_UNREADABLE naming it. */
export function readBounded(file: string, max: number, what: string): Buffer {
  return readBoundedFile(file, {
    maxBytes: max,
    what,
    failure: (error) =>
      new StatementError(
        error.code === 'INPUT_TOO_LARGE' && what === 'envelope'
          ? 'STATEMENT_ENVELOPE_TOO_LARGE'
          : 'STATEMENT_UNREADABLE',
        error.message,
        { where: file, cause: error },
      ),
  });
}

export function readEnvelopeFile(file: string): Envelope {
  const bytes = readBounded(file, MAX_ENVELOPE_BYTES, 'envelope');
  try {
    return parseEnvelope(bytes);
  } catch (error) {
    if (error instanceof StatementError) {
      throw new StatementError(error.code, `${file}: ${error.message}`, {
        where: `${file}: ${error.where ?? ''}`,
      });
    }
    throw error;
  }
}

export function loadTrustFile(file: string): Trust {
  return parseTrustFile(readBounded(file, MAX_TRUST_BYTES, 'trust file').toString('utf8'), file);
}

export function loadPrivateKeyFile(file: string): NoteSigner {
  return parsePrivateKey(readBounded(file, MAX_KEY_FILE_BYTES, 'private key').toString('utf8'));
}

/** Reads authoring YAML; subjects given by `file:` are hashed relative to the YAML's folder. */
export function loadStatementFile(file: string, documents?: ReleaseDocuments): AuthoredStatement {
  const text = readBounded(file, MAX_AUTHORING_BYTES, 'statement file').toString('utf8');
  return authorStatement(text, file, {
    digestOfFile: (path, where) => sha256OfFile(resolve(dirname(file), path), where),
    ...(documents === undefined ? {} : { documents }),
  });
}

/** Writes `bytes` to `file` through a temporary file and a rename, so a reader never sees half. */
export function writeFileAtomically(file: string, bytes: Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, file);
  } catch (error) {
    throw new StatementError(
      'STATEMENT_UNREADABLE',
      `${file}: cannot write: ${(error as Error).message}`,
      {
        where: file,
        cause: error,
      },
    );
  }
}

function sha256OfFile(path: string, where: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new StatementError(
      'STATEMENT_AUTHORING_INVALID',
      `${where}: cannot read subject file ${path}: ${(error as Error).message}`,
      {
        where,
        cause: error,
      },
    );
  }
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1024 * 1024);
    let total = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_SUBJECT_FILE_BYTES) {
        throw new StatementError(
          'STATEMENT_AUTHORING_INVALID',
          `${where}: subject file ${path} is larger than ${MAX_SUBJECT_FILE_BYTES} bytes`,
          { where },
        );
      }
      hash.update(chunk.subarray(0, n));
    }
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}
