import { fastify, LogController, type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { TlogError } from '../tlog/errors.js';
import {
  decideAddCheckpoint,
  MAX_ADD_CHECKPOINT_BYTES,
  type WitnessState,
} from '../tlog/witness.js';
import type { NoteSigner, NoteVerifier } from '../tlog/note-key.js';
import type { WitnessStorePort } from '../store/witness-store-port.js';
import { errorHandler, sendError } from '../server/error-reply.js';
import { LogError } from './errors.js';
import type { LogServer } from '../server/log-routes.js';
import {
  httpServerOptions,
  serverLimits,
  type ServerLimits,
} from '../server/limits/server-limits.js';

export interface WitnessServerOptions {
  /** The witness's cosignature/v1 (type 0x04) key. */
  readonly signer: NoteSigner;
  /** The logs this witness follows (type 0x01 verifier keys; key name = origin). */
  readonly logs: readonly NoteVerifier[];
  readonly store: WitnessStorePort;
  readonly logger: Logger;
  /** Unix seconds; injectable for tests. */
  readonly now?: (() => number) | undefined;
  readonly onClose?: (() => Promise<void>) | undefined;
  /** Deadlines and the connection cap (the write admission is the log server's only). */
  readonly limits?: Partial<ServerLimits> | undefined;
}

/**
 * A c2sp.org/tlog-witness server: `POST /add-checkpoint`. Requests are decided one at a time by
 * the pure `decideAddCheckpoint`; a 200's new state is written to the store (one fsynced
 * transaction) BEFORE the cosignature is sent, so a witness never cosigns a checkpoint it could
 * forget — after a crash it still refuses anything inconsistent with what it cosigned.
 */
export async function createWitnessServer(options: WitnessServerOptions): Promise<LogServer> {
  const knownLogs = new Map<string, NoteVerifier[]>();
  for (const key of options.logs)
    knownLogs.set(key.name, [...(knownLogs.get(key.name) ?? []), key]);
  const states = new Map<string, WitnessState>();
  for (const state of await options.store.all()) states.set(state.origin, state);
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  const fastifyLogger: FastifyBaseLogger = options.logger;
  const limits = serverLimits(options.limits);
  const app = fastify({
    // Any log may post: a slow one must not hold the witness beyond these deadlines.
    ...httpServerOptions(limits),
    loggerInstance: fastifyLogger,
    bodyLimit: MAX_ADD_CHECKPOINT_BYTES,
    // What the router refuses before any route runs (a path parameter past its length, a URL that
    // does not decode) is answered in the API's error shape too, not Fastify's own.
    frameworkErrors: (error, _request, reply) => {
      void sendError(reply, error);
    },
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.server.maxConnections = limits.maxConnections;
  app.setErrorHandler(
    errorHandler(
      (limit) =>
        new TlogError(
          'TLOG_WITNESS_REQUEST_TOO_LARGE',
          `an add-checkpoint request is at most ${limit} bytes (c2sp.org/tlog-witness); this request body is larger`,
        ),
    ),
  );
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new LogError('LOG_NOT_FOUND', `no such resource: ${request.method} ${request.url}`),
    ),
  );
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  // One decision at a time: the check against the latest state and its update are one step.
  let queue: Promise<unknown> = Promise.resolve();
  app.post('/add-checkpoint', { bodyLimit: MAX_ADD_CHECKPOINT_BYTES }, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const decide = async () => {
      const decision = decideAddCheckpoint({
        request: body,
        knownLogs,
        latestSize: (origin) => states.get(origin)?.size,
        latestRoot: (origin) => states.get(origin)?.rootHash,
        witness: options.signer,
        now: now(),
      });
      if (decision.newState !== undefined) {
        const next = decision.newState;
        const stored = await options.store.advance(next, states.get(next.origin)?.size);
        if (!stored) throw new Error(`witness state for ${next.origin} changed under a request`);
        states.set(next.origin, next);
      }
      return decision;
    };
    const result = queue.then(decide);
    queue = result.catch(() => undefined);
    const decision = await result;
    if (decision.status !== 200) {
      request.log.info(
        { status: decision.status, reason: decision.body.trim() },
        'add-checkpoint refused',
      );
    }
    return reply.code(decision.status).type(decision.contentType).send(decision.body);
  });
  app.addHook('onClose', async () => {
    await queue;
    await options.onClose?.();
  });
  return app;
}
