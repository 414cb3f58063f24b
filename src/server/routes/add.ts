import type { FastifyPluginAsync } from 'fastify';
import { LogError } from '../../log/errors.js';
import { MAX_ENTRY_BYTES } from '../../tlog/tiles.js';
import { bearerToken } from '../auth/bearer.js';
import type { AccessTokens } from '../auth/access-tokens.js';
import { grants } from '../auth/scopes.js';
import type { LogRouteOptions } from '../log-routes.js';
import { admitWrite } from '../limits/write-admission.js';
import { auditWrite } from '../audit-line.js';
import { addWithinWitnessWait, sendWitnessPending, WitnessPendingError } from './witness-wait.js';

export interface AddRouteOptions extends LogRouteOptions {
  /** A `submit` (or `admin`) token may add: the tokens file's or `--submit-token`. */
  readonly tokens: AccessTokens;
}

/**
 * `POST /add`: one raw entry as the request body, from a submitter holding the bearer token.
 * Answers `{"index": N, "leafHash": "<hex>"}` only once the entry is durable and in a signed
 * checkpoint (and cosigned by the witness quorum, when one is configured); when the quorum does
 * not answer within the witness wait, 503 with `Retry-After` and who failed (witness-wait.ts).
 */
export const addRoutes: FastifyPluginAsync<AddRouteOptions> = (
  app,
  { log, tokens, writes, witnessWait },
) => {
  // The token's name, from the authentication hook to the handler, for the audit line.
  const submitters = new WeakMap<object, string>();
  // Any content type: the entry is opaque bytes. The limit is enforced while reading, so an
  // oversized body is refused (413) without being buffered (Fastify checks Content-Length first).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: MAX_ENTRY_BYTES },
    (_req, body, done) => {
      done(null, body);
    },
  );

  // Authenticate before the body is read (onRequest runs before parsing); what it throws is
  // answered by the error handler.
  app.addHook('onRequest', (request, reply, done) => {
    const holder = tokens.holderOf(bearerToken(request.headers.authorization));
    if (holder !== undefined) submitters.set(request, holder.name);
    if (holder === undefined) {
      void reply.header('www-authenticate', 'Bearer realm="nospy", scope="submit"');
      throw new LogError(
        'LOG_UNAUTHORIZED',
        !tokens.anyGrants('submit')
          ? 'this log takes no submissions: it was started without a submit token'
          : 'POST /add needs the header "Authorization: Bearer <submit token>"',
      );
    }
    // A known token without the scope: 403, as the read API answers (RFC 6750 §3.1).
    if (!grants(holder.scopes, 'submit')) {
      throw new LogError(
        'LOG_FORBIDDEN',
        `this token (${holder.name || 'unnamed'}) has the scopes ${holder.scopes.join(', ')}, not submit`,
      );
    }
    done();
  });

  // After the token: a write slot is taken only by a submitter.
  app.post(
    '/add',
    { bodyLimit: MAX_ENTRY_BYTES, onRequest: admitWrite(writes, MAX_ENTRY_BYTES) },
    async (request, reply) => {
      const body = request.body;
      const entry = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      try {
        const { index, leafHash } = await addWithinWitnessWait(log, entry, witnessWait);
        auditWrite(request.log, {
          action: 'entry.add',
          by: { token: submitters.get(request) ?? 'unknown' },
          index,
          leafHash: leafHash.toString('hex'),
        });
        return await reply.send({ index, leafHash: leafHash.toString('hex') });
      } catch (error) {
        if (error instanceof WitnessPendingError) return sendWitnessPending(reply, error);
        throw error;
      }
    },
  );
  return Promise.resolve();
};
