/**
 * The demo's witness: the same c2sp.org/tlog-witness server `nospy witness serve` runs (its
 * state in its own data directory), on 127.0.0.1 at a free port, following the demo log.
 */
import type { Logger } from 'pino';
import { createWitnessServer } from '../log/witness-server.js';
import { SqliteWitnessStore } from '../store/sqlite/sqlite-witness-store.js';
import type { NoteSigner, NoteVerifier } from '../tlog/note-key.js';

export interface RunningWitness {
  /** The submission prefix (`<url>/add-checkpoint`). */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a witness cosigning with `signer` (a cosignature/v1 key) for the log `log`. */
export async function startDemoWitness(
  dataDir: string,
  signer: NoteSigner,
  log: NoteVerifier,
  logger: Logger,
): Promise<RunningWitness> {
  const store = new SqliteWitnessStore(dataDir);
  const app = await createWitnessServer({
    signer,
    logs: [log],
    store,
    logger,
    onClose: () => store.close(),
  });
  let url: string;
  try {
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    throw error;
  }
  return { url, close: () => app.close() };
}
