import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorText } from '../errors/error-text.js';
import { isNospyError, type NospyError } from '../errors/nospy-error.js';
import { httpStatusOf } from './http-status.js';

/** The one shape of every error the HTTP API answers (docs/api.md). */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/**
 * What a 500 says instead of the error's message: those messages are written for the operator
 * and name server paths, database files and internals, so they go to the server's log only.
 */
export const INTERNAL_MESSAGE = "internal error: the server's log has the details";

/**
 * The `Retry-After` of a 503 (RFC 9110 §10.2.3): the store is full, the log overloaded, auditing
 * or closing. Each passes within seconds or needs the operator; either way a client that waits
 * this long before retrying does not add to the load. The sequencer's full-store window matches.
 */
export const RETRY_AFTER_SECONDS = 10;

/**
 * Answers `{"error": {"code", "message"}}` for whatever a route threw or refused: one of our
 * errors with the status of its code (`http-status.ts`), a Fastify request error (a malformed or
 * unacceptable request) as `LOG_USAGE` with the 4xx Fastify gives it, anything else as a 500
 * `INTERNAL`. A 5xx is logged with its cause; a 500 tells the client no more than its code.
 * Errors are never cached: the same request may succeed later (a tile beyond today's tree).
 */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, code, message } = answerOf(error);
  if (status >= 500) reply.log.error({ err: error }, 'request failed');
  const body: ErrorBody = { error: { code, message } };
  if (status === 503 || status === 429) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  // RFC 9110 §11.6.1 and RFC 6750 §3: a 401 says which scheme it wants (a route that knows
  // the scope it wants has said so already).
  if (status === 401 && !reply.hasHeader('www-authenticate'))
    reply.header('www-authenticate', 'Bearer realm="nospy"');
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(body);
}

/**
 * A Fastify error handler answering through `sendError`. A body over the route's limit is
 * answered with `tooLarge(limit)`: the error of what the route takes (an entry, an envelope, a
 * blob, a witness request), naming that route's own limit.
 */
export function errorHandler(
  tooLarge: (limitBytes: number) => NospyError,
): (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) =>
    sendError(reply, isBodyTooLarge(error) ? tooLarge(request.routeOptions.bodyLimit) : error);
}

/** Fastify refused a body over the route's limit, by Content-Length or while reading it. */
function isBodyTooLarge(error: unknown): boolean {
  return (error as { code?: unknown } | null | undefined)?.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
}

function answerOf(error: unknown): { status: number; code: string; message: string } {
  if (isNospyError(error)) {
    const status = httpStatusOf(error);
    // A code no route should meet is a bug: answered as INTERNAL.
    if (status === undefined) return { status: 500, code: 'INTERNAL', message: INTERNAL_MESSAGE };
    return { status, code: error.code, message: status === 500 ? INTERNAL_MESSAGE : error.message };
  }
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: 'LOG_USAGE', message: errorText(error) };
  }
  return { status: 500, code: 'INTERNAL', message: INTERNAL_MESSAGE };
}
