/**
 * The trust file: who is who. Parties (vendor, operator, regulator, auditor, evaluator: a lab or
 * an independent rebuilder that attests binary equivalence) with their roles and
 * verifier keys, the log's verifier key, and the witnesses with their quorum. Verification is
 * handed a parsed `Trust` and never fetches keys itself.
 */
import { z } from 'zod';
import {
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  parseVerifierKey,
  type NoteVerifier,
} from '../tlog/note-key.js';
import { StatementError } from './errors.js';
import { shortText } from './predicates/common.js';
import { formatIssue, toStatementIssues } from './statement.js';
import {
  locate,
  parseStatementYaml,
  statementYamlValue,
  type YamlSource,
} from './yaml-document.js';

export const PARTY_ROLES = ['vendor', 'operator', 'regulator', 'auditor', 'evaluator'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/** Largest trust file read: a page of names and keys. */
export const MAX_TRUST_BYTES = 1024 * 1024;

const verifierKeyText = z.string().refine((text) => {
  try {
    parseVerifierKey(text);
    return true;
  } catch {
    return false;
  }
}, 'expected a note verifier key <name>+<8 hex>+<base64> (see nospy docs/statements.md)');

export const trustFileSchema = z
  .strictObject({
    parties: z
      .array(
        z.strictObject({
          name: shortText,
          role: z.enum(PARTY_ROLES),
          keys: z.array(verifierKeyText).min(1).max(32),
        }),
      )
      .min(1)
      .max(1024),
    log: z.strictObject({ origin: shortText.optional(), key: verifierKeyText }).optional(),
    witnesses: z
      .strictObject({
        quorum: z.int().min(0),
        keys: z.array(z.strictObject({ name: shortText.optional(), key: verifierKeyText })).max(64),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    const names = new Set<string>();
    const handles = new Map<string, string>();
    for (const [i, party] of value.parties.entries()) {
      if (names.has(party.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['parties', i, 'name'],
          message: `repeats party "${party.name}"`,
        });
      }
      names.add(party.name);
      for (const [k, text] of party.keys.entries()) {
        const vkey = text.trim();
        const owner = handles.get(vkey);
        if (owner !== undefined) {
          // One key, one party: otherwise a signature could not say who signed.
          ctx.addIssue({
            code: 'custom',
            path: ['parties', i, 'keys', k],
            message: `is already a key of party "${owner}"`,
          });
        }
        handles.set(vkey, party.name);
      }
    }
    const w = value.witnesses;
    // A key of the wrong type parses, then fails every cosignature much later with no hint of
    // where the right key is; refuse it here and name the command that prints the right one.
    for (const [i, entry] of (w?.keys ?? []).entries()) {
      if (keyType(entry.key) === KEY_TYPE_ED25519) {
        ctx.addIssue({
          code: 'custom',
          path: ['witnesses', 'keys', i, 'key'],
          message:
            'is an Ed25519 (type 0x01) key, but a witness cosigns with its cosignature/v1 (type 0x04) key: "nospy key show <witness key file> --as witness" prints it (as does "nospy witness serve" at start)',
        });
      }
    }
    if (value.log !== undefined && keyType(value.log.key) === KEY_TYPE_COSIGNATURE_V1) {
      ctx.addIssue({
        code: 'custom',
        path: ['log', 'key'],
        message:
          'is a cosignature/v1 (type 0x04) key, but a log signs with its Ed25519 (type 0x01) key: "nospy key show <log key file>" prints it',
      });
    }
    if (w !== undefined && w.quorum > w.keys.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['witnesses', 'quorum'],
        message: `is ${w.quorum} but only ${w.keys.length} witness keys are listed`,
      });
    }
  });

/** The type byte of a verifier key that already passed `verifierKeyText`. */
function keyType(text: string): number | undefined {
  try {
    return parseVerifierKey(text).type;
  } catch {
    return undefined;
  }
}

export interface TrustedParty {
  readonly name: string;
  readonly role: PartyRole;
  readonly keys: readonly NoteVerifier[];
}

/** Parsed trust material, ready for verification. */
export interface Trust {
  readonly parties: readonly TrustedParty[];
  readonly log: { readonly origin: string | undefined; readonly key: NoteVerifier } | undefined;
  readonly witnesses: { readonly quorum: number; readonly keys: readonly NoteVerifier[] };
}

/** Parses trust-file YAML; every problem names `file:line:column`. */
export function parseTrustFile(text: string, file: string): Trust {
  const source = parseStatementYaml(text, file, 'STATEMENT_TRUST_INVALID');
  const result = trustFileSchema.safeParse(statementYamlValue(source, 'STATEMENT_TRUST_INVALID'));
  if (!result.success) throw trustError(source, result.error.issues);
  const data = result.data;
  return {
    parties: data.parties.map((p) => ({
      name: p.name,
      role: p.role,
      keys: p.keys.map((k) => parseVerifierKey(k)),
    })),
    log:
      data.log === undefined
        ? undefined
        : { origin: data.log.origin, key: parseVerifierKey(data.log.key) },
    witnesses: {
      quorum: data.witnesses?.quorum ?? 0,
      keys: (data.witnesses?.keys ?? []).map((w) => parseVerifierKey(w.key)),
    },
  };
}

/** Trust in bare verifier keys (`--vkey`): every key verifies, no key has a party or role. */
export function trustFromVerifierKeys(vkeys: readonly string[]): readonly NoteVerifier[] {
  return vkeys.map((v) => parseVerifierKey(v));
}

/** The party a key belongs to, if any. */
export function partyOfKey(trust: Trust, key: NoteVerifier): TrustedParty | undefined {
  return trust.parties.find((p) => p.keys.some((k) => k.vkey === key.vkey));
}

/** Every party key, for signature verification. */
export function partyKeys(trust: Trust): NoteVerifier[] {
  return trust.parties.flatMap((p) => p.keys);
}

function trustError(source: YamlSource, issues: readonly z.core.$ZodIssue[]): StatementError {
  const problems = toStatementIssues(issues).map((issue) => {
    const where = locate(source, issue.path);
    return { where, text: `${where}: ${formatIssue(issue)}` };
  });
  return new StatementError('STATEMENT_TRUST_INVALID', problems.map((p) => p.text).join('\n'), {
    where: problems[0]?.where ?? source.file,
  });
}
