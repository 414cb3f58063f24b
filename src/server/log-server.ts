/**
 * The types the server's route groups and hooks share with `server.ts`, in a module of their own
 * so that a route group never imports the module that registers it (no import cycle).
 */
import type { FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sequencer } from '../log/sequencer.js';
import type { TreeReader } from '../log/tree-reader.js';
import type { LogStore } from '../store/log-store.js';

/** The Fastify instance of a log server. */
export type LogServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse>;

/** What the log's route groups are handed. */
export interface LogRouteOptions {
  readonly log: Sequencer;
  readonly store: LogStore;
  /** Reads tiles for proofs, with a cache of full tiles shared by all requests. */
  readonly tree: TreeReader;
}
