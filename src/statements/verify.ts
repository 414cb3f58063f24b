/**
 * verifyStatement: every check a relying party makes on a signed statement, returned as data.
 * Order follows DSSE protocol.md: verify signatures over the exact payload bytes, reject an
 * unsupported payloadType, and only then parse those same bytes as an in-toto Statement.
 */
import { keyHandle, type NoteVerifier } from '../tlog/note-key.js';
import { verifyEnvelopeSignatures, IN_TOTO_PAYLOAD_TYPE, type Envelope } from './dsse.js';
import { ACCESS_PREDICATE_TYPE } from './predicates/access.js';
import { AGREEMENT_PREDICATE_TYPE } from './predicates/agreement.js';
import { instantOf } from './predicates/common.js';
import { requiredSigners, type RequiredSigner } from './signing-rules.js';
import {
  formatIssue,
  parseStatementPayload,
  type PredicateName,
  type Statement,
} from './statement.js';
import { partyKeys, partyOfKey, type Trust, type TrustedParty } from './trust.js';

export type CheckId = 'payload-type' | 'known-key' | 'signature' | 'schema' | 'signer' | 'validity';
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One check and its outcome, with a message a person can act on. */
export interface Check {
  readonly id: CheckId;
  readonly status: CheckStatus;
  readonly message: string;
  /** The signature the check is about (its index in the envelope), when it is about one. */
  readonly signature?: number;
  readonly keyid?: string;
}

export interface VerifiedSigner {
  readonly signature: number;
  readonly keyid: string;
  readonly key: string;
  readonly party?: string;
  readonly role?: string;
}

export interface StatementVerification {
  /** True when no check failed and at least one signature verified with a trusted key. */
  readonly valid: boolean;
  readonly predicate: PredicateName | undefined;
  readonly statement: Statement | undefined;
  readonly signers: readonly VerifiedSigner[];
  readonly checks: readonly Check[];
}

/** Either a trust file, or bare verifier keys (`--vkey`): signatures only, no roles. */
export type TrustAnchor = Trust | { readonly keys: readonly NoteVerifier[] };

export interface VerifyOptions {
  /** The time validity periods are judged at; handed in, never read from a clock here. */
  readonly now: Date;
}

/**
 * Verifies `envelope` against `anchor`: signatures (known key, valid), the payload type, the
 * statement schema, the predicate's signing rules (right party in the right role, an access
 * grant signed by both vendor and operator) and, for an agreement, that `now` is within its
 * validity. Never throws for a bad statement: every problem is a failed check.
 */
export function verifyStatement(
  envelope: Envelope,
  anchor: TrustAnchor,
  options: VerifyOptions,
): StatementVerification {
  const trust = 'parties' in anchor ? anchor : undefined;
  const keys = trust === undefined ? ('keys' in anchor ? anchor.keys : []) : partyKeys(trust);
  const checks: Check[] = [];
  const signers: VerifiedSigner[] = [];

  for (const outcome of verifyEnvelopeSignatures(envelope, keys)) {
    const { index, keyid } = outcome;
    const at = { signature: index, keyid };
    if (outcome.status === 'unknown-key') {
      checks.push({
        id: 'known-key',
        status: 'warn',
        message: `signature ${index}: unknown key "${keyid || '(no keyid)'}": ${
          trust === undefined
            ? 'not among the given verifier keys'
            : 'no party in the trust file has it'
        }`,
        ...at,
      });
      continue;
    }
    const party = trust === undefined ? undefined : partyOfKey(trust, outcome.key);
    const who = describeSigner(outcome.key, party);
    checks.push({
      id: 'known-key',
      status: 'pass',
      message: `signature ${index}: key ${who}`,
      ...at,
    });
    if (outcome.status === 'bad-signature') {
      checks.push({
        id: 'signature',
        status: 'fail',
        message: `signature ${index} by ${who} does not verify: the payload, its type or the signature was altered`,
        ...at,
      });
    } else if (outcome.status === 'duplicate-key') {
      checks.push({
        id: 'signature',
        status: 'fail',
        message: `signature ${index} repeats key ${who}: each key signs an envelope once`,
        ...at,
      });
    } else {
      checks.push({
        id: 'signature',
        status: 'pass',
        message: `signature ${index} verified by ${who}`,
        ...at,
      });
      signers.push({
        signature: index,
        keyid,
        key: keyHandle(outcome.key),
        ...(party === undefined ? {} : { party: party.name, role: party.role }),
      });
    }
  }
  if (signers.length === 0) {
    checks.push({
      id: 'signature',
      status: 'fail',
      message: `no signature verifies with a trusted key (${envelope.signatures.length} signature(s) in the envelope)`,
    });
  }

  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    checks.push({
      id: 'payload-type',
      status: 'fail',
      message: `payloadType is "${envelope.payloadType}", not ${IN_TOTO_PAYLOAD_TYPE}`,
    });
    return result(checks, signers, undefined);
  }
  checks.push({
    id: 'payload-type',
    status: 'pass',
    message: `payloadType ${IN_TOTO_PAYLOAD_TYPE}`,
  });

  const parsed = parseStatementPayload(envelope.payload);
  if (!parsed.ok) {
    for (const issue of parsed.issues) {
      checks.push({ id: 'schema', status: 'fail', message: `statement: ${formatIssue(issue)}` });
    }
    return result(checks, signers, undefined);
  }
  checks.push({ id: 'schema', status: 'pass', message: `a valid ${parsed.name} statement` });

  if (trust === undefined) {
    checks.push({
      id: 'signer',
      status: 'skip',
      message: 'signing rules not checked: verified against bare keys, not a trust file',
    });
  } else {
    checks.push(...signerChecks(parsed.name, parsed.statement, trust, signers));
  }
  checks.push(...validityChecks(parsed.statement, options.now));
  return result(checks, signers, parsed);
}

