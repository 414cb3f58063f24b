import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The content codings a body is kept in, best first. */
export type Coding = 'br' | 'gzip' | 'identity';

/** Below this a compressed body saves less than its headers cost. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * One response body kept ready to send: its bytes, a strong entity tag of those bytes, and its
 * gzip and brotli forms, each made once on first demand, so a view read a thousand times is
 * serialised, hashed and compressed once.
 */
export class EncodedBody {
  readonly identity: Buffer;
  readonly etag: string;
  readonly type: string;
  #br: Buffer | undefined;
  #gzip: Buffer | undefined;

  constructor(body: Buffer, type: string) {
    this.identity = body;
    this.type = type;
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  }

  /** The coding to answer a request's `Accept-Encoding` with, and the bytes in that coding. */
  encoded(acceptEncoding: string | undefined): { coding: Coding; body: Buffer } {
    const coding = this.identity.length < COMPRESS_FROM_BYTES ? 'identity' : choose(acceptEncoding);
    if (coding === 'br') {
      // Quality 5: most of brotli's gain at a small share of its highest setting's time.
      this.#br ??= brotliCompressSync(this.identity, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 5 },
      });
      return { coding, body: this.#br };
    }
    if (coding === 'gzip') {
      this.#gzip ??= gzipSync(this.identity);
      return { coding, body: this.#gzip };
    }
    return { coding, body: this.identity };
  }

  /** Whether an `If-None-Match` header names this body (weak comparison, RFC 9110 §13.1.2). */
  matches(ifNoneMatch: string | undefined): boolean {
    if (ifNoneMatch === undefined) return false;
    return ifNoneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === this.etag);
  }
}

/** The best coding a client accepts (`br`, then `gzip`), honouring `;q=0` refusals. */
export function choose(acceptEncoding: string | undefined): Coding {
  if (acceptEncoding === undefined || acceptEncoding === '') return 'identity';
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return 'identity';
}
