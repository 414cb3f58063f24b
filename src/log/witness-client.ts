import { formatAddCheckpointRequest } from '../tlog/witness.js';
import { LogError } from './errors.js';

/** A witness answer is a few signature lines; anything longer is not a witness talking. */
const MAX_ANSWER_BYTES = 64 * 1024;
const TIMEOUT_MS = 10_000;

export type AddCheckpointAnswer =
  | { readonly kind: 'cosigned'; readonly body: string }
  | { readonly kind: 'conflict'; readonly size: number };

/**
 * POSTs one c2sp.org/tlog-witness add-checkpoint request to `<url>/add-checkpoint`. A 200 gives
 * the cosignature line(s); a 409 gives the size the witness holds (body `<size>\n`, type
 * text/x.tlog.size); every other status is an error naming the witness and its answer.
 */
export async function requestCosignature(
  url: string,
  request: {
    readonly oldSize: number;
    readonly proof: readonly Buffer[];
    readonly checkpoint: string;
  },
): Promise<AddCheckpointAnswer> {
  const target = `${url.replace(/\/+$/, '')}/add-checkpoint`;
  let response: Response;
  try {
    response = await fetch(target, {
      method: 'POST',
      body: formatAddCheckpointRequest(request),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new LogError(
      'LOG_WITNESS_FAILED',
      `witness ${target} is unreachable: ${(error as Error).message}`,
      {
        where: target,
        cause: error,
      },
    );
  }
  const body = await readBounded(response, target);
  if (response.status === 200) return { kind: 'cosigned', body };
  if (response.status === 409) {
    const size = /^(0|[1-9][0-9]{0,15})\n$/.exec(body);
    if (size?.[1] === undefined) {
      throw new LogError('LOG_WITNESS_FAILED', `witness ${target} answered 409 without a size`, {
        where: target,
      });
    }
    return { kind: 'conflict', size: Number(size[1]) };
  }
  throw new LogError(
    'LOG_WITNESS_FAILED',
    `witness ${target} answered ${response.status}: ${body.slice(0, 200).trim()}`,
    { where: target },
  );
}

async function readBounded(response: Response, target: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw new LogError('LOG_WITNESS_FAILED', `witness ${target} sent a ${declared}-byte answer`, {
      where: target,
    });
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_ANSWER_BYTES) {
    throw new LogError(
      'LOG_WITNESS_FAILED',
      `witness ${target} sent a ${bytes.length}-byte answer`,
      {
        where: target,
      },
    );
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