function signerChecks(
  name: PredicateName,
  statement: Statement,
  trust: Trust,
  signers: readonly VerifiedSigner[],
): Check[] {
  const checks: Check[] = [];
  const required = requiredSigners(statement);
  for (const need of required) {
    const found = signers.find((s) => s.party === need.party && s.role === need.role);
    if (found === undefined) {
      checks.push({
        id: 'signer',
        status: 'fail',
        message: missingSigner(name, statement, need, trust, signers),
      });
    } else if (need.pinnedKey !== undefined && found.key !== need.pinnedKey) {
      checks.push({
        id: 'signer',
        status: 'fail',
        message: `the ${name} pins key ${need.pinnedKey} for the ${need.role} "${need.party}", but it is signed with ${found.key}`,
        signature: found.signature,
        keyid: found.keyid,
      });
    } else {
      checks.push({
        id: 'signer',
        status: 'pass',
        message: `signed by the ${need.role} "${need.party}" (${found.key})`,
        signature: found.signature,
        keyid: found.keyid,
      });
    }
  }
  for (const extra of signers) {
    if (required.some((need) => need.party === extra.party && need.role === extra.role)) continue;
    checks.push({
      id: 'signer',
      status: 'pass',
      message: `also signed by the ${extra.role ?? 'party'} "${extra.party ?? extra.key}" (${extra.key})`,
      signature: extra.signature,
      keyid: extra.keyid,
    });
  }
  return checks;
}

function missingSigner(
  name: PredicateName,
  statement: Statement,
  need: RequiredSigner,
  trust: Trust,
  signers: readonly VerifiedSigner[],
): string {
  const party = trust.parties.find((p) => p.name === need.party);
  if (party === undefined) {
    return `the ${need.role} "${need.party}" named in the ${name} is not a party in the trust file`;
  }
  if (party.role !== need.role) {
    return `wrong role: "${need.party}" has the role ${party.role} in the trust file, but the ${name} names it as its ${need.role}`;
  }
  if (statement.predicateType === ACCESS_PREDICATE_TYPE && need.role === 'operator') {
    return `access grant "${statement.predicate.grantId}" is missing its operator signature: it needs the signature of the operator "${need.party}" as well as the vendor's`;
  }
  const others = signers.filter((s) => s.party !== undefined);
  if (others.length > 0) {
    const list = others
      .map((s) => `the ${s.role ?? 'party'} "${s.party ?? ''}" (${s.key})`)
      .join(', ');
    return `wrong role: a ${name} must be signed by its ${need.role} "${need.party}", but it is signed only by ${list}`;
  }
  return `missing signature: a ${name} must be signed by its ${need.role} "${need.party}"`;
}

function validityChecks(statement: Statement, now: Date): Check[] {
  if (statement.predicateType !== AGREEMENT_PREDICATE_TYPE) return [];
  const { agreementId, validity } = statement.predicate;
  const from = instantOf(validity.from, 'start') ?? Number.NaN;
  const until = instantOf(validity.until, 'end') ?? Number.NaN;
  const at = now.getTime();
  const stamp = now.toISOString();
  if (at < from) {
    return [
      {
        id: 'validity',
        status: 'fail',
        message: `agreement "${agreementId}" is not yet in force: valid from ${validity.from} (now ${stamp})`,
      },
    ];
  }
  if (at > until) {
    return [
      {
        id: 'validity',
        status: 'fail',
        message: `agreement "${agreementId}" expired: valid until ${validity.until} (now ${stamp})`,
      },
    ];
  }
  return [
    {
      id: 'validity',
      status: 'pass',
      message: `agreement "${agreementId}" in force from ${validity.from} until ${validity.until}`,
    },
  ];
}

function describeSigner(key: NoteVerifier, party: TrustedParty | undefined): string {
  return party === undefined ? keyHandle(key) : `${keyHandle(key)} (${party.role} "${party.name}")`;
}

function result(
  checks: Check[],
  signers: VerifiedSigner[],
  parsed: { name: PredicateName; statement: Statement } | undefined,
): StatementVerification {
  return {
    valid: signers.length > 0 && checks.every((c) => c.status !== 'fail'),
    predicate: parsed?.name,
    statement: parsed?.statement,
    signers,
    checks,
  };
}
