/**
 * A log served over HTTP (c2sp.org/tlog-tiles, as `nospy serve` and any tlog-tiles server serve
 * it) as a {@link LogSource}. Every read is bounded while it is read, so a server that sends more
 * than a tile can hold never makes us buffer without end. Nothing answering, a timeout, a 5xx or
 * 429 is LOG_UNREACHABLE (try again later); any other answer than 200 or 404 to a path the signed
 * tree needs is a log that does not serve what it signed (LOG_UNVERIFIED).
 */
import { LogError } from '../errors.js';
import { UnverifiedLogError, type FailedPart } from './log-source.js';
import { TilesLogSource } from './tiles-log-source.js';

/** Requests in flight at once. */
const PARALLEL_REQUESTS = 16;

export interface UrlSourceOptions {
  readonly timeoutMs?: number | undefined;
}

/** `base` is the tiles prefix, e.g. `http://127.0.0.1:8080`. */
export function urlLogSource(base: string, options: UrlSourceOptions = {}): TilesLogSource {
  const prefix = base.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new TilesLogSource(`the log at ${prefix}`, PARALLEL_REQUESTS, (path, limit, failed) =>
    fetchBounded(`${prefix}/${path}`, limit, timeoutMs, failed),
  );
}

/** GETs `url`: its body (at most `limit` bytes), undefined on 404. */
export async function fetchBounded(
  url: string,
  limit: number,
  timeoutMs: number,
  failed: FailedPart,
): Promise<Buffer | undefined> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new LogError('LOG_UNREACHABLE', `${url}: ${(error as Error).message}`, {
      where: url,
      cause: error,
    });
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel();
    throw new LogError('LOG_UNREACHABLE', `${url} answered ${response.status}`, { where: url });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new UnverifiedLogError(failed, `${url} answered ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel();
    throw new UnverifiedLogError(
      failed,
      `${url} is ${declared} bytes, more than the ${limit} it can be`,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    if (response.body !== null) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        total += chunk.length;
        if (total > limit) {
          await response.body.cancel().catch(() => undefined);
          throw new UnverifiedLogError(failed, `${url} is more than the ${limit} bytes it can be`);
        }
        chunks.push(Buffer.from(chunk));
      }
    }
  } catch (error) {
    if (error instanceof LogError) throw error;
    throw new LogError('LOG_UNREACHABLE', `${url}: ${(error as Error).message}`, {
      where: url,
      cause: error,
    });
  }
  return Buffer.concat(chunks);
}
