import type { FastifyPluginAsync } from 'fastify';
import type { LogRouteOptions } from '../log-routes.js';

/**
 * `/healthz`: the process answers. `/readyz`: 200 while the log takes entries; 503 while it is
 * closing or stopped, while it audits its store before signing anything (with the audit's
 * progress), once an audit found the store does not verify or in read-only recovery (naming
 * what failed), and for a while after a write found the disk full (`store-full`, with
 * Retry-After; it turns 200 again at the next write that succeeds, or after that while).
 */
export const healthRoutes: FastifyPluginAsync<LogRouteOptions> = (app, options) => {
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', (_request, reply) => {
    const log = options.log;
    const size = log.checkpoint.size;
    const gate = log.writeGate?.state;
    if (gate !== undefined && gate.state === 'auditing') {
      return reply
        .code(503)
        .send({ status: 'auditing', size, audit: { entries: gate.done, total: gate.total } });
    }
    if (gate !== undefined && gate.state !== 'open') {
      const refusal = log.writeGate?.refusal;
      return reply.code(503).send({
        status: gate.state === 'read-only' ? 'read-only-recovery' : 'refusing-writes',
        size,
        reason: gate.reason,
        ...(gate.failed === undefined ? {} : { failed: gate.failed }),
        ...(gate.state === 'read-only' && gate.audit !== undefined
          ? { audit: { entries: gate.audit.done, total: gate.audit.total } }
          : {}),
        ...(refusal === undefined ? {} : { code: refusal.code }),
      });
    }
    const full = log.storeFull;
    if (full !== undefined) {
      // Writes would fail for want of space: a balancer sends them elsewhere meanwhile.
      return reply
        .code(503)
        .header('retry-after', String(full.retryAfterSeconds))
        .send({ status: 'store-full', size, reason: full.message, code: 'STORE_FULL' });
    }
    const ready = log.ready;
    // Which replica sequences, for operators and the failover test (docs/log.md).
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', size, sequencing: log.sequencing ?? true });
  });
  return Promise.resolve();
};
