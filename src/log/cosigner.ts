import type { Logger } from 'pino';
import { openCheckpoint } from '../tlog/checkpoint.js';
import { consistencyProof } from '../tlog/tree.js';
import type { NoteVerifier } from '../tlog/note-key.js';
import type { LogStorePort, StoredCheckpoint } from '../store/log-store-port.js';
import { LogError } from './errors.js';
import type { TreeReader } from './tree-reader.js';
import { requestCosignature } from './witness-client.js';

/** A witness the log asks for cosignatures: its cosignature/v1 verifier key and submission URL. */
export interface WitnessEndpoint {
  readonly verifier: NoteVerifier;
  /** The submission prefix; requests go to `<url>/add-checkpoint` (c2sp.org/tlog-witness). */
  readonly url: string;
}

export interface CosignerOptions {
  readonly witnesses: readonly WitnessEndpoint[];
  /** How many witnesses must cosign; 0 = cosign in the background without waiting. */
  readonly quorum: number;
  readonly logVerifier: NoteVerifier;
  readonly store: LogStorePort;
  readonly tree: TreeReader;
  readonly logger?: Logger | undefined;
  /** Called with the cosigned checkpoint each time `quorum` witnesses (at least 1) cosigned. */
  readonly onCosigned: (checkpoint: StoredCheckpoint) => void;
  /** Pause after a round that missed the quorum, in ms. Default 1000. */
  readonly retryDelayMs?: number | undefined;
}

/** A witness that did not cosign in the latest round, and why (what a waiting writer is told). */
export interface WitnessFailure {
  readonly name: string;
  readonly url: string;
  readonly reason: string;
}

/** The latest cosigning round: how far it got towards the quorum, and who failed. */
export interface CosigningRound {
  readonly size: number;
  readonly cosigned: number;
  readonly quorum: number;
  readonly failed: readonly WitnessFailure[];
}

/**
 * Asks every witness to cosign the log's latest checkpoint, one round at a time: checkpoints
 * signed while a round is in flight are coalesced into the next round's (the latest) one, so the
 * witnesses see at most one request per round trip whatever the batch rate. A round that gathers
 * the quorum stores the cosigned note and reports it (which acknowledges the writers waiting on
 * it); a round that misses it is retried after a pause.
 */
export class Cosigner {
  readonly #options: CosignerOptions;
  /** What each witness last told us its size for this log is (starts unknown: ask with old 0). */
  readonly #witnessSizes = new Map<WitnessEndpoint, number>();
  #latest: StoredCheckpoint | undefined;
  #cosignedSize = -1;
  #running: Promise<void> | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #lastRound: CosigningRound | undefined;

  constructor(options: CosignerOptions) {
    if (options.quorum > options.witnesses.length) {
      throw new LogError(
        'LOG_USAGE',
        `a witness quorum of ${options.quorum} cannot be met by ${options.witnesses.length} witness(es)`,
      );
    }
    this.#options = options;
  }

  /** Offers a newly signed checkpoint; the next round cosigns the latest one offered. */
  offer(checkpoint: StoredCheckpoint): void {
    if (this.#options.witnesses.length === 0 || this.#stopped) return;
    if (this.#latest !== undefined && checkpoint.size < this.#latest.size) return;
    this.#latest = checkpoint;
    this.#wake?.();
    this.#running ??= this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  /** The latest round's outcome; undefined before the first round ends. */
  get lastRound(): CosigningRound | undefined {
    return this.#lastRound;
  }

  /** How many witnesses must cosign before a writer is answered (at least 1 with any witness). */
  get quorum(): number {
    return Math.max(1, this.#options.quorum);
  }

  /** True once `stop` was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Stops after the round in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      const checkpoint = this.#latest;
      if (checkpoint === undefined || checkpoint.size <= this.#cosignedSize) return;
      let reached = false;
      try {
        reached = await this.#round(checkpoint);
      } catch (error) {
        // Storing the cosigned note failed: the round counts as missed and is retried.
        this.#options.logger?.error({ err: error }, 'storing the cosigned checkpoint failed');
      }
      if (!reached && !this.stopped) await this.#pause(this.#options.retryDelayMs ?? 1000);
    }
  }

  async #round(checkpoint: StoredCheckpoint): Promise<boolean> {
    const { witnesses, logger } = this.#options;
    const results = await Promise.allSettled(witnesses.map((w) => this.#ask(w, checkpoint)));
    const lines: string[] = [];
    const failed: WitnessFailure[] = [];
    results.forEach((result, i) => {
      const witness = witnesses[i];
      if (result.status === 'fulfilled') lines.push(result.value);
      else {
        failed.push({
          name: witness?.verifier.name ?? '',
          url: witness?.url ?? '',
          reason: reasonOf(result.reason),
        });
        logger?.warn(
          { witness: witness?.url, err: result.reason as unknown },
          'a witness did not cosign the checkpoint',
        );
      }
    });
    const quorum = this.quorum;
    this.#lastRound = { size: checkpoint.size, cosigned: lines.length, quorum, failed };
    if (lines.length < quorum) {
      logger?.warn(
        { size: checkpoint.size, cosigned: lines.length, quorum },
        'the witness quorum was not reached; retrying',
      );
      return false;
    }
    const cosignedNote = checkpoint.note + lines.join('');
    await this.#options.store.saveCosignedCheckpoint(checkpoint.size, cosignedNote);
    this.#cosignedSize = checkpoint.size;
    this.#options.onCosigned({ ...checkpoint, cosignedNote });
    return true;
  }

  /** One witness's cosignature line(s) for `checkpoint`, following its 409 answers. */
  async #ask(witness: WitnessEndpoint, checkpoint: StoredCheckpoint): Promise<string> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const oldSize = Math.min(this.#witnessSizes.get(witness) ?? 0, checkpoint.size);
      const proof = await this.#options.tree.compute(checkpoint.size, (read) =>
        consistencyProof(oldSize, checkpoint.size, read),
      );
      const answer = await requestCosignature(witness.url, {
        oldSize,
        proof,
        checkpoint: checkpoint.note,
      });
      if (answer.kind === 'conflict') {
        // tlog-witness 409: the witness holds another size; ask again from there.
        if (answer.size > checkpoint.size) {
          throw new LogError(
            'LOG_WITNESS_FAILED',
            `witness ${witness.url} has seen size ${answer.size}, beyond this log's ${checkpoint.size}`,
          );
        }
        this.#witnessSizes.set(witness, answer.size);
        continue;
      }
      // The lines must be valid cosignatures by this witness over exactly this checkpoint.
      const lines = answer.body;
      openCheckpoint(checkpoint.note + lines, this.#options.logVerifier, {
        witnesses: [witness.verifier],
        quorum: 1,
      });
      this.#witnessSizes.set(witness, checkpoint.size);
      return lines;
    }
    throw new LogError('LOG_WITNESS_FAILED', `witness ${witness.url} kept answering 409`);
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        if (this.#stopped) done();
      };
    });
  }
}

/** One line of why a witness failed: its error's message (fetch errors carry the cause below). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const below = cause instanceof Error && cause.message !== '' ? ` (${cause.message})` : '';
  return `${error.message}${below}`.slice(0, 300);
}
