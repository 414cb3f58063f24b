/**
 * One replica of a log whose store is shared by several (`nospy serve --store postgres://…`
 * run more than once). Every replica serves reads from the store and takes writes; exactly one
 * at a time sequences: the holder of the sequencer lock. It runs a Sequencer on the store's
 * latest signed tree and also sequences what the other replicas queued. The others queue their
 * writers' entries and answer each writer once the store's latest signed checkpoint covers its
 * entry. When the sequencer dies its lock is released with its session, and the first replica
 * to take it starts a Sequencer from the store's latest signed checkpoint and tiles (checked to
 * reproduce its root), so every checkpoint any replica served is a prefix of every later one;
 * the store refuses a batch not built on its latest tree (STORE_CONFLICT), so a sequencer that
 * lost its lock without knowing yet cannot fork the log either.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { NoteVerifier } from '../../tlog/note-key.js';
import type { LogStorePort, StoredCheckpoint } from '../../store/log-store-port.js';
import { StoreError } from '../../store/errors.js';
import type { Sequenced } from '../acknowledgements.js';
import type { AppendableLog } from '../appendable-log.js';
import { LogError } from '../errors.js';
import type { OpenLog } from '../open-log.js';
import type { StoreFull } from '../sequencer.js';
import type { WriteGate } from '../store-audit/write-gate.js';
import { CheckpointWatch, NO_CHECKPOINT } from './checkpoint-watch.js';
import { QueuedWrites } from './queued-writes.js';
import type {
  ReplicaSignalsPort,
  SequencerLockPort,
  SubmissionQueuePort,
} from './replica-ports.js';
import { SubmissionDrain } from './submission-drain.js';

export interface ReplicatedLogOptions {
  readonly store: LogStorePort;
  readonly lock: SequencerLockPort;
  readonly queue: SubmissionQueuePort;
  readonly signals: ReplicaSignalsPort;
  /** The log's key: a replica serves only checkpoints that verify under it. */
  readonly verifier: NoteVerifier;
  /** Opens a Sequencer (with its cosigner) on the store's latest tree, leaving the store open. */
  readonly openSequencer: () => Promise<OpenLog>;
  readonly writeGate?: WriteGate | undefined;
  /** A witness quorum is awaited: publish only checkpoints stored with its cosignatures. */
  readonly requireCosigned?: boolean | undefined;
  readonly logger?: Logger | undefined;
  /** Interval of the election and of reads when no notification arrives. Default 250 ms. */
  readonly pollMs?: number | undefined;
  /** How long a writer on a replica waits for the sequencer. Default 30,000 ms. */
  readonly writerWaitMs?: number | undefined;
  /** Entries waiting on a replica at most. Default 65,536. */
  readonly maxQueuedEntries?: number | undefined;
}

/** How long a replica waits at start for the sequencer to sign the first checkpoint. */
const FIRST_CHECKPOINT_WAIT_MS = 15_000;
/** Times a writer's entries are handed on after the sequencer they went to stepped down. */
const HAND_ON_ATTEMPTS = 3;

