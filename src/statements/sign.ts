import type { NoteSigner } from '../tlog/note-key.js';
import { addSignature, IN_TOTO_PAYLOAD_TYPE, signEnvelope, type Envelope } from './dsse.js';
import { StatementError } from './errors.js';
import { formatIssue, parseStatementPayload, type Statement } from './statement.js';

/** The payload bytes nospy signs for a statement: compact JSON, fields in schema order. */
export function statementPayload(statement: Statement): Buffer {
  return Buffer.from(JSON.stringify(statement), 'utf8');
}

/** A DSSE envelope holding `statement`, signed by `signer`. */
export function signStatement(statement: Statement, signer: NoteSigner): Envelope {
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementPayload(statement), signer);
}

/**
 * Adds `signer`'s signature to an envelope after checking that it holds a valid nospy statement:
 * a cosigner must not put a signature on something nospy cannot read.
 */
export function cosignStatement(envelope: Envelope, signer: NoteSigner): Envelope {
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new StatementError(
      'STATEMENT_ENVELOPE_INVALID',
      `envelope: payloadType is "${envelope.payloadType}", not ${IN_TOTO_PAYLOAD_TYPE}`,
      { where: 'payloadType' },
    );
  }
  const parsed = parseStatementPayload(envelope.payload);
  if (!parsed.ok) {
    throw new StatementError(
      'STATEMENT_ENVELOPE_INVALID',
      `envelope: the statement is not valid, refusing to cosign:\n${parsed.issues.map(formatIssue).join('\n')}`,
      { where: 'payload' },
    );
  }
  return addSignature(envelope, signer);
}
