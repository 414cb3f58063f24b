/**
 * Which replica sequences: the one holding a PostgreSQL session advisory lock, taken on a
 * connection of its own. PostgreSQL releases a session lock when its session ends, so a replica
 * that dies (SIGKILL, a lost host, a cut connection) frees it at once and another takes it.
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
import pg from 'pg';
import type { SequencerLockPort } from '../../log/replica/replica-ports.js';
import { BIGINT_AS_NUMBER, postgresError } from './pool.js';

/** The advisory lock's key ('nospy' + 's' as a 64-bit number): one log per database. */
export const SEQUENCER_LOCK = 0x6e6f73707973;

/** How long the lock's connection may take to answer before it counts as lost. */
const CHECK_TIMEOUT_MS = 5_000;

export class PostgresSequencerLock implements SequencerLockPort {
  readonly #url: string;
  #client: pg.Client | undefined;
  #held = false;
  #onLost: (() => void) | undefined;

  constructor(url: string) {
    this.#url = url;
  }

  get held(): boolean {
    return this.#held;
  }

  /** Takes the lock if no other session holds it; never waits for it. */
  async tryAcquire(onLost: () => void): Promise<boolean> {
    if (this.#held) return true;
    const client = await this.#connect();
    const { rows } = await client
      .query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SEQUENCER_LOCK])
      .catch((error: unknown) => {
        this.#drop();
        throw postgresError('take the sequencer lock', error);
      });
    this.#held = rows[0]?.locked === true;
    if (this.#held) this.#onLost = onLost;
    return this.#held;
  }

  /**
   * Asks the lock's session whether it still holds the lock (a round trip on that very
   * connection); a session that does not answer in time counts as gone.
   */
  async check(): Promise<boolean> {
    const client = this.#client;
    if (!this.#held || client === undefined) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, CHECK_TIMEOUT_MS);
    });
    const asked = client
      .query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
           AND granted AND objid = ($1::bigint & 4294967295)::oid) AS held`,
        [SEQUENCER_LOCK],
      )
      .then(
        ({ rows }) => rows[0]?.held === true,
        () => false,
      );
    const held = await Promise.race([asked, timeout]);
    clearTimeout(timer);
    if (!held) this.#lose();
    return held;
  }

  /** Gives the lock up (closing its session releases it even if the unlock is never read). */
  async release(): Promise<void> {
    this.#held = false;
    this.#onLost = undefined;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<pg.Client> {
    if (this.#client !== undefined) return this.#client;
    const client = new pg.Client({
      connectionString: this.#url,
      types: BIGINT_AS_NUMBER,
      application_name: 'nospy sequencer lock',
      keepAlive: true,
    });
    client.on('error', () => {
      this.#lose();
    });
    client.on('end', () => {
      this.#lose();
    });
    try {
      await client.connect();
    } catch (error) {
      throw postgresError('connect for the sequencer lock', error);
    }
    this.#client = client;
    return client;
  }

  /** The session is gone or no longer holds the lock: whoever held it must stop sequencing. */
  #lose(): void {
    const wasHeld = this.#held;
    const onLost = this.#onLost;
    this.#drop();
    if (wasHeld) onLost?.();
  }

  #drop(): void {
    this.#held = false;
    this.#onLost = undefined;
    const client = this.#client;
    this.#client = undefined;
    client?.end().catch(() => undefined);
  }
}
