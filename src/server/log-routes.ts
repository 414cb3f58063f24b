/**
 * The types a log server's route groups share, apart from `server.ts` that registers them, so a
 * route group never imports the module that imports it.
 */
import type { FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppendableLog } from '../log/appendable-log.js';
import type { TreeReader } from '../log/tree-reader.js';
import type { LogStorePort } from '../store/log-store-port.js';
import type { WriteAdmission } from './limits/write-admission.js';
import type { WitnessWait } from './routes/witness-wait.js';

/** The Fastify instance of a log server. */
export type LogServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse>;

/** What the log's route groups are handed. */
export interface LogRouteOptions {
  readonly log: AppendableLog;
  readonly store: LogStorePort;
  /** Reads tiles for proofs, with a cache of full tiles shared by all requests. */
  readonly tree: TreeReader;
  /** Admits write requests before their bodies are read (per client, buffered bytes). */
  readonly writes: WriteAdmission;
  /** The bounded wait for the witness quorum; none when no witness is configured. */
  readonly witnessWait?: WitnessWait | undefined;
}
