/**
 * The sequencer's side of the submission queue: it claims what the other replicas queued, adds
 * each submission to its own log as one group, and removes it from the queue once the group is
 * in a signed checkpoint. A submission whose batch failed is given back to be claimed again; one
 * claimed when the sequencer dies stays in the queue, and the next sequencer claims it (a copy
 * already sequenced gets its first index: the log de-duplicates by leaf hash).
 */
import type { Logger } from 'pino';
import type { Sequenced } from '../acknowledgements.js';
import type { Submission, SubmissionQueuePort } from './replica-ports.js';

export interface SubmissionDrainOptions {
  readonly queue: SubmissionQueuePort;
  readonly addGroup: (entries: readonly Uint8Array[]) => Promise<Sequenced[]>;
  /** This sequencing term's name: a claim by any other term is taken over. */
  readonly term: string;
  /** Entries claimed and not yet in a checkpoint at most (a bound on memory and on the log's queue). */
  readonly maxInFlight: number;
  /** How long to wait for a notification before looking at the queue again, in ms. */
  readonly pollMs: number;
  readonly logger?: Logger | undefined;
}

/** Submissions claimed with one statement at most. */
const CLAIM_LIMIT = 4_096;

export class SubmissionDrain {
  readonly #options: SubmissionDrainOptions;
  #inFlight = 0;
  #sequenced: number[] = [];
  #failed: number[] = [];
  #wake: (() => void) | undefined;
  /** A poke that came while not sleeping: the next sleep returns at once. */
  #poked = false;
  #stopped = false;
  #running: Promise<void> | undefined;

  constructor(options: SubmissionDrainOptions) {
    this.#options = options;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  /** New submissions were queued (a notification): look now. */
  poke(): void {
    if (this.#wake === undefined) this.#poked = true;
    else this.#wake();
  }

  /** Stops claiming; what was claimed stays in the queue until its group is removed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.poke();
    await this.#running;
    await this.#bookkeeping();
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      await this.#bookkeeping();
      const room = Math.min(CLAIM_LIMIT, this.#options.maxInFlight - this.#inFlight);
      if (room <= 0) {
        await this.#sleep(this.#options.pollMs);
        continue;
      }
      let claimed: Submission[];
      try {
        claimed = await this.#options.queue.claim(this.#options.term, room);
      } catch (error) {
        this.#options.logger?.warn({ err: error }, 'cannot claim queued entries; retrying');
        await this.#sleep(this.#options.pollMs);
        continue;
      }
      for (const submission of claimed) this.#take(submission);
      if (claimed.length === 0) await this.#sleep(this.#options.pollMs);
    }
  }

  #take(submission: Submission): void {
    this.#inFlight += submission.entries.length;
    this.#options.addGroup(submission.entries).then(
      () => {
        this.#inFlight -= submission.entries.length;
        this.#sequenced.push(submission.id);
        this.poke();
      },
      (error: unknown) => {
        this.#inFlight -= submission.entries.length;
        this.#failed.push(submission.id);
        this.#options.logger?.warn(
          { err: error, submission: submission.id },
          'a queued submission was not sequenced; giving it back',
        );
        this.poke();
      },
    );
  }

  /** Removes what is sequenced and gives back what failed, each with one statement. */
  async #bookkeeping(): Promise<void> {
    const sequenced = this.#sequenced;
    const failed = this.#failed;
    this.#sequenced = [];
    this.#failed = [];
    try {
      await this.#options.queue.remove(sequenced);
    } catch (error) {
      // Left in the queue: the next claim re-sequences them, at the index they already have.
      this.#options.logger?.warn({ err: error }, 'cannot remove sequenced entries from the queue');
    }
    try {
      await this.#options.queue.release(failed);
    } catch {
      // Claimed by a term that ends with this sequencer: the next one takes them over.
    }
    // A pause before claiming them again, whatever wakes the loop: a failing store is not hammered.
    if (failed.length > 0)
      await new Promise((resolve) => setTimeout(resolve, this.#options.pollMs));
  }

  #sleep(ms: number): Promise<void> {
    if (this.#poked || this.#stopped) {
      this.#poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
