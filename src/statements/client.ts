/**
 * A small client for a nospy server's statement API (docs/statements.md): publish an envelope,
 * list statements, fetch one with its current tlog-proof. Answers are bounded and checked for
 * shape; what they claim is verified by the caller (`verifyBundle`), never trusted here.
 */
import { leafHash } from '../tlog/hash.js';
import { parseEnvelope, serializeEnvelope, type Envelope } from './dsse.js';
import { StatementError } from './errors.js';
import { payloadDigest } from './payload-digest.js';

/** Largest answer read: a page of 1000 statements of at most 64 KiB would be more; pages are smaller. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface PublishedStatement {
  readonly index: number;
  readonly leafHash: string;
  /** The c2sp.org/tlog-proof text against the (cosigned) checkpoint that covers it. */
  readonly proof: string;
  /** The envelope the log holds (its canonical form): the one the proof is for. */
  readonly envelope: Envelope;
}

export interface ListedStatement {
  readonly index: number;
  readonly type: string;
  readonly predicateType: string;
  readonly vendor: string | null;
  readonly subjects: readonly string[];
  readonly leafHash: string;
  readonly envelope: Envelope;
}

/** A statement's Sigstore entry (a Rekor v2 `dsse` entry of one signature) as the log holds it. */
export interface LoggedSigstoreEntry {
  /** The signer's key handle. */
  readonly keyid: string;
  readonly index: number;
  /** The entry's bytes (checked by whoever verifies the bundle made of it, not here). */
  readonly entry: Buffer;
  /** Its c2sp.org/tlog-proof text against the published checkpoint. */
  readonly proof: string;
}

export interface StatementFilter {
  readonly type?: string;
  readonly vendor?: string;
  readonly subject?: string;
  readonly leafHash?: string;
  /** Hex SHA-256 of the signed bytes (payload-digest.ts): every entry of one statement. */
  readonly payload?: string;
  readonly from?: number;
  readonly limit?: number;
}

/** How a publish waits for the witness quorum (docs/statements.md). */
export interface PublishOptions {
  /** Give up after this long, with STATEMENT_PUBLISH_TIMEOUT naming why. Default 60 s. */
  readonly timeoutMs?: number;
  /** Told each time the server answers that the quorum has not cosigned yet. */
  readonly onWaiting?: (progress: WitnessWaiting) => void;
}

/** What a server answers while the witness quorum has not cosigned a writer's entry. */
export interface WitnessWaiting {
  readonly cosigned: number;
  readonly quorum: number;
  readonly failed: readonly {
    readonly name: string;
    readonly url: string;
    readonly reason: string;
  }[];
  /** The server's message: the reason, as the operator's server words it. */
  readonly message: string;
}

export const DEFAULT_PUBLISH_TIMEOUT_MS = 60_000;

