import type { Logger } from 'pino';
import type { NoteSigner } from '../tlog/note-key.js';
import type { LogStorePort } from '../store/log-store-port.js';
import { SqliteLogStore } from '../store/sqlite/sqlite-log-store.js';
import { Cosigner, type WitnessEndpoint } from './cosigner.js';
import { LogError } from './errors.js';
import { Sequencer } from './sequencer.js';
import { TreeReader } from './tree-reader.js';
import type { WriteGate } from './store-audit/write-gate.js';

export interface OpenLogOptions {
  /** The data directory holding `nospy.db`; or an already opened store. */
  readonly dataDir?: string | undefined;
  readonly store?: LogStorePort | undefined;
  readonly signer: NoteSigner;
  readonly logger?: Logger | undefined;
  readonly witnesses?: readonly WitnessEndpoint[] | undefined;
  /** Witnesses that must cosign before an entry is acknowledged; default 0 (do not wait). */
  readonly witnessQuorum?: number | undefined;
  readonly maxBatchEntries?: number | undefined;
  readonly maxBatchDelayMs?: number | undefined;
  readonly maxQueuedEntries?: number | undefined;
  /** Closed while the server audits its store (see store-audit/); none for `nospy log add`. */
  readonly writeGate?: WriteGate | undefined;
  /** After a write found the disk full, how long /readyz says so (Sequencer's option). */
  readonly storeFullRetryMs?: number | undefined;
  /** Leave the store open on close (a replica's store outlives each of its sequencing terms). */
  readonly keepStoreOpen?: boolean | undefined;
}

/** A running log: its sequencer, store, and witness cosigner. */
export interface OpenLog {
  readonly sequencer: Sequencer;
  readonly store: LogStorePort;
  readonly cosigner: Cosigner;
  /** Sequences what is queued, stops cosigning, and closes the store. Idempotent. */
  close(): Promise<void>;
}

/** Opens (or creates) a log in a data directory and wires its witnesses. */
export async function openLog(options: OpenLogOptions): Promise<OpenLog> {
  const store = options.store ?? new SqliteLogStore(requireDir(options.dataDir));
  const witnesses = options.witnesses ?? [];
  const quorum = options.witnessQuorum ?? 0;
  let sequencer: Sequencer | undefined;
  try {
    const cosigner = new Cosigner({
      witnesses,
      quorum,
      logVerifier: options.signer,
      store,
      tree: new TreeReader((level, index) => store.readTile(level, index)),
      logger: options.logger,
      onCosigned: (checkpoint) => sequencer?.markCosigned(checkpoint),
    });
    sequencer = await Sequencer.open({
      store,
      signer: options.signer,
      logger: options.logger,
      maxBatchEntries: options.maxBatchEntries,
      maxBatchDelayMs: options.maxBatchDelayMs,
      maxQueuedEntries: options.maxQueuedEntries,
      awaitCosigning: quorum > 0,
      writeGate: options.writeGate,
      storeFullRetryMs: options.storeFullRetryMs,
      onCheckpoint: (checkpoint) => {
        cosigner.offer(checkpoint);
      },
    });
    const opened = sequencer;
    // The latest checkpoint may predate this start: offer it so witnesses catch up.
    if (opened.checkpoint.cosignedNote === undefined) cosigner.offer(opened.checkpoint);
    let closing: Promise<void> | undefined;
    return {
      sequencer: opened,
      store,
      cosigner,
      close() {
        closing ??= (async () => {
          await opened.close();
          await cosigner.stop();
          opened.abandonAwaiting(
            new LogError(
              'LOG_CLOSED',
              'the log closed before the witness quorum cosigned the entry',
            ),
          );
          if (options.keepStoreOpen !== true) await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    if (options.keepStoreOpen !== true) await store.close();
    throw error;
  }
}

function requireDir(dir: string | undefined): string {
  if (dir === undefined) throw new Error('openLog needs a data directory or a store');
  return dir;
}
