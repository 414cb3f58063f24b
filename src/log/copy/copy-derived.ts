/**
 * What a log copy carries beside the tree: the blobs (content-addressed, so each is checked
 * against its digest as it is written) and the statement index (derived from the entries, and
 * rebuilt from them by the server if it were ever lost).
 */
import type { BlobStorePort } from '../../blobs/blob-store-port.js';
import type { LogStorePort } from '../../store/log-store-port.js';
import { LogError } from '../errors.js';

/** Statement rows per page read from the source and per transaction written to the copy. */
const STATEMENT_PAGE = 1000;

/**
 * Streams every blob the destination lacks from `from` to `to`, chunk by chunk: the destination
 * hashes what it receives and refuses a blob whose content is not its digest
 * (BLOB_DIGEST_MISMATCH), so a changed blob is never copied.
 */
export async function copyBlobs(
  from: BlobStorePort,
  to: BlobStorePort,
): Promise<{ copied: number; present: number }> {
  let copied = 0;
  let present = 0;
  for await (const digest of from.digests()) {
    if (await to.has(digest)) {
      present += 1;
      continue;
    }
    const blob = await from.get(digest);
    if (blob === undefined) continue;
    await to.put(digest, blob.stream);
    copied += 1;
  }
  return { copied, present };
}

/**
 * Copies the source's statement index, a page per transaction, up to the size it was built to
 * (never beyond `logSize`, the entries copied). Returns the rows copied.
 */
export async function copyStatementIndex(
  from: LogStorePort,
  to: LogStorePort,
  logSize: number,
): Promise<number> {
  const indexed = await from.statementIndexSize();
  if (indexed > logSize) {
    throw new LogError(
      'LOG_UNVERIFIED',
      `the source's statement index covers ${indexed} entries, more than the ${logSize} its signed checkpoint holds`,
    );
  }
  let at = 0;
  let copied = 0;
  while (at < indexed) {
    const rows = await from.findStatements({ from: at, below: indexed, limit: STATEMENT_PAGE });
    const next = rows.length < STATEMENT_PAGE ? indexed : (rows.at(-1)?.index ?? indexed - 1) + 1;
    await to.indexStatements(at, next, rows);
    copied += rows.length;
    at = next;
  }
  return copied;
}
