/** A finding's statement evidence: the bundle checked against the trust file, and decoded. */
import { errorText } from '../errors/error-text.js';
import { parseBundle, verifyBundle } from '../statements/bundle.js';
import { decodeStatement } from '../statements/statement.js';
import type { Trust } from '../statements/trust.js';
import type { Checkpoint } from '../tlog/checkpoint.js';
import type { StatementEvidence } from './finding.js';
import type { AddCheck } from './evidence-check.js';

export function verifyStatementPart(
  part: StatementEvidence,
  trust: Trust,
  now: Date,
  add: AddCheck,
): { checkpoint: Checkpoint | undefined; predicate: string | undefined } {
  let bundle;
  try {
    bundle = parseBundle(JSON.stringify(part));
  } catch (error) {
    add('format', 'fail', errorText(error));
    return { checkpoint: undefined, predicate: undefined };
  }
  const result = verifyBundle(bundle, trust, { now });
  for (const c of result.checks) add(c.id, c.status, c.message);
  return { checkpoint: result.checkpoint, predicate: result.predicate };
}

/** The statement a bundle part carries, undefined when it does not decode. */
export function decodeStatementOf(part: StatementEvidence) {
  try {
    return decodeStatement(parseBundle(JSON.stringify(part)).envelope);
  } catch {
    return undefined;
  }
}
