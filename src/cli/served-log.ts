/**
 * The log `nospy serve` runs, by where it is stored: on the embedded store a Sequencer in this
 * process; on PostgreSQL one replica of possibly several (src/log/replica/), which sequences
 * while it holds the database's sequencer lock and queues its writers' entries otherwise.
 */
import type { AppendableLog } from '../log/appendable-log.js';
import type { CosigningRound } from '../log/cosigner.js';
import { openLog, type OpenLogOptions } from '../log/open-log.js';
import { ReplicatedLog } from '../log/replica/replicated-log.js';
import type { LogStorePort } from '../store/log-store-port.js';
import { openPostgresPool } from '../store/postgres/pool.js';
import { PostgresReplicaSignals } from '../store/postgres/replica-signals.js';
import { PostgresSequencerLock } from '../store/postgres/sequencer-lock.js';
import { PostgresSubmissionQueue } from '../store/postgres/submission-queue.js';
import type { OpenedLogStores } from './log-store.js';

export interface ServedLog {
  readonly log: AppendableLog;
  readonly store: LogStorePort;
  /** The witnesses' latest cosigning round in this process (none while another replica sequences). */
  round(): CosigningRound | undefined;
  /** Stops the log and closes its store. Idempotent. */
  close(): Promise<void>;
}

export type ServedLogOptions = Omit<OpenLogOptions, 'store' | 'dataDir' | 'keepStoreOpen'>;

export async function openServedLog(
  stores: OpenedLogStores,
  options: ServedLogOptions,
): Promise<ServedLog> {
  const { location } = stores;
  if (location.kind === 'sqlite') {
    const opened = await openLog({ ...options, store: stores.log });
    return {
      log: opened.sequencer,
      store: opened.store,
      round: () => opened.cosigner.lastRound,
      close: () => opened.close(),
    };
  }
  // The queue's own connections: a replica's writers never wait for one a read holds.
  const pool = await openPostgresPool(location.url, { max: 3 });
  const signals = new PostgresReplicaSignals(location.url);
  const log = await ReplicatedLog.open({
    store: stores.log,
    lock: new PostgresSequencerLock(location.url),
    queue: new PostgresSubmissionQueue(pool),
    signals,
    verifier: options.signer,
    openSequencer: () => openLog({ ...options, store: stores.log, keepStoreOpen: true }),
    writeGate: options.writeGate,
    requireCosigned: (options.witnessQuorum ?? 0) > 0,
    logger: options.logger,
    maxQueuedEntries: options.maxQueuedEntries,
  }).catch(async (error: unknown) => {
    await signals.close();
    await pool.end();
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    log,
    store: stores.log,
    round: () => log.term?.cosigner.lastRound,
    close() {
      closing ??= (async () => {
        await log.close();
        await pool.end();
        await stores.log.close();
      })();
      return closing;
    },
  };
}
