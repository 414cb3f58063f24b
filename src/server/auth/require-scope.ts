import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { LogError } from '../../log/errors.js';
import type { AccessTokens } from './access-tokens.js';
import { bearerToken } from './bearer.js';
import { grants, type Scope } from './scopes.js';

/**
 * An onRequest hook admitting only a bearer token with `scope` (401 without a known token, 403
 * with one lacking the scope). For `read`, a server without a tokens file admits everyone: its
 * read API is open, which `nospy serve` allows on a loopback address only.
 */
export function requireScope(tokens: AccessTokens, scope: Scope): onRequestHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if ((scope === 'read' || scope === 'triage') && !tokens.guardsReads) {
      done();
      return;
    }
    const holder = tokens.holderOf(bearerToken(request.headers.authorization));
    if (holder === undefined) {
      // RFC 6750 §3: say which scheme a 401 wants.
      void reply.header('www-authenticate', `Bearer realm="nospy", scope="${scope}"`);
      done(
        new LogError(
          'LOG_UNAUTHORIZED',
          `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0] ?? ''} needs "Authorization: Bearer <token>" with the scope ${scope}`,
        ),
      );
      return;
    }
    if (!grants(holder.scopes, scope)) {
      done(
        new LogError(
          'LOG_FORBIDDEN',
          `this token (${holder.name || 'unnamed'}) has the scopes ${holder.scopes.join(', ')}, not ${scope}`,
        ),
      );
      return;
    }
    done();
  };
}
