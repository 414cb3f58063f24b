/**
 * `nospy bundle --format sigstore`: the Sigstore bundle of one signature of a published envelope,
 * made of the log's Sigstore entry for that signature (GET /v1/statements/<index>/sigstore).
 */
import type { Envelope } from '../../statements/dsse.js';
import type { StatementClient } from '../../statements/client.js';
import { StatementError } from '../../statements/errors.js';
import { formatSigstoreBundle } from '../../statements/sigstore/bundle.js';
import { parseTlogProof } from '../../tlog/proof-bundle.js';
import { CliError } from '../errors.js';

export interface WrittenSigstoreBundle {
  readonly text: string;
  /** The statement's log index. */
  readonly index: number;
  /** The Sigstore entry's log index: the bundle's `logIndex`. */
  readonly entryIndex: number;
  readonly signer: string;
}

/**
 * The bundle for the signature by `signer` (a key handle), or for the only signature when the
 * statement has one. The envelope in the bundle is the logged one with that signature alone: a
 * Sigstore bundle carries exactly one.
 */
export async function sigstoreBundleOf(
  client: StatementClient,
  envelope: Envelope,
  signer: string | undefined,
): Promise<WrittenSigstoreBundle> {
  const found = await client.find(envelope);
  const signatures = found.envelope.signatures;
  const handles = signatures.map((s) => s.keyid).join(', ');
  const chosen =
    signer === undefined
      ? signatures.length === 1
        ? signatures[0]
        : undefined
      : signatures.find((s) => s.keyid === signer);
  if (chosen === undefined) {
    throw new CliError(
      'CLI_USAGE',
      signer === undefined
        ? `log entry ${found.index} has ${signatures.length} signatures and a Sigstore bundle carries one: name its signer with --signer (${handles})`
        : `log entry ${found.index} has no signature by ${signer} (it has ${handles})`,
    );
  }
  const { entries } = await client.sigstoreEntries(found.index);
  const entry = entries.find((e) => e.keyid === chosen.keyid);
  if (entry === undefined) {
    throw new StatementError(
      'STATEMENT_NOT_FOUND',
      `the log holds no Sigstore entry for the signature by ${chosen.keyid} of log entry ${found.index} (it was logged before nospy wrote them): publish the envelope again (nospy statement publish) to add it`,
    );
  }
  const text = formatSigstoreBundle({
    envelope: { ...found.envelope, signatures: [chosen] },
    hint: chosen.keyid,
    entry: entry.entry,
    proof: parseTlogProof(entry.proof),
  });
  return { text, index: found.index, entryIndex: entry.index, signer: chosen.keyid };
}
