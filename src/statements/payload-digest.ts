/**
 * The identity of a statement in the log: the SHA-256 of the bytes its signatures sign (the DSSE
 * pre-authentication encoding of its payload type and payload). Two envelopes with the same
 * payload digest make the same claim, whatever signatures, keyid hints or order they carry.
 */
import { createHash } from 'node:crypto';
import { preAuthEncoding, type Envelope } from './dsse.js';

/** Hex SHA-256 of `PAE(payloadType, payload)`. */
export function payloadDigest(envelope: Pick<Envelope, 'payloadType' | 'payload'>): string {
  return createHash('sha256')
    .update(preAuthEncoding(envelope.payloadType, envelope.payload))
    .digest('hex');
}
