/**
 * `PUT /v1/blobs/sha256:<hex>` and `GET /v1/blobs/sha256:<hex>`: the HTTP face of the blob store.
 * A fastify plugin (register it; do not wrap it with fastify-plugin: its catch-all body parser
 * must stay inside its own encapsulation context).
 *
 * PUT needs the operator's bearer token or a vendor's signature over the digest
 * (`auth/blob-writer.ts`), checked before the body is read: 401 BLOB_UNAUTHORIZED otherwise. It
 * streams the body into the store, which hashes it: 201 created, 200 when already held
 * (idempotent), 400 bad digest, 413 too large (by Content-Length before reading, or while
 * reading), 422 content does not match the digest. GET answers the bytes with immutable caching
 * (a digest names one content forever), 304 on a matching If-None-Match, 404 when absent.
 * Errors are the API's `{"error": {"code", "message"}}` (`error-reply.ts`).
 */
import type { FastifyInstance } from 'fastify';
import { parseBlobDigest, type BlobStorePort } from '../../blobs/blob-store-port.js';
import { BlobError } from '../../blobs/errors.js';
import {
  authenticateBlobWriter,
  BLOB_SIGNATURE_HEADER,
  type BlobWriter,
  type BlobWriters,
} from '../auth/blob-writer.js';
import { auditWrite } from '../audit-line.js';
import { errorHandler } from '../error-reply.js';
import { admitWrite, type WriteAdmission } from '../limits/write-admission.js';

export interface BlobRoutesOptions {
  readonly store: BlobStorePort;
  /** Largest accepted body; match the store's bound (64 MiB by default). */
  readonly maxBytes?: number;
  /** Who may PUT: the operator token, the trust file's vendors. Neither given: no one may. */
  readonly writers: BlobWriters;
  /** Admits uploads per client before their bodies are read; none: no limit (a plugin alone). */
  readonly admission?: WriteAdmission | undefined;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

export function blobRoutes(
  app: FastifyInstance,
  options: BlobRoutesOptions,
  done: (err?: Error) => void,
): void {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const { store } = options;
  // Who was admitted, from the request's first hook to its handler, for the audit line.
  const writers = new WeakMap<object, BlobWriter>();

  // Blobs are opaque bytes (an SBOM is JSON, but it is stored, never parsed here): every content
  // type reaches the handler as the raw request stream.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, parsed) => {
    parsed(null, payload);
  });

  // Its own handler, not the log's: this plugin may be registered on a server of its own.
  app.setErrorHandler(
    errorHandler(
      (limit) =>
        new BlobError('BLOB_TOO_LARGE', `a blob is at most ${limit} bytes; this one is larger`),
    ),
  );

  app.put<{ Params: { digest: string } }>(
    '/v1/blobs/:digest',
    {
      bodyLimit: maxBytes,
      // Before the body is read: a refused writer costs no buffering or hashing. What it throws
      // is answered by the error handler.
      onRequest: [
        (request, _reply, done) => {
          const hex = parseBlobDigest(request.params.digest);
          const signature = request.headers[BLOB_SIGNATURE_HEADER];
          const writer = authenticateBlobWriter(options.writers, hex, {
            authorization: request.headers.authorization,
            signature: typeof signature === 'string' ? signature : undefined,
          });
          if ('refused' in writer) throw new BlobError('BLOB_UNAUTHORIZED', writer.refused);
          request.log.info({ digest: `sha256:${hex}`, writer }, 'blob upload');
          writers.set(request, writer);
          done();
        },
        // Streamed to disk, never buffered: counted per client only.
        ...(options.admission === undefined ? [] : [admitWrite(options.admission, 'streamed')]),
      ],
    },
    async (request, reply) => {
      const hex = parseBlobDigest(request.params.digest);
      const declared = Number(request.headers['content-length'] ?? Number.NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        throw new BlobError(
          'BLOB_TOO_LARGE',
          `the body is ${declared} bytes, more than the ${maxBytes} allowed`,
          {
            where: request.params.digest,
          },
        );
      }
      const body = request.body as AsyncIterable<Uint8Array> | undefined;
      const result = await store.put(hex, body ?? new Uint8Array(0));
      const writer = writers.get(request);
      auditWrite(request.log, {
        action: 'blob.put',
        by:
          writer === undefined
            ? { token: 'unknown' }
            : writer.kind === 'operator'
              ? { token: writer.token }
              : { keys: [writer.key] },
        digest: `sha256:${hex}`,
        created: result.created,
      });
      return reply
        .code(result.created ? 201 : 200)
        .header('location', `/v1/blobs/sha256:${hex}`)
        .send({ digest: `sha256:${hex}`, size: result.size, created: result.created });
    },
  );

  app.get<{ Params: { digest: string } }>('/v1/blobs/:digest', async (request, reply) => {
    const hex = parseBlobDigest(request.params.digest);
    const etag = `"sha256:${hex}"`;
    const blob = await store.get(hex);
    if (blob === undefined) {
      throw new BlobError('BLOB_NOT_FOUND', `no blob sha256:${hex}`, {
        where: request.params.digest,
      });
    }
    reply.header('cache-control', IMMUTABLE).header('etag', etag);
    if (request.headers['if-none-match'] === etag) {
      blob.stream.destroy();
      return reply.code(304).send();
    }
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', String(blob.size))
      .send(blob.stream);
  });
  done();
}
