/**
 * The queue of entries a replica that does not sequence has accepted (migration 6's
 * log_submissions). A submission is removed only after its entries are in a signed checkpoint,
 * so a sequencer that dies with submissions claimed loses none: the next one claims them again,
 * and the log's de-duplication by leaf hash gives an entry sequenced twice its first index.
 */
import type { Submission, SubmissionQueuePort } from '../../log/replica/replica-ports.js';
import { postgresError, type PostgresPool } from './pool.js';

/**
 * Oldest first; SKIP LOCKED keeps a claim from waiting on an insert or on another claim. A
 * claim by another term is taken over: only the lock holder claims, so that term's sequencer
 * is gone.
 */
const CLAIM = `UPDATE log_submissions SET claimed_by = $1
  WHERE id IN (
    SELECT id FROM log_submissions WHERE claimed_by IS DISTINCT FROM $1
    ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
  )
  RETURNING id, entries, lengths`;

export class PostgresSubmissionQueue implements SubmissionQueuePort {
  readonly #pool: PostgresPool;

  constructor(pool: PostgresPool) {
    this.#pool = pool;
  }

  async submit(groups: readonly (readonly Uint8Array[])[]): Promise<void> {
    if (groups.length === 0) return;
    // One statement for every group: the entries of each group as one bytea and their lengths
    // as text arrays of an array literal (a 2-D array would need equal lengths).
    const data = groups.map((group) => Buffer.concat(group));
    const lengths = groups.map((group) => `{${group.map((entry) => entry.length).join(',')}}`);
    try {
      await this.#pool.query(
        `INSERT INTO log_submissions (entries, lengths)
         SELECT d, l::integer[] FROM unnest($1::bytea[], $2::text[]) AS u(d, l)`,
        [data, lengths],
      );
    } catch (error) {
      throw postgresError('queue entries for the sequencer', error);
    }
  }

  async claim(term: string, limit: number): Promise<Submission[]> {
    try {
      const { rows } = await this.#pool.query<{
        id: number;
        entries: Buffer;
        lengths: number[];
      }>(CLAIM, [term, limit]);
      return rows
        .map((row) => ({ id: row.id, entries: cut(row.entries, row.lengths) }))
        .sort((a, b) => a.id - b.id);
    } catch (error) {
      throw postgresError('claim queued entries', error);
    }
  }

  async release(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.#pool.query(
        'UPDATE log_submissions SET claimed_by = NULL WHERE id = ANY($1::bigint[])',
        [ids],
      );
    } catch (error) {
      throw postgresError('release queued entries', error);
    }
  }

  async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.#pool.query('DELETE FROM log_submissions WHERE id = ANY($1::bigint[])', [ids]);
    } catch (error) {
      throw postgresError('remove sequenced entries from the queue', error);
    }
  }
}

/** The entries of one submission, cut from its bytes by their lengths. */
function cut(bytes: Buffer, lengths: readonly number[]): Buffer[] {
  const entries: Buffer[] = [];
  let at = 0;
  for (const length of lengths) {
    entries.push(bytes.subarray(at, at + length));
    at += length;
  }
  return entries;
}