export class StatementClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  /** `baseUrl` is the server's root (`http://host:port`); `token` is sent as a bearer token on POST. */
  constructor(baseUrl: string, options: { readonly token?: string | undefined } = {}) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#headers = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  }

  /**
   * POST /v1/statements with the canonical envelope; the server's error (400/413/422) is thrown.
   * While the server answers that the witness quorum has not cosigned the entry yet (503,
   * LOG_WITNESS_PENDING), the same request is sent again after its Retry-After, until
   * `timeoutMs` has passed: then STATEMENT_PUBLISH_TIMEOUT with the last reason. Sending it
   * again is safe: the log de-duplicates, and answers with the entry's one index.
   */
  async publish(envelope: Envelope, options: PublishOptions = {}): Promise<PublishedStatement> {
    const body = serializeEnvelope(envelope);
    const timeoutMs = options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    let json: unknown;
    for (;;) {
      const remaining = deadline - Date.now();
      const answer = await this.#send(
        '/v1/statements',
        {
          method: 'POST',
          headers: { ...this.#headers, 'content-type': 'application/json' },
          body,
        },
        remaining,
        timeoutMs,
      );
      const waiting = witnessWaiting(answer);
      if (waiting === undefined) {
        json = this.#checked(answer);
        break;
      }
      options.onWaiting?.(waiting);
      const pause = Math.min(retryAfterMs(answer.response), deadline - Date.now());
      if (pause <= 0) throw publishTimeout(this.#base, timeoutMs, waiting.message);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    const { index, leafHash: hash, proof, envelope: logged } = json as Record<string, unknown>;
    if (typeof index !== 'number' || typeof hash !== 'string' || typeof proof !== 'string') {
      throw this.#badAnswer('POST /v1/statements', 'no index, leafHash and proof');
    }
    // The log keeps the canonical form (and joins signatures logged before): the proof is for
    // the envelope it answers, which a server before canonical statements did not send.
    const kept = logged === undefined ? envelope : parseEnvelope(JSON.stringify(logged));
    return { index, leafHash: hash, proof, envelope: kept };
  }

  /** GET /v1/statements with filters; one page (follow `next` with `from`). */
  async list(
    filter: StatementFilter = {},
  ): Promise<{ statements: ListedStatement[]; next: number | null }> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) {
      if (value !== undefined) params.set(name, String(value));
    }
    const query = params.size === 0 ? '' : `?${params.toString()}`;
    const json = (await this.#request(`/v1/statements${query}`, {})) as Record<string, unknown>;
    if (!Array.isArray(json.statements))
      throw this.#badAnswer('GET /v1/statements', 'no statements');
    return {
      statements: json.statements.map((s: unknown) => this.#listed(s)),
      next: typeof json.next === 'number' ? json.next : null,
    };
  }

  /** GET /v1/statements/<index>: the statement with its current tlog-proof. */
  async get(index: number): Promise<ListedStatement & { readonly proof: string }> {
    const json = (await this.#request(`/v1/statements/${index}`, {})) as Record<string, unknown>;
    if (typeof json.proof !== 'string')
      throw this.#badAnswer(`GET /v1/statements/${index}`, 'no proof');
    return { ...this.#listed(json), proof: json.proof };
  }

  /**
   * The published statement whose log entry is this envelope's canonical form (found by leaf
   * hash, else the newest entry of its payload carrying every one of its signatures), with its
   * current proof; STATEMENT_NOT_FOUND when the log does not hold it.
   */
  async find(envelope: Envelope): Promise<ListedStatement & { readonly proof: string }> {
    const hash = leafHash(serializeEnvelope(envelope)).toString('hex');
    const { statements } = await this.list({ leafHash: hash });
    // Else the newest entry of the same statement holding all its signatures (the log stores a
    // canonical form: its keyids and order may differ from this copy's).
    const found =
      statements[0] ??
      (await this.list({ payload: payloadDigest(envelope), limit: 100 })).statements
        .filter((s) => holdsSignatures(s.envelope, envelope))
        .at(-1);
    if (found === undefined) {
      throw new StatementError(
        'STATEMENT_NOT_FOUND',
        `${this.#base} does not hold this envelope (leaf hash ${hash}) in its published checkpoint: publish it first`,
      );
    }
    return this.get(found.index);
  }

  /**
   * GET /v1/statements/<index>/sigstore: the Sigstore entries of a statement (one per signature,
   * with index, entry bytes and tlog-proof) and the key handles of signatures that have none.
   */
  async sigstoreEntries(index: number): Promise<{
    readonly entries: readonly LoggedSigstoreEntry[];
    readonly missing: readonly string[];
  }> {
    const path = `/v1/statements/${index}/sigstore`;
    const json = (await this.#request(path, {})) as Record<string, unknown>;
    if (!Array.isArray(json.entries) || !Array.isArray(json.missing)) {
      throw this.#badAnswer(`GET ${path}`, 'no entries');
    }
    const entries = json.entries.map((value: unknown) => {
      const e = value as Record<string, unknown>;
      if (
        typeof e.keyid !== 'string' ||
        typeof e.index !== 'number' ||
        typeof e.entry !== 'string' ||
        typeof e.proof !== 'string'
      ) {
        throw this.#badAnswer(`GET ${path}`, 'an entry without keyid, index, entry or proof');
      }
      return {
        keyid: e.keyid,
        index: e.index,
        entry: Buffer.from(e.entry, 'base64'),
        proof: e.proof,
      };
    });
    return { entries, missing: json.missing.filter((m): m is string => typeof m === 'string') };
  }

  #listed(value: unknown): ListedStatement {
    const s = value as Record<string, unknown>;
    if (
      typeof s.index !== 'number' ||
      typeof s.type !== 'string' ||
      typeof s.leafHash !== 'string' ||
      !Array.isArray(s.subjects)
    ) {
      throw this.#badAnswer('GET /v1/statements', 'a statement without index, type or leafHash');
    }
    return {
      index: s.index,
      type: s.type,
      predicateType: typeof s.predicateType === 'string' ? s.predicateType : '',
      vendor: typeof s.vendor === 'string' ? s.vendor : null,
      subjects: s.subjects.filter((x): x is string => typeof x === 'string'),
      leafHash: s.leafHash,
      envelope: parseEnvelope(JSON.stringify(s.envelope)),
    };
  }

  async #request(path: string, init: RequestInit): Promise<unknown> {
    return this.#checked(await this.#send(path, init));
  }

  /** One request: its response and JSON body, whatever the status. */
  async #send(
    path: string,
    init: RequestInit,
    timeLeftMs?: number,
    timeoutMs?: number,
  ): Promise<Answer> {
    const url = `${this.#base}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        ...init,
        ...(timeLeftMs === undefined
          ? {}
          : { signal: AbortSignal.timeout(Math.max(1, timeLeftMs)) }),
      });
      text = await response.text();
    } catch (error) {
      if (timeoutMs !== undefined && (error as Error).name === 'TimeoutError') {
        throw publishTimeout(this.#base, timeoutMs, 'the server did not answer');
      }
      throw new StatementError('STATEMENT_SERVER_FAILED', `${url}: ${(error as Error).message}`, {
        where: url,
        cause: error,
      });
    }
    if (text.length > MAX_ANSWER_BYTES) throw this.#badAnswer(path, 'an answer too large');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.#badAnswer(path, `HTTP ${response.status} with a body that is not JSON`);
    }
    return { url, text, response, json };
  }

  /** The body of a 2xx answer; any other status thrown as the server's error. */
  #checked({ url, text, response, json }: Answer): unknown {
    if (!response.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } }).error;
      const code = typeof error?.code === 'string' ? error.code : 'HTTP';
      const message = typeof error?.message === 'string' ? error.message : text.slice(0, 200);
      const local =
        code === 'STATEMENT_REJECTED' || code === 'STATEMENT_NOT_FOUND'
          ? code
          : 'STATEMENT_SERVER_FAILED';
      throw new StatementError(local, `${url}: HTTP ${response.status} ${code}: ${message}`, {
        where: url,
      });
    }
    return json;
  }

  #badAnswer(path: string, what: string): StatementError {
    return new StatementError(
      'STATEMENT_SERVER_FAILED',
      `${this.#base}${path}: the server answered ${what}`,
    );
  }
}

/** Whether every signature of `part` (by its bytes; keyids are hints) is one of `whole`'s. */
function holdsSignatures(whole: Envelope, part: Envelope): boolean {
  const held = new Set(whole.signatures.map((s) => s.sig.toString('base64')));
  return part.signatures.every((s) => held.has(s.sig.toString('base64')));
}

interface Answer {
  readonly url: string;
  readonly text: string;
  readonly response: Response;
  readonly json: unknown;
}

/** The quorum's progress when the server answered LOG_WITNESS_PENDING, else undefined. */
function witnessWaiting({ response, json }: Answer): WitnessWaiting | undefined {
  if (response.status !== 503) return undefined;
  const body = json as { error?: { code?: unknown; message?: unknown }; witnesses?: unknown };
  if (body.error?.code !== 'LOG_WITNESS_PENDING') return undefined;
  const w = (body.witnesses ?? {}) as Record<string, unknown>;
  const failed = Array.isArray(w.failed) ? (w.failed as Record<string, unknown>[]) : [];
  return {
    cosigned: typeof w.cosigned === 'number' ? w.cosigned : 0,
    quorum: typeof w.quorum === 'number' ? w.quorum : 0,
    failed: failed.map((f) => ({ name: text(f.name), url: text(f.url), reason: text(f.reason) })),
    message: typeof body.error.message === 'string' ? body.error.message : '',
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Retry-After in ms (RFC 9110 §10.2.3, seconds form only); 1 s when absent or unreadable. */
function retryAfterMs(response: Response): number {
  const value = response.headers.get('retry-after');
  const seconds = value !== null && /^\d{1,5}$/.test(value) ? Number(value) : 1;
  return Math.max(1, seconds) * 1000;
}

function publishTimeout(base: string, timeoutMs: number, reason: string): StatementError {
  return new StatementError(
    'STATEMENT_PUBLISH_TIMEOUT',
    `${base}: not published within ${Math.round(timeoutMs / 1000)} s: ${reason}`,
    { where: base },
  );
}
