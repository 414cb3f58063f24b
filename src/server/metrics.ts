import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { onRequestHookHandler } from 'fastify';
import type { AppendableLog } from '../log/appendable-log.js';
import type { ApiSnapshotSource } from './api/api-snapshot.js';
import type { LogServer } from './log-routes.js';

export interface MetricsOptions {
  readonly log: AppendableLog;
  /** When set, `nospy_findings{kind}` reports the current report's findings. */
  readonly snapshots?: ApiSnapshotSource | undefined;
  /** Who may read `/metrics` (an onRequest hook); everyone without one. */
  readonly guard?: onRequestHookHandler | undefined;
}

/**
 * `GET /metrics` in the Prometheus text format: an HTTP request histogram (one onResponse hook,
 * labelled by route pattern, never by raw URL, so labels stay bounded), the log's size and
 * findings by kind. A registry per
 * server, so several servers in one process (tests) do not share counters.
 */
export function registerMetrics(app: LogServer, options: MetricsOptions): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'nospy_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'nospy_log_size',
    help: 'Entries in the log (latest checkpoint size)',
    registers: [registry],
    collect() {
      this.set(options.log.checkpoint.size);
    },
  });
  const snapshots = options.snapshots;
  if (snapshots !== undefined) {
    new Gauge({
      name: 'nospy_findings',
      help: 'Findings in the current report by kind',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        const snapshot = await snapshots.snapshot();
        this.reset();
        for (const finding of snapshot.findings) this.inc({ kind: finding.kind });
      },
    });
  }
  app.addHook('onResponse', (request, reply, done) => {
    requests.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
  app.get(
    '/metrics',
    {
      schema: { hide: true },
      ...(options.guard === undefined ? {} : { onRequest: options.guard }),
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
  return registry;
}
