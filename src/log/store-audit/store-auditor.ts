/**
 * A log server vouches for what it serves: before it signs anything it audits its whole store
 * with the one log verifier (every entry against its leaf, every tile against the level above,
 * the tiles against its signed checkpoint), and it audits it again in full on a schedule while
 * it runs. Until the start-up audit passes the write gate stays closed; an audit that fails
 * closes it for good (the exact entry or tile is logged and reported by `/readyz`).
 *
 * A full audit ends with a signed watermark (`watermark.ts`), so a restart audits only the
 * entries appended since. A watermark cannot see a damaged old row, so the full audit still runs
 * in the background every `fullAuditEveryMs`, and at start when no valid watermark exists.
 */
import type { Logger } from 'pino';
import { isNospyError } from '../../errors/nospy-error.js';
import type { NoteSigner } from '../../tlog/note-key.js';
import { UnverifiedLogError, type FailedPart, type LogSource } from '../verify/log-source.js';
import { SqliteLogSource } from '../verify/sqlite-log-source.js';
import { verifyLog } from '../verify/verify-log.js';
import type { WatermarkStore } from './sqlite-watermark.js';
import { openWatermark, signWatermark, type AuditWatermark } from './watermark.js';
import type { WriteGate } from './write-gate.js';

/** Default interval of the full background re-audit: daily. */
export const DEFAULT_FULL_AUDIT_EVERY_MS = 24 * 60 * 60 * 1000;

export interface StoreAuditorOptions {
  /** The data directory; with `openSource`, what the store is called in a failure (its URL). */
  readonly dataDir: string;
  readonly signer: NoteSigner;
  readonly gate: WriteGate;
  readonly watermarks: WatermarkStore;
  readonly logger?: Logger | undefined;
  /** 0: no background re-audit. */
  readonly fullAuditEveryMs?: number | undefined;
  /** The clock (tests hand one in). */
  readonly now?: (() => number) | undefined;
  /** Opens the store for one audit; default: the data directory's database, read-only. */
  readonly openSource?: (() => LogSource | Promise<LogSource>) | undefined;
}

export interface AuditOutcome {
  readonly ok: boolean;
  /** 'full' from entry 0, or 'since' the watermark. */
  readonly scope: 'full' | 'since';
  readonly size: number;
  readonly entries: number;
  readonly seconds: number;
  readonly message?: string;
  readonly failed?: FailedPart;
}

export class StoreAuditor {
  readonly #options: StoreAuditorOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<AuditOutcome> | undefined;
  #abort = new AbortController();
  #stopped = false;

  constructor(options: StoreAuditorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The start-up audit: from the watermark when a valid one is kept, else in full. Opens the
   * gate when it passes, closes it for good when it fails; schedules the next full audit.
   */
  async start(): Promise<AuditOutcome> {
    const mark = await this.#watermark();
    const outcome = await this.#run(mark === undefined ? 'full' : 'since', mark);
    if (outcome.ok) this.#options.gate.open();
    if (outcome.ok) this.#schedule(mark === undefined ? this.#now() : mark.fullAuditAt * 1000);
    return outcome;
  }

  /** Stops the schedule and any audit in progress (on shutdown). Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#abort.abort(new Error('the server is closing'));
    await this.#running?.catch(() => undefined);
  }

  /** A full audit now (the scheduled one; tests call it). */
  auditNow(): Promise<AuditOutcome> {
    return this.#run('full', undefined);
  }

  async #watermark(): Promise<AuditWatermark | undefined> {
    const note = await this.#options.watermarks.read();
    if (note === undefined) return undefined;
    const mark = openWatermark(note, this.#options.signer);
    if (mark === undefined) {
      this.#options.logger?.warn(
        'the stored audit watermark does not verify under the log key: auditing the whole log',
      );
    }
    return mark;
  }

  #schedule(lastFullMs: number): void {
    const every = this.#options.fullAuditEveryMs ?? DEFAULT_FULL_AUDIT_EVERY_MS;
    if (every <= 0 || this.#stopped) return;
    const delay = Math.max(0, lastFullMs + every - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.auditNow().then((outcome) => {
        if (outcome.ok) this.#schedule(this.#now());
      });
    }, delay);
    this.#timer.unref();
  }

  #run(scope: 'full' | 'since', mark: AuditWatermark | undefined): Promise<AuditOutcome> {
    const previous = this.#running ?? Promise.resolve(undefined);
    const run = previous.then(() => this.#audit(scope, mark));
    this.#running = run;
    return run;
  }

  async #audit(scope: 'full' | 'since', mark: AuditWatermark | undefined): Promise<AuditOutcome> {
    const { gate, signer, logger } = this.#options;
    const started = this.#now();
    const seconds = () => (this.#now() - started) / 1000;
    let source: LogSource | undefined;
    try {
      source = (await this.#options.openSource?.()) ?? new SqliteLogSource(this.#options.dataDir);
      logger?.info({ scope, from: mark?.size ?? 0 }, 'auditing the stored log');
      const verified = await verifyLog(
        source,
        { logKey: signer, witnesses: [], quorum: 0 },
        {
          audited: mark === undefined ? undefined : { size: mark.size, rootHash: mark.rootHash },
          onProgress: (done, total) => {
            gate.progress(done, total);
          },
          signal: this.#abort.signal,
        },
      );
      const fullAuditAt = scope === 'full' ? Math.floor(started / 1000) : (mark?.fullAuditAt ?? 0);
      await this.#options.watermarks.write(
        signWatermark(
          { origin: signer.name, size: verified.size, rootHash: verified.rootHash, fullAuditAt },
          signer,
        ),
      );
      const outcome: AuditOutcome = {
        ok: true,
        scope,
        size: verified.size,
        entries: verified.entryCount,
        seconds: seconds(),
      };
      logger?.info(outcome, 'the stored log verified');
      return outcome;
    } catch (error) {
      if (this.#abort.signal.aborted) {
        return { ok: true, scope, size: 0, entries: 0, seconds: seconds(), message: 'stopped' };
      }
      // Whatever stopped the audit (a damaged file, a bug), the store is not vouched for.
      const message = error instanceof Error ? error.message : String(error);
      const failed: FailedPart =
        error instanceof UnverifiedLogError
          ? error.failed
          : { part: 'storage', what: this.#options.dataDir };
      gate.refuse(message, failed);
      logger?.fatal(
        { failed, code: isNospyError(error) ? error.code : 'INTERNAL', err: error },
        `the stored log does not verify; refusing to sign anything: ${message}`,
      );
      return { ok: false, scope, size: 0, entries: 0, seconds: seconds(), message, failed };
    } finally {
      await source?.close().catch(() => undefined);
    }
  }
}
