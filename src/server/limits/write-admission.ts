/**
 * Admission of write requests before their bodies are read: a client address may have only so
 * many writes in flight, and the bodies being buffered may hold only so many bytes together. A
 * slow or hostile client thus pins a bounded share of the server, whatever it sends.
 */
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { LogError } from '../../log/errors.js';

/** What a write costs while it is in flight. */
export interface WriteCost {
  /** The client's address (the TCP peer; a proxy in front makes every client one). */
  readonly client: string;
  /** Bytes the body may buffer: 0 for a body streamed to disk. */
  readonly bufferedBytes: number;
}

export class WriteAdmission {
  readonly #perClient: number;
  readonly #bufferBytes: number;
  readonly #inFlight = new Map<string, number>();
  #buffered = 0;

  constructor(limits: { readonly writesPerClient: number; readonly writeBufferBytes: number }) {
    this.#perClient = limits.writesPerClient;
    this.#bufferBytes = limits.writeBufferBytes;
  }

  /** Writes in flight and bytes reserved for their bodies (metrics, tests). */
  get usage(): { readonly writes: number; readonly bufferedBytes: number } {
    let writes = 0;
    for (const count of this.#inFlight.values()) writes += count;
    return { writes, bufferedBytes: this.#buffered };
  }

  /** Admits a write, returning its release (call once, when it is answered), or refuses it. */
  admit(cost: WriteCost): (() => void) | LogError {
    const count = this.#inFlight.get(cost.client) ?? 0;
    if (count >= this.#perClient) {
      return new LogError(
        'LOG_TOO_MANY_WRITES',
        `this client already has ${count} write requests in flight, the most one client may have; retry when one is answered`,
      );
    }
    if (this.#buffered + cost.bufferedBytes > this.#bufferBytes) {
      return new LogError(
        'LOG_OVERLOADED',
        'the server is buffering as many write bodies as it takes at once; retry shortly',
      );
    }
    this.#inFlight.set(cost.client, count + 1);
    this.#buffered += cost.bufferedBytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#buffered -= cost.bufferedBytes;
      const left = (this.#inFlight.get(cost.client) ?? 1) - 1;
      if (left === 0) this.#inFlight.delete(cost.client);
      else this.#inFlight.set(cost.client, left);
    };
  }
}

/**
 * An onRequest hook admitting a write whose body is at most `bodyLimit` bytes (`'streamed'`: not
 * buffered). It runs before the body is read, so a refused write costs its headers only. The
 * slot is released when the response ends or the connection closes, whichever comes first.
 */
export function admitWrite(
  admission: WriteAdmission,
  bodyLimit: number | 'streamed',
): onRequestHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const declared = Number(request.headers['content-length']);
    const bufferedBytes =
      bodyLimit === 'streamed'
        ? 0
        : Number.isSafeInteger(declared) && declared >= 0
          ? Math.min(declared, bodyLimit)
          : bodyLimit;
    const admitted = admission.admit({ client: request.ip, bufferedBytes });
    if (admitted instanceof LogError) {
      done(admitted);
      return;
    }
    reply.raw.once('close', admitted);
    done();
  };
}
