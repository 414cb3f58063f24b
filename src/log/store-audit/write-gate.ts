/**
 * Whether a log server may write (sign) anything: not while it is still auditing what it stores,
 * never once an audit found the store does not verify, and never in read-only recovery. The
 * sequencer refuses entries through it, the server refuses every write request through it, and
 * `/readyz` reports it.
 */
import { LogError } from '../errors.js';
import type { FailedPart } from '../verify/log-source.js';

export type GateState =
  | { readonly state: 'auditing'; readonly done: number; readonly total: number }
  | { readonly state: 'open' }
  | { readonly state: 'refusing'; readonly reason: string; readonly failed?: FailedPart }
  | {
      readonly state: 'read-only';
      readonly reason: string;
      readonly failed?: FailedPart;
      /** Set while the recovery-mode audit runs. */
      readonly audit?: { readonly done: number; readonly total: number };
    };

export class WriteGate {
  #state: GateState;

  /** Starts closed: auditing, or read-only for a server started in recovery mode. */
  constructor(mode: 'audit' | 'read-only') {
    this.#state =
      mode === 'audit'
        ? { state: 'auditing', done: 0, total: 0 }
        : {
            state: 'read-only',
            reason: 'started with --read-only-recovery: writes are refused',
            audit: { done: 0, total: 0 },
          };
  }

  get state(): GateState {
    return this.#state;
  }

  /** Why a write is refused now, or undefined when writes are allowed. */
  get refusal(): LogError | undefined {
    const s = this.#state;
    switch (s.state) {
      case 'open':
        return undefined;
      case 'auditing':
        return new LogError(
          'LOG_AUDITING',
          `the log is auditing its store before it signs anything (${s.done} of ${s.total} entries); retry shortly`,
        );
      case 'refusing':
      case 'read-only':
        return new LogError('LOG_READ_ONLY', `the log refuses writes: ${s.reason}`);
    }
  }

  /** Progress of the audit that keeps the gate closed. */
  progress(done: number, total: number): void {
    if (this.#state.state === 'auditing') this.#state = { state: 'auditing', done, total };
    else if (this.#state.state === 'read-only')
      this.#state = { ...this.#state, audit: { done, total } };
  }

  /** The audit passed: writes may start (a read-only server stays read-only). */
  open(): void {
    if (this.#state.state === 'auditing') this.#state = { state: 'open' };
    else if (this.#state.state === 'read-only') {
      this.#state = {
        state: 'read-only',
        reason:
          'started with --read-only-recovery: writes are refused (the audit found nothing wrong)',
      };
    }
  }

  /** An audit failed: no write, ever again, in this process. */
  refuse(reason: string, failed?: FailedPart): void {
    const cause = failed === undefined ? { reason } : { reason, failed };
    this.#state =
      this.#state.state === 'read-only'
        ? {
            state: 'read-only',
            ...cause,
            reason: `started with --read-only-recovery; the audit found: ${reason}`,
          }
        : { state: 'refusing', ...cause };
  }
}
