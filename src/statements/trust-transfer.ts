/**
 * A trust file as plain data (verifier keys as their `vkey` text), for a worker thread: a `Trust`
 * holds key objects and functions, which cannot cross a thread boundary. Pure.
 */
import { parseVerifierKey } from '../tlog/note-key.js';
import type { Trust } from './trust.js';

export interface TrustTransfer {
  readonly parties: readonly {
    readonly name: string;
    readonly role: Trust['parties'][number]['role'];
    readonly keys: readonly string[];
  }[];
  readonly log: { readonly origin: string | undefined; readonly key: string } | undefined;
  readonly witnesses: { readonly quorum: number; readonly keys: readonly string[] };
}

export function trustToTransfer(trust: Trust): TrustTransfer {
  return {
    parties: trust.parties.map((p) => ({
      name: p.name,
      role: p.role,
      keys: p.keys.map((k) => k.vkey),
    })),
    log:
      trust.log === undefined ? undefined : { origin: trust.log.origin, key: trust.log.key.vkey },
    witnesses: { quorum: trust.witnesses.quorum, keys: trust.witnesses.keys.map((k) => k.vkey) },
  };
}

/** The trust a transfer was made from: every key parsed again from its `vkey`. */
export function trustFromTransfer(transfer: TrustTransfer): Trust {
  return {
    parties: transfer.parties.map((p) => ({
      name: p.name,
      role: p.role,
      keys: p.keys.map((k) => parseVerifierKey(k)),
    })),
    log:
      transfer.log === undefined
        ? undefined
        : { origin: transfer.log.origin, key: parseVerifierKey(transfer.log.key) },
    witnesses: {
      quorum: transfer.witnesses.quorum,
      keys: transfer.witnesses.keys.map((k) => parseVerifierKey(k)),
    },
  };
}
