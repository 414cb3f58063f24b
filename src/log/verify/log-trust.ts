/**
 * The log part of a trust file (src/statements/trust.ts): the log's verifier key, the witnesses
 * and their quorum. A log is only ever verified against these; without a log key there is
 * nothing to verify it against, and every caller refuses to go on.
 */
import type { NoteVerifier } from '../../tlog/note-key.js';
import type { LogTrust } from './verify-log.js';

/** What a trust file holds about the log (structurally, so the log needs no statement types). */
export interface TrustFileLog {
  readonly log: { readonly key: NoteVerifier } | undefined;
  readonly witnesses: { readonly quorum: number; readonly keys: readonly NoteVerifier[] };
}

/** What to tell a user whose trust file names no log key. */
export const NO_LOG_KEY_HINT =
  'the trust file names no log key: add `log: { key: "<the log\'s verifier key>" }` (as `nospy keygen` or `nospy serve` printed it), and the witnesses with their quorum (`witnesses: { quorum: n, keys: [...] }`), so the log can be verified';

/** The trust file's log policy, or undefined when it names no log key. */
export function logTrustOf(trust: TrustFileLog): LogTrust | undefined {
  if (trust.log === undefined) return undefined;
  return { logKey: trust.log.key, witnesses: trust.witnesses.keys, quorum: trust.witnesses.quorum };
}