export class ReplicatedLog implements AppendableLog {
  readonly origin: string;
  readonly #options: ReplicatedLogOptions;
  readonly #watch: CheckpointWatch;
  readonly #queued: QueuedWrites;
  readonly #pollMs: number;
  #term: { readonly log: OpenLog; readonly drain: SubmissionDrain } | undefined;
  #served: StoredCheckpoint = NO_CHECKPOINT;
  #electing: Promise<void> | undefined;
  #stepping: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  private constructor(options: ReplicatedLogOptions) {
    this.#options = options;
    this.origin = options.verifier.name;
    this.#pollMs = options.pollMs ?? 250;
    this.#watch = new CheckpointWatch({
      read: () => options.store.latestCheckpoint(),
      verifier: options.verifier,
      requireCosigned: options.requireCosigned ?? false,
      pollMs: this.#pollMs,
      logger: options.logger,
      onAdvance: () => void this.#queued.settle(),
    });
    this.#queued = new QueuedWrites({
      queue: options.queue,
      findLeaves: (hashes) => options.store.findLeaves(hashes),
      readLeafTile: (index) => options.store.readTile(0, index),
      published: () => this.published,
      waitMs: options.writerWaitMs ?? 30_000,
      maxWaiting: options.maxQueuedEntries ?? 65_536,
    });
    options.signals.on((event) => {
      if (event === 'checkpoint') void this.#watch.poke();
      else this.#term?.drain.poke();
    });
  }

  /**
   * Joins the replicas: sequences if no replica does, and waits (bounded) for a first signed
   * checkpoint when another one does.
   */
  static async open(options: ReplicatedLogOptions): Promise<ReplicatedLog> {
    const log = new ReplicatedLog(options);
    try {
      await log.#watch.start();
      // The first attempt may sequence while the store is being audited: the first replica of a
      // new log signs its empty checkpoint before the audit, as a log in one process does.
      await log.#elect(true);
      const until = Date.now() + FIRST_CHECKPOINT_WAIT_MS;
      while (log.published.note === '' && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, log.#pollMs));
        await log.#watch.poke();
        await log.#elect(true);
      }
      log.#schedule();
      return log;
    } catch (error) {
      await log.close();
      throw error;
    }
  }

  /** Whether this replica holds the sequencer lock and sequences. */
  get sequencing(): boolean {
    return this.#term !== undefined;
  }

  /** The running sequencer's log (with its cosigner), while this replica sequences. */
  get term(): OpenLog | undefined {
    return this.#term?.log;
  }

  get checkpoint(): StoredCheckpoint {
    const sequencer = this.#term?.log.sequencer;
    const own = sequencer?.checkpoint;
    const seen = this.#watch.latest;
    return own !== undefined && own.size >= seen.size ? own : seen;
  }

  /** Never a smaller tree than one this replica served before, whoever sequences now. */
  get published(): StoredCheckpoint {
    const candidate = this.#term?.log.sequencer.published ?? this.#watch.latest;
    const served = this.#served;
    if (
      candidate.size > served.size ||
      (candidate.size === served.size && candidate.note !== '' && served.cosignedNote === undefined)
    ) {
      this.#served = candidate;
    }
    return this.#served;
  }

  get ready(): boolean {
    if (this.#closing !== undefined || this.#options.writeGate?.refusal !== undefined) return false;
    return this.#term?.log.sequencer.ready ?? true;
  }

  get storeFull(): StoreFull | undefined {
    return this.#term?.log.sequencer.storeFull;
  }

  get writeGate(): WriteGate | undefined {
    return this.#options.writeGate;
  }

  add(entry: Uint8Array): Promise<Sequenced> {
    return this.addGroup([entry]).then(([sequenced]) => sequenced as Sequenced);
  }

  async addGroup(entries: readonly Uint8Array[], attempt = 1): Promise<Sequenced[]> {
    if (entries.length === 0) return [];
    if (this.#closing !== undefined) {
      throw new LogError('LOG_CLOSED', 'this replica is shutting down');
    }
    const refusal = this.#options.writeGate?.refusal;
    if (refusal !== undefined) throw refusal;
    const sequencer = this.#term?.log.sequencer;
    if (sequencer === undefined) return this.#queued.addGroup(entries);
    try {
      return await sequencer.addGroup(entries);
    } catch (error) {
      // The sequencer stepped down (its lock lost, another wrote the log): nothing of the batch
      // was acknowledged, so hand the entries on to whoever sequences now.
      if (attempt < HAND_ON_ATTEMPTS && !this.#isClosing() && handOver(error)) {
        return this.addGroup(entries, attempt + 1);
      }
      throw error;
    }
  }

  /** Stops sequencing (if it did), stops watching, and rejects writers still waiting. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#timer);
      await this.#electing;
      await this.#stepDown('closing');
      await this.#options.lock.release();
      this.#watch.stop();
      this.#queued.abandon(
        new LogError(
          'LOG_CLOSED',
          'this replica closed before the entry was in a checkpoint; it stays queued for the sequencer',
        ),
      );
      await this.#options.signals.close();
    })();
    return this.#closing;
  }

  /**
   * A replica auditing its store does not take over the sequencing (except the first of a new
   * log, whose audit finds nothing to read); one in read-only recovery or whose audit failed
   * never does, since it would hold the lock and refuse every write.
   */
  #maySequence(whileAuditing: boolean): boolean {
    const state = this.#options.writeGate?.state.state ?? 'open';
    return state === 'open' || (state === 'auditing' && whileAuditing);
  }

  /** A method, not the field: a close may begin while an add awaits. */
  #isClosing(): boolean {
    return this.#closing !== undefined;
  }

  #schedule(): void {
    if (this.#closing !== undefined) return;
    this.#timer = setTimeout(() => {
      void this.#elect(false).finally(() => {
        this.#schedule();
      });
    }, this.#pollMs);
  }

  /** Checks the lock it holds, or tries to take it; on success starts sequencing. */
  #elect(ignoreGate: boolean): Promise<void> {
    this.#electing ??= (async () => {
      try {
        await this.#stepping;
        if (this.#term !== undefined) {
          if (!(await this.#options.lock.check())) await this.#stepDown('lost the sequencer lock');
          // A store that failed its audit must not hold up the others: another one sequences.
          else if (!this.#maySequence(true)) await this.#stepDown('the store audit refuses writes');
          return;
        }
        if (!this.#maySequence(ignoreGate)) return;
        if (!(await this.#options.lock.tryAcquire(() => void this.#stepDown('lock session gone'))))
          return;
        await this.#startSequencing();
      } catch (error) {
        this.#options.logger?.warn({ err: error }, 'sequencer election failed; retrying');
      } finally {
        this.#electing = undefined;
      }
    })();
    return this.#electing;
  }

  async #startSequencing(): Promise<void> {
    let log: OpenLog;
    try {
      log = await this.#options.openSequencer();
    } catch (error) {
      await this.#options.lock.release();
      throw error;
    }
    const drain = new SubmissionDrain({
      queue: this.#options.queue,
      addGroup: (entries) => log.sequencer.addGroup(entries),
      term: randomUUID(),
      maxInFlight: Math.max(1, Math.floor((this.#options.maxQueuedEntries ?? 65_536) / 2)),
      pollMs: this.#pollMs,
      logger: this.#options.logger,
    });
    this.#term = { log, drain };
    drain.start();
    this.#options.logger?.info(
      { size: log.sequencer.checkpoint.size },
      'this replica holds the sequencer lock: sequencing',
    );
  }

  #stepDown(why: string): Promise<void> {
    const term = this.#term;
    if (term === undefined) return this.#stepping ?? Promise.resolve();
    this.#term = undefined;
    this.#stepping = (async () => {
      if (why !== 'closing') {
        this.#options.logger?.warn({ reason: why }, 'stopped sequencing');
      }
      await term.drain.stop();
      // Sequences what its own writers queued; a batch another sequencer overtook is refused by
      // the store and handed on (addGroup).
      await term.log.close().catch((error: unknown) => {
        this.#options.logger?.warn({ err: error }, 'closing the sequencer failed');
      });
      await this.#options.lock.release();
      this.#stepping = undefined;
    })();
    return this.#stepping;
  }
}

/** Failures after which a writer's entries may go to the next sequencer: none was acknowledged. */
function handOver(error: unknown): boolean {
  return (
    (error instanceof StoreError && error.code === 'STORE_CONFLICT') ||
    (error instanceof LogError && error.code === 'LOG_CLOSED')
  );
}
