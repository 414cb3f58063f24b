/**
 * The tokens file: one token a line, as `sha256:<hex of the token's SHA-256> <scopes> [name]`,
 * `#` comments and blank lines ignored. Only digests are stored: a copy of the file grants
 * nothing. A plain SHA-256 suffices (no salt, no slow hash) because every token is 256 random
 * bits (`newToken`), out of reach of a dictionary or a brute force.
 */
import { createHash, randomBytes } from 'node:crypto';
import { LogError } from '../../log/errors.js';
import { parseScopes, type Scope } from './scopes.js';

/** A token as the file holds it. */
export interface TokenRecord {
  /** SHA-256 of the token. */
  readonly digest: Buffer;
  readonly scopes: readonly Scope[];
  /** Who holds it, for the operator and the logs; never the token. */
  readonly name: string;
}

/** Bounds on what is read: a tokens file is small, and a broken one must not stall the server. */
export const MAX_TOKEN_FILE_BYTES = 1024 * 1024;
export const MAX_TOKENS = 10_000;

const LINE = /^sha256:([0-9a-f]{64})[ \t]+(\S+)(?:[ \t]+(\S.*))?$/;

/** Parses a tokens file's text; throws LOG_USAGE naming the file and line of the first problem. */
export function parseTokenFile(text: string, file: string): TokenRecord[] {
  if (text.length > MAX_TOKEN_FILE_BYTES) {
    throw new LogError(
      'LOG_USAGE',
      `${file}: a tokens file is at most ${MAX_TOKEN_FILE_BYTES} bytes`,
      {
        where: file,
      },
    );
  }
  const records: TokenRecord[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${file}:${i + 1}`;
    const match = LINE.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new LogError(
        'LOG_USAGE',
        `${where}: expected "sha256:<64 lowercase hex> <scopes> [name]" (as "nospy token add" writes)`,
        { where },
      );
    }
    const scopes = parseScopes(match[2]);
    if ('problem' in scopes)
      throw new LogError('LOG_USAGE', `${where}: ${scopes.problem}`, { where });
    if (records.length === MAX_TOKENS) {
      throw new LogError(
        'LOG_USAGE',
        `${where}: a tokens file holds at most ${MAX_TOKENS} tokens`,
        {
          where,
        },
      );
    }
    records.push({ digest: Buffer.from(match[1], 'hex'), scopes, name: match[3]?.trim() ?? '' });
  }
  return records;
}

/** A new token: 256 random bits, base64url, with a prefix that says what it is (secret scanners). */
export function newToken(): string {
  return `nospy_${randomBytes(32).toString('base64url')}`;
}

/** The SHA-256 of a token, as the file and the comparison use it. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The line of the tokens file for `token`. */
export function tokenLine(token: string, scopes: readonly Scope[], name: string): string {
  const label = name.replace(/\s+/g, '-');
  return `sha256:${tokenDigest(token).toString('hex')} ${scopes.join(',')}${label === '' ? '' : ` ${label}`}\n`;
}
