import { fastify, LogController, type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { LogStorePort } from '../store/log-store-port.js';
import type { AppendableLog } from '../log/appendable-log.js';
import { TreeReader } from '../log/tree-reader.js';
import { LogError } from '../log/errors.js';
import { errorHandler, sendError } from './error-reply.js';
import { tileRoutes } from './routes/tiles.js';
import { addRoutes } from './routes/add.js';
import { proofRoutes } from './routes/proof.js';
import { healthRoutes } from './routes/health.js';
import { statementRoutes } from './routes/statements.js';
import { statementSigstoreRoutes } from './routes/statement-sigstore.js';
import type { WitnessWait } from './routes/witness-wait.js';
import { blobRoutes } from './resources/blobs.js';
import type { BlobStorePort } from '../blobs/blob-store-port.js';
import { StatementIndexer } from '../statements/log-index.js';
import { StatementAcceptPool } from './accept/accept-pool.js';
import { availableParallelism } from 'node:os';
import type { Trust } from '../statements/trust.js';
import type { ApiSnapshotSource } from './api/api-snapshot.js';
import { readApiRoutes } from './resources/read-api.js';
import { registerOpenApi } from './openapi.js';
import { registerMetrics } from './metrics.js';
import { dashboardRoutes } from './dashboard.js';
import type { LogRouteOptions, LogServer } from './log-routes.js';
import { httpServerOptions, serverLimits, type ServerLimits } from './limits/server-limits.js';
import { WriteAdmission } from './limits/write-admission.js';
import { AccessTokens } from './auth/access-tokens.js';
import { requireScope } from './auth/require-scope.js';
import type { FindingStorePort } from '../store/finding-store-port.js';

export type { LogRouteOptions, LogServer } from './log-routes.js';

export interface ServerOptions {
  readonly log: AppendableLog;
  readonly store: LogStorePort;
  readonly logger: Logger;
  /** Bearer token for `POST /add`; without one, submissions are refused (401). */
  readonly submitToken?: string | undefined;
  /**
   * The tokens the server takes (a tokens file and the submit token). With a tokens file the
   * read API and `/metrics` need a `read` token; without `tokens`, the submit token alone and
   * an open read API.
   */
  readonly tokens?: AccessTokens | undefined;
  /** The trust file statements are verified against; without it POST /v1/statements answers 503. */
  readonly trust?: Trust | undefined;
  /** When set, POST /v1/statements also needs this bearer token (vendors still sign). */
  readonly statementToken?: string | undefined;
  /** The blob store behind `PUT`/`GET /v1/blobs/sha256:<hex>`; no blob routes without one. */
  readonly blobs?: BlobStorePort | undefined;
  /** The read API's data (findings, devices, vendors…); without one, no `/v1` read routes. */
  readonly snapshots?: ApiSnapshotSource | undefined;
  /** Finding history and triage (`/v1/findings/<id>/triage`); none without one. */
  readonly findingStore?: FindingStorePort | undefined;
  /** A built dashboard directory (web/dist) served at `/`; none without one. */
  readonly dashboard?: string | undefined;
  /** Deadlines, the connection cap and write admission; defaults in `limits/server-limits.ts`. */
  readonly limits?: Partial<ServerLimits> | undefined;
  /**
   * The bounded wait for the witness quorum on `POST /add` and `POST /v1/statements`: after it a
   * writer is answered 503 with Retry-After and who failed, instead of waiting forever.
   */
  readonly witnessWait?: WitnessWait | undefined;
  /** Runs when the server closes, after in-flight requests finished (e.g. close the store). */
  readonly onClose?: (() => Promise<void>) | undefined;
  /**
   * Worker threads that verify `POST /v1/statements` submissions (default: one per core, at most
   * four); 0 verifies them on the event loop.
   */
  readonly statementThreads?: number | undefined;
}

/**
 * The HTTP server of a log: the c2sp.org/tlog-tiles read API at the root, `POST /add`,
 * `GET /proof/<index>`, `/healthz` and `/readyz`, the statement API (`/v1/statements`) and the
 * blob store (`/v1/blobs`). Each route group is a plugin so later features
 * register theirs beside them. Closing it lets in-flight appends finish, sequences whatever is
 * still queued (signing the final checkpoint), then runs `onClose`.
 */
export function createServer(options: ServerOptions): LogServer {
  const fastifyLogger: FastifyBaseLogger = options.logger;
  const limits = serverLimits(options.limits);
  const app = fastify({
    ...httpServerOptions(limits),
    loggerInstance: fastifyLogger,
    // No body is larger than one entry; routes that need less say so themselves.
    bodyLimit: 65_535,
    return503OnClosing: true,
    // What the router refuses before any route runs (a path parameter past its length, a URL that
    // does not decode) is answered in the API's error shape too, not Fastify's own.
    frameworkErrors: (error, _request, reply) => {
      void sendError(reply, error);
    },
    // Per-request log lines would dominate at thousands of appends per second.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // Beyond the cap Node closes a new connection before reading a byte of it.
  app.server.maxConnections = limits.maxConnections;
  const tokens = options.tokens ?? new AccessTokens({ submitToken: options.submitToken });
  const routeOptions: LogRouteOptions = {
    log: options.log,
    store: options.store,
    tree: new TreeReader((level, index) => options.store.readTile(level, index)),
    writes: new WriteAdmission(limits),
    witnessWait: options.witnessWait,
  };
  app.setErrorHandler(
    errorHandler(
      (limit) =>
        new LogError(
          'LOG_ENTRY_TOO_LARGE',
          `an entry is at most ${limit} bytes (c2sp.org/tlog-tiles); this request body is larger`,
        ),
    ),
  );
  // No write of any kind while the log's write gate is closed (auditing, or an audit failed).
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
      return;
    const refusal = options.log.writeGate?.refusal;
    if (refusal !== undefined) await sendError(reply, refusal);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new LogError('LOG_NOT_FOUND', `no such resource: ${request.method} ${request.url}`),
    ),
  );
  // Before every route: swagger documents the routes registered after it.
  registerOpenApi(app, '0.1.0');
  // Metrics count the operator's findings by kind: a read token's business.
  registerMetrics(app, {
    log: options.log,
    snapshots: options.snapshots,
    guard: requireScope(tokens, 'read'),
  });
  void app.register(healthRoutes, routeOptions);
  void app.register(tileRoutes, routeOptions);
  void app.register(proofRoutes, routeOptions);
  void app.register(addRoutes, { ...routeOptions, tokens });
  const statementOptions = {
    ...routeOptions,
    trust: options.trust,
    statementToken: options.statementToken,
    indexer: new StatementIndexer(options.store),
    acceptPool:
      options.trust === undefined
        ? undefined
        : new StatementAcceptPool(
            options.trust,
            options.statementThreads ?? defaultStatementThreads(),
          ),
  };
  void app.register(statementRoutes, statementOptions);
  void app.register(statementSigstoreRoutes, statementOptions);
  const snapshots = options.snapshots;
  if (snapshots !== undefined)
    // The operator's findings, devices, inventory and traffic: a `read` token, checked on the
    // headers of every request of this scope before its route runs.
    void app.register(async (scope) => {
      scope.addHook('onRequest', requireScope(tokens, 'read'));
      await scope.register(readApiRoutes, {
        snapshots,
        findingStore: options.findingStore,
        tokens,
      });
    });
  if (options.dashboard !== undefined)
    void app.register(dashboardRoutes, { dir: options.dashboard });
  // Registered as is (not through fastify-plugin): its body parser must stay in its own scope.
  if (options.blobs !== undefined)
    void app.register(blobRoutes, {
      store: options.blobs,
      // The same writers as the other write routes: the operator's token, the vendors' keys.
      writers: { tokens, trust: options.trust },
      admission: routeOptions.writes,
    });
  app.addHook('onClose', async () => {
    await statementOptions.acceptPool?.close();
    await options.log.close();
    await options.onClose?.();
  });
  return app;
}

/**
 * One per core, at most four: the event loop mostly waits for commits while statements are
 * verified, so a thread per core keeps every core busy.
 */
function defaultStatementThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}
