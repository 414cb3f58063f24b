/**
 * Bounded HTTP reads of a log's tlog-tiles API, shared by the monitor and the check: an
 * unreachable log (connection refused, timeout, 5xx, 429) is LOG_UNREACHABLE (exit 2); anything
 * else a log that signed a size must serve but did not, or served too much of, is LOG_INCONSISTENT.
 */
import { LogError } from './errors.js';

/** GETs `url` and returns at most `limit` bytes of its 200 body. */
export async function fetchBounded(url: string, limit: number, timeoutMs: number): Promise<Buffer> {
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
  if (response.status !== 200) {
    await response.body?.cancel();
    // A log that signed a size must serve every tile of it.
    throw new LogError('LOG_INCONSISTENT', `${url} answered ${response.status}`, { where: url });
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel();
    throw new LogError(
      'LOG_INCONSISTENT',
      `${url} is ${declared} bytes, more than the ${limit} expected`,
      {
        where: url,
      },
    );
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > limit) {
    throw new LogError(
      'LOG_INCONSISTENT',
      `${url} is ${body.length} bytes, more than the ${limit} expected`,
      {
        where: url,
      },
    );
  }
  return body;
}

/** Runs `work` over `items` with at most `limit` in flight; the first failure rejects. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
