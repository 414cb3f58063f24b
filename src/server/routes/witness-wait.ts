/**
 * A bounded wait for the witness quorum. A writer is answered only once the quorum cosigned a
 * checkpoint covering its entry; with the witnesses down that never happens, and a client (a
 * vendor's CI job) would hang. After `timeoutMs` the writer is answered 503 with `Retry-After`
 * and which witnesses failed; its entry stays sequenced, so the same request sent again is
 * answered with the same index once the quorum is back (the log de-duplicates).
 */
import type { FastifyReply } from 'fastify';
import type { CosigningRound } from '../../log/cosigner.js';
import { LogError } from '../../log/errors.js';
import type { Sequenced } from '../../log/acknowledgements.js';
import type { AppendableLog } from '../../log/appendable-log.js';

export interface WitnessWait {
  /** How long a writer waits for the quorum before it is answered 503. */
  readonly timeoutMs: number;
  /** The cosigner's latest round, to say who failed. */
  readonly round: () => CosigningRound | undefined;
  readonly quorum: number;
}

/** Without witnesses to wait for, or before the first round, a writer waits this long (ms). */
export const DEFAULT_WITNESS_WAIT_MS = 10_000;

/**
 * The seconds a client waits before it asks again: short, since the next request itself waits
 * for the quorum on the server.
 */
export const WITNESS_RETRY_AFTER_SECONDS = 1;

/** What a 503 tells a waiting writer besides its error: the quorum's progress and who failed. */
export interface WitnessProgress {
  readonly cosigned: number;
  readonly quorum: number;
  readonly failed: CosigningRound['failed'];
}

/** Thrown when the wait ends first; carries the progress the answer reports. */
export class WitnessPendingError extends LogError {
  readonly progress: WitnessProgress;
  constructor(message: string, progress: WitnessProgress) {
    super('LOG_WITNESS_PENDING', message);
    this.progress = progress;
  }
}

/** `log.add(entry)`, or WitnessPendingError when the quorum has not answered within the wait. */
export function addWithinWitnessWait(
  log: AppendableLog,
  entry: Buffer,
  wait: WitnessWait | undefined,
): Promise<Sequenced> {
  return withinWitnessWait(log.add(entry), wait);
}

/** An addition's answer, or WitnessPendingError when the quorum has not answered within the wait. */
export async function withinWitnessWait<T>(
  adding: Promise<T>,
  wait: WitnessWait | undefined,
): Promise<T> {
  if (wait === undefined) return adding;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
    }, wait.timeoutMs);
  });
  try {
    const first = await Promise.race([adding, timedOut]);
    if (first !== 'timeout') return first;
  } finally {
    clearTimeout(timer);
  }
  // The entry is sequenced and still waits; its later outcome (or a shutdown's rejection) is
  // no one's to hear any more.
  adding.catch(() => undefined);
  const round = wait.round();
  const progress: WitnessProgress = {
    cosigned: round?.cosigned ?? 0,
    quorum: wait.quorum,
    failed: round?.failed ?? [],
  };
  const who =
    progress.failed.length === 0
      ? 'no witness has answered yet'
      : progress.failed.map((f) => `${f.name} at ${f.url}: ${f.reason}`).join('; ');
  throw new WitnessPendingError(
    `the entry is sequenced but the witness quorum has not cosigned it within ${Math.round(
      wait.timeoutMs / 1000,
    )} s (${progress.cosigned}/${progress.quorum} cosignatures; ${who}); send the same request again to be answered once it has`,
    progress,
  );
}

/** Answers a WitnessPendingError: 503, a short Retry-After, the error and the quorum's progress. */
export function sendWitnessPending(reply: FastifyReply, error: WitnessPendingError): FastifyReply {
  reply.log.warn({ witnesses: error.progress }, 'a writer stopped waiting for the witness quorum');
  return reply
    .code(503)
    .header('retry-after', String(WITNESS_RETRY_AFTER_SECONDS))
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.message }, witnesses: error.progress });
}
