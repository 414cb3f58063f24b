/**
 * The tokens a server takes: those of the tokens file (hashed, re-read when it changes or on
 * SIGHUP, so a token is added or revoked without a restart) and the operator's `--submit-token`
 * (a `submit` token). A presented token is hashed and compared with every stored digest in
 * constant time; the loop never stops early, so timing tells nothing of which or how close.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { errorText } from '../../errors/error-text.js';
import { grants, type Scope } from './scopes.js';
import { parseTokenFile, tokenDigest, type TokenRecord } from './token-file.js';

export interface AccessTokenOptions {
  /** The tokens file; without one, the read API is open (a loopback bind only, `nospy serve`). */
  readonly file?: string | undefined;
  /** The operator's submit token (`--submit-token`), taken as a `submit` token. */
  readonly submitToken?: string | undefined;
  readonly logger?: Logger | undefined;
}

/** Who a token is: its scopes and the name the file gives it. */
export interface TokenHolder {
  readonly scopes: readonly Scope[];
  readonly name: string;
}

export class AccessTokens {
  readonly #file: string | undefined;
  readonly #logger: Logger | undefined;
  readonly #fixed: TokenRecord[];
  #records: TokenRecord[] = [];

  /** Reads the tokens file now: a broken one stops the start (LOG_USAGE naming its line). */
  constructor(options: AccessTokenOptions) {
    this.#file = options.file;
    this.#logger = options.logger;
    this.#fixed =
      options.submitToken === undefined
        ? []
        : [{ digest: tokenDigest(options.submitToken), scopes: ['submit'], name: 'submit-token' }];
    if (this.#file !== undefined)
      this.#records = parseTokenFile(readFileSync(this.#file, 'utf8'), this.#file);
  }

  /** Whether the read API needs a token (a tokens file is configured). */
  get guardsReads(): boolean {
    return this.#file !== undefined;
  }

  /** Whether any token grants `scope` (none: e.g. the log takes no submissions). */
  anyGrants(scope: Scope): boolean {
    return [...this.#fixed, ...this.#records].some((record) => grants(record.scopes, scope));
  }

  /** The holder of `token`, or undefined when no stored token matches. */
  holderOf(token: string | undefined): TokenHolder | undefined {
    if (token === undefined) return undefined;
    const digest = tokenDigest(token);
    let found: TokenRecord | undefined;
    for (const record of [...this.#fixed, ...this.#records]) {
      // Every record is compared, whatever matched before.
      if (timingSafeEqual(record.digest, digest) && found === undefined) found = record;
    }
    return found === undefined ? undefined : { scopes: found.scopes, name: found.name };
  }

  /**
   * Reads the tokens file again. A file that no longer parses revokes every token it held (a
   * typo must not bring back a token just removed); the error is logged and the next good
   * version is taken as soon as it is written.
   */
  reload(): void {
    if (this.#file === undefined) return;
    try {
      this.#records = parseTokenFile(readFileSync(this.#file, 'utf8'), this.#file);
      this.#logger?.info({ file: this.#file, tokens: this.#records.length }, 'tokens file read');
    } catch (error) {
      this.#records = [];
      this.#logger?.error(
        { file: this.#file, err: errorText(error) },
        'the tokens file cannot be read: refusing every token it held until it is fixed',
      );
    }
  }

  /** Re-reads the file whenever it changes (polled: survives editors that replace the file). */
  watch(intervalMs = 1_000): () => void {
    const file = this.#file;
    if (file === undefined) return () => undefined;
    const onChange = (): void => {
      this.reload();
    };
    watchFile(file, { interval: intervalMs, persistent: false }, onChange);
    return () => {
      unwatchFile(file, onChange);
    };
  }
}
