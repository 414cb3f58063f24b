import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { outcomeOf } from '../errors/catalogue.js';
import { isNospyError } from '../errors/nospy-error.js';
import { MAX_ENTRY_BYTES } from '../tlog/tiles.js';

/** The one shape of every error the HTTP API answers. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** Sends `{error: {code, message}}` with the status the error catalogue gives the code. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
): FastifyReply {
  const body: ErrorBody = { error: { code, message } };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Maps whatever a handler threw to the JSON error shape: our own errors through the catalogue,
 * Fastify's request errors (body too large, bad content) to their 4xx, anything else to 500
 * without leaking internals.
 */
export function replyWithError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (isNospyError(error)) {
    const { http } = outcomeOf(error.code);
    if (http >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(reply, http, error.code, error.message);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendError(
      reply,
      413,
      'LOG_ENTRY_TOO_LARGE',
      `an entry is at most ${MAX_ENTRY_BYTES} bytes (c2sp.org/tlog-tiles); this request body is larger`,
    );
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return sendError(reply, status, 'LOG_USAGE', fastifyError.message);
  }
  request.log.error({ err: error }, 'request failed');
  return sendError(reply, 500, 'INTERNAL', 'internal error');
}
