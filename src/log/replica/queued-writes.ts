/**
 * Writes taken by a replica that does not sequence: each group of entries is queued in the
 * shared store for the sequencer, and its writer is answered once the replica's published
 * checkpoint covers every entry of it, with the index the log gave it. Entries already in the
 * log are answered at once with their index (de-duplication by leaf hash, whichever replica
 * sequenced them), and never queued again.
 */
import { leafHash as computeLeafHash, HASH_SIZE } from '../../tlog/hash.js';
import { MAX_ENTRY_BYTES, TILE_WIDTH } from '../../tlog/tiles.js';
import type { StoredCheckpoint } from '../../store/log-store-port.js';
import type { Sequenced, Writer } from '../acknowledgements.js';
import { LogError } from '../errors.js';
import type { SubmissionQueuePort } from './replica-ports.js';

export interface QueuedWritesOptions {
  readonly queue: SubmissionQueuePort;
  /** The log's durable leaf hashes → index (LogStorePort.findLeaves). */
  readonly findLeaves: (leafHashes: readonly Buffer[]) => Promise<Map<string, number>>;
  /** The stored level-0 tile `index` (LogStorePort.readTile): the leaf hashes in it. */
  readonly readLeafTile: (index: number) => Promise<Buffer | undefined>;
  /** The checkpoint this replica publishes: a writer is answered once it covers the entry. */
  readonly published: () => StoredCheckpoint;
  /** How long a writer waits for the sequencer before it is answered LOG_OVERLOADED, in ms. */
  readonly waitMs: number;
  /** Writers waiting at most; beyond, new ones are refused (LOG_OVERLOADED). */
  readonly maxWaiting: number;
}

interface Waiter extends Writer {
  settled: boolean;
}

interface Group {
  readonly entries: readonly Uint8Array[];
  readonly waiters: readonly Waiter[];
}

export class QueuedWrites {
  readonly #options: QueuedWritesOptions;
  /** Leaf hash (latin1) → the writers waiting for it. */
  readonly #waiting = new Map<string, Waiter[]>();
  #count = 0;
  #outbox: Group[] = [];
  #flushing = false;
  #settling: Promise<void> | undefined;
  #settleAgain = false;
  /** Every leaf below this was matched against the writers waiting when it was read. */
  #settled: number | undefined;

  constructor(options: QueuedWritesOptions) {
    this.#options = options;
  }

  /** Writers waiting for a checkpoint. */
  get waiting(): number {
    return this.#count;
  }

