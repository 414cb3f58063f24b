/**
 * A copy of a log to read entries from, for `nospy verify --log`: a nospy data directory
 * (holding nospy.db), a directory of tlog-tiles files (`tile/entries/…`, e.g. a mirror), or a
 * tiles URL (c2sp.org/tlog-tiles). The copy is not trusted: `checkAbsenceInLog` hashes what it
 * reads back to the checkpoint's root.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteLogStore } from '../store/sqlite/sqlite-log-store.js';
import { decodeEntryBundle, entriesPath, MAX_ENTRY_BYTES, TILE_WIDTH } from '../tlog/tiles.js';
import type { EntryReader } from './absence-log.js';
import { StatementError } from './errors.js';

/** A full entry bundle: 256 entries of at most 65,535 bytes, each with a 2-byte length. */
const MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + MAX_ENTRY_BYTES);

export interface LogCopy {
  /** What was opened, for messages. */
  readonly description: string;
  readonly read: EntryReader;
  close(): Promise<void>;
}

/** Opens a log copy by location; throws STATEMENT_UNREADABLE when it is none of the three. */
export function openLogCopy(location: string): LogCopy {
  if (/^https?:\/\//.test(location)) {
    const base = location.replace(/\/+$/, '');
    return tilesCopy(`tiles at ${base}`, (path) => fetchBounded(`${base}/${path}`));
  }
  if (!existsSync(location) || !statSync(location).isDirectory()) {
    throw unreadable(location, 'is not a directory or an http(s) URL');
  }
  if (existsSync(join(location, 'nospy.db'))) {
    const store = new SqliteLogStore(location);
    return {
      description: `the log data directory ${location}`,
      read: (start, count) => store.readEntries(start, count),
      close: () => store.close(),
    };
  }
  if (existsSync(join(location, 'tile', 'entries'))) {
    return tilesCopy(`tiles in ${location}`, (path) => {
      const file = join(location, path);
      if (!existsSync(file)) return Promise.resolve(undefined);
      if (statSync(file).size > MAX_BUNDLE_BYTES) {
        throw unreadable(file, `is larger than an entry bundle (${MAX_BUNDLE_BYTES} bytes)`);
      }
      return Promise.resolve(readFileSync(file));
    });
  }
  throw unreadable(location, 'holds neither nospy.db nor tile/entries/');
}

/**
 * Entries from entry bundles. A copy taken at a later size holds the full bundle where the
 * checkpoint's size ends inside it; an older mirror holds only the partial one (`.p/<width>`).
 */
function tilesCopy(
  description: string,
  get: (path: string) => Promise<Buffer | undefined>,
): LogCopy {
  const read: EntryReader = async (start, count) => {
    const out: Buffer[] = [];
    let at = start;
    while (out.length < count) {
      const tile = Math.floor(at / TILE_WIDTH);
      const need = Math.min(TILE_WIDTH, (at % TILE_WIDTH) + (count - out.length));
      let entries: Buffer[] | undefined;
      const full = await get(entriesPath(tile));
      if (full !== undefined) {
        entries = decode(full, TILE_WIDTH, entriesPath(tile));
      } else if (need < TILE_WIDTH) {
        const partial = await get(entriesPath(tile, need));
        if (partial !== undefined) entries = decode(partial, need, entriesPath(tile, need));
      }
      if (entries === undefined) break;
      const from = at % TILE_WIDTH;
      const taken = entries.slice(from, Math.min(entries.length, from + count - out.length));
      out.push(...taken);
      at += taken.length;
      if (taken.length === 0) break;
    }
    return out;
  };
  return { description, read, close: () => Promise.resolve() };
}

function decode(bundle: Buffer, count: number, path: string): Buffer[] {
  try {
    return decodeEntryBundle(bundle, count);
  } catch (error) {
    throw unreadable(path, (error as Error).message);
  }
}

async function fetchBounded(url: string): Promise<Buffer | undefined> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw unreadable(url, (error as Error).message);
  }
  if (response.status === 404) return undefined;
  if (!response.ok) throw unreadable(url, `answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_BUNDLE_BYTES) {
    throw unreadable(url, `is ${declared} bytes, larger than an entry bundle`);
  }
  // Counted while reading: a server that sends no length must not make us buffer without end.
  const chunks: Buffer[] = [];
  let total = 0;
  if (response.body !== null) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > MAX_BUNDLE_BYTES) {
        throw unreadable(
          url,
          `is more than ${MAX_BUNDLE_BYTES} bytes, larger than an entry bundle`,
        );
      }
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

function unreadable(where: string, message: string): StatementError {
  return new StatementError('STATEMENT_UNREADABLE', `log copy ${where} ${message}`, { where });
}
