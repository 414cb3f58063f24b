/**
 * What the in-browser verifier trusts, and where each key came from. The user's keys (a nospy
 * trust file or pasted verifier keys) make a verification independent of the server; the log key
 * the server itself supplies never does, and every verdict made with it says so.
 */
import { KEY_TYPE_COSIGNATURE_V1, KEY_TYPE_ED25519, type VerifierKey } from './note-key.js';

/** `user`: typed, pasted or uploaded in this browser. `server`: taken from the server under test. */
export type KeySource = 'user' | 'server';

export interface SignerKey {
  readonly key: VerifierKey;
  /** The party the trust file gives the key to; absent for pasted keys. */
  readonly party?: string;
  readonly role?: string;
}

export interface Trust {
  readonly source: KeySource;
  /** Where the keys came from, in plain words ("your trust file trust.yaml"). */
  readonly label: string;
  /**
   * The log's key. Pasted keys name no log: the log key is the Ed25519 key whose name is the
   * checkpoint's origin (the name a nospy log's key carries), and the others sign statements.
   */
  readonly log:
    | { readonly kind: 'named'; readonly origin: string | undefined; readonly key: VerifierKey }
    | { readonly kind: 'by-origin'; readonly keys: readonly VerifierKey[] }
    | undefined;
  readonly witnesses: { readonly quorum: number; readonly keys: readonly VerifierKey[] };
  readonly signers: readonly SignerKey[];
}

/** The server's own log key: a last resort, never independent. */
export function serverTrust(logKey: VerifierKey): Trust {
  return {
    source: 'server',
    label: 'the log key the server under test supplies in its summary',
    log: { kind: 'named', origin: undefined, key: logKey },
    witnesses: { quorum: 0, keys: [] },
    signers: [],
  };
}

/** Trust from pasted verifier keys: every witness key pasted must cosign. */
export function trustFromKeys(keys: readonly VerifierKey[]): Trust {
  const witnesses = uniqueKeys(keys.filter((k) => k.type === KEY_TYPE_COSIGNATURE_V1));
  const noteKeys = uniqueKeys(keys.filter((k) => k.type === KEY_TYPE_ED25519));
  return {
    source: 'user',
    label: `the ${String(keys.length)} verifier key${keys.length === 1 ? '' : 's'} you pasted`,
    log: { kind: 'by-origin', keys: noteKeys },
    witnesses: { quorum: witnesses.length, keys: witnesses },
    signers: noteKeys.map((key) => ({ key })),
  };
}

/** The log key for a checkpoint of `origin`, or why there is none. */
export function logKeyFor(
  trust: Trust,
  origin: string,
): { readonly key: VerifierKey } | { readonly problem: string } {
  const log = trust.log;
  if (log === undefined) {
    return { problem: `${trust.label} names no log key (add log: { key: <verifier key> })` };
  }
  if (log.kind === 'named') {
    if (log.origin !== undefined && log.origin !== origin) {
      return {
        problem: `the checkpoint is of log "${origin}", but ${trust.label} trusts log "${log.origin}"`,
      };
    }
    // As the CLI (src/tlog/checkpoint.ts): a nospy log's key is named for its origin, so a key
    // of another name is the key of another log.
    if (log.key.name !== origin) {
      return {
        problem: `the checkpoint's origin "${origin}" is not the name of the log key ${log.key.handle} from ${trust.label}`,
      };
    }
    return { key: log.key };
  }
  const named = log.keys.filter((k) => k.name === origin);
  const [key] = named;
  if (key === undefined) {
    return { problem: `none of ${trust.label} is a key named "${origin}", the log's origin` };
  }
  if (named.length > 1) {
    return {
      problem: `${trust.label} hold ${String(named.length)} keys named "${origin}": keep the log's one`,
    };
  }
  return { key };
}

/** The keys that may sign statements: every signer key but the log's own. */
export function statementKeys(trust: Trust, logKey: VerifierKey): readonly SignerKey[] {
  return trust.signers.filter((s) => s.key.vkey !== logKey.vkey);
}

function uniqueKeys(keys: readonly VerifierKey[]): VerifierKey[] {
  return keys.filter((k, i) => keys.findIndex((o) => o.vkey === k.vkey) === i);
}