  addGroup(entries: readonly Uint8Array[]): Promise<Sequenced[]> {
    const tooLarge = entries.find((entry) => entry.length > MAX_ENTRY_BYTES);
    if (tooLarge !== undefined) {
      return Promise.reject(
        new LogError(
          'LOG_ENTRY_TOO_LARGE',
          `an entry is at most ${MAX_ENTRY_BYTES} bytes (c2sp.org/tlog-tiles); this one is ${tooLarge.length}`,
        ),
      );
    }
    if (this.#count + entries.length > this.#options.maxWaiting) {
      return Promise.reject(
        new LogError(
          'LOG_OVERLOADED',
          `this replica has ${this.#count} entries waiting for the sequencer; retry shortly`,
        ),
      );
    }
    // Leaves from here on are matched as checkpoints publish them; those below, by the look-up.
    this.#settled ??= this.#options.published().size;
    const waiters: Waiter[] = [];
    const answers = entries.map(
      (entry) =>
        new Promise<Sequenced>((resolve, reject) => {
          const waiter: Waiter = {
            leafHash: computeLeafHash(entry),
            resolve,
            reject,
            settled: false,
          };
          waiters.push(waiter);
          this.#hold(waiter);
        }),
    );
    this.#outbox.push({ entries, waiters });
    if (this.#outbox.length === 1) setImmediate(() => void this.#flush());
    const timer = setTimeout(() => {
      this.#give(
        waiters,
        new LogError(
          'LOG_OVERLOADED',
          `no sequencer took the entry within ${Math.round(this.#options.waitMs / 1000)} s (one is being elected, or the log is overloaded); it stays queued: send it again to be answered with its index`,
        ),
      );
    }, this.#options.waitMs);
    return Promise.all(answers).finally(() => {
      clearTimeout(timer);
    });
  }

  /**
   * The published checkpoint moved: answers every writer whose entry it now covers. Runs one
   * look-up at a time, and once more after it when called meanwhile.
   */
  settle(): Promise<void> {
    if (this.#settling !== undefined) {
      this.#settleAgain = true;
      return this.#settling;
    }
    this.#settling = this.#settleOnce()
      .catch(() => undefined)
      .finally(() => {
        this.#settling = undefined;
        if (this.#settleAgain) {
          this.#settleAgain = false;
          void this.settle();
        }
      });
    return this.#settling;
  }

  /** Rejects every waiting writer (on shutdown); their entries stay queued for the sequencer. */
  abandon(reason: unknown): void {
    for (const waiters of this.#waiting.values()) this.#give(waiters, reason);
    this.#outbox = [];
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#outbox.length > 0) {
        const groups = this.#outbox;
        this.#outbox = [];
        const fresh = await this.#answerKnown(groups);
        try {
          await this.#options.queue.submit(fresh.map((group) => group.entries));
        } catch (error) {
          for (const group of fresh) this.#give(group.waiters, error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Answers the groups whose entries the published log holds already; returns the others. */
  async #answerKnown(groups: readonly Group[]): Promise<Group[]> {
    let known: Map<string, number>;
    try {
      known = await this.#options.findLeaves(
        groups.flatMap((group) => group.waiters.map((w) => w.leafHash)),
      );
    } catch {
      return [...groups];
    }
    const below = this.#options.published().size;
    return groups.filter((group) => {
      const indexes = group.waiters.map((w) => known.get(w.leafHash.toString('latin1')));
      if (!indexes.every((index) => index !== undefined && index < below)) return true;
      group.waiters.forEach((waiter, i) => {
        this.#answer(waiter, indexes[i] as number);
      });
      return false;
    });
  }

  /**
   * Matches the leaves the published checkpoint added since the last time against the writers
   * waiting: reading the new leaf hashes costs what the log grew, not what waits. A writer
   * registered later had its entry looked up in the whole log first (#answerKnown), and the
   * leaves it could have missed are at or above the published size it saw, so not yet matched.
   */
  async #settleOnce(): Promise<void> {
    const below = this.#options.published().size;
    const from = this.#settled;
    if (from === undefined || below <= from) return;
    if (this.#waiting.size > 0) {
      for (let tile = Math.floor(from / TILE_WIDTH); tile * TILE_WIDTH < below; tile += 1) {
        const hashes = await this.#options.readLeafTile(tile);
        const first = Math.max(from, tile * TILE_WIDTH);
        const last = Math.min(below, (tile + 1) * TILE_WIDTH);
        for (let index = first; index < last; index += 1) {
          const at = (index - tile * TILE_WIDTH) * HASH_SIZE;
          if (hashes === undefined || hashes.length < at + HASH_SIZE) {
            throw new Error(`leaf ${index} is missing from its stored tile`);
          }
          const key = hashes.toString('latin1', at, at + HASH_SIZE);
          for (const waiter of this.#waiting.get(key) ?? []) this.#answer(waiter, index);
        }
      }
    }
    this.#settled = below;
  }

  #hold(waiter: Waiter): void {
    const key = waiter.leafHash.toString('latin1');
    const list = this.#waiting.get(key);
    if (list === undefined) this.#waiting.set(key, [waiter]);
    else list.push(waiter);
    this.#count += 1;
  }

  #release(waiter: Waiter): boolean {
    if (waiter.settled) return false;
    waiter.settled = true;
    this.#count -= 1;
    const key = waiter.leafHash.toString('latin1');
    const rest = (this.#waiting.get(key) ?? []).filter((other) => other !== waiter);
    if (rest.length === 0) this.#waiting.delete(key);
    else this.#waiting.set(key, rest);
    return true;
  }

  #answer(waiter: Waiter, index: number): void {
    if (this.#release(waiter)) waiter.resolve({ index, leafHash: waiter.leafHash });
  }

  #give(waiters: readonly Waiter[], reason: unknown): void {
    for (const waiter of [...waiters]) if (this.#release(waiter)) waiter.reject(reason);
  }
}
