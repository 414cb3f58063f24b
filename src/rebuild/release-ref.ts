/**
 * Which logged release a rebuild is about, from what the evaluator has: a log index (read from
 * the server), an evidence bundle (its proof carries the index), or the release's envelope (its
 * index found on the server by leaf hash). The statement is read, not trusted: the check only
 * counts an attestation whose index is a logged release naming the attested image.
 */
import { readBoundedText } from '../io/bounded-read.js';
import { parseBundle } from '../statements/bundle.js';
import { StatementClient } from '../statements/client.js';
import { parseEnvelope, type Envelope } from '../statements/dsse.js';
import { RELEASE_PREDICATE_TYPE } from '../statements/predicates/release.js';
import { parseStatementPayload } from '../statements/statement.js';
import { parseTlogProof } from '../tlog/proof-bundle.js';
import type { ReleaseRef } from './attest.js';
import { RebuildError } from './errors.js';

function releaseOf(envelope: Envelope, index: number, where: string): ReleaseRef {
  const parsed = parseStatementPayload(envelope.payload);
  if (!parsed.ok || parsed.statement.predicateType !== RELEASE_PREDICATE_TYPE) {
    throw new RebuildError(
      'REBUILD_RELEASE_INVALID',
      `${where} is not a release statement${parsed.ok ? ` (it is a ${parsed.name})` : ''}`,
      { where },
    );
  }
  return {
    index,
    vendor: parsed.statement.predicate.vendor,
    images: parsed.statement.subject.map((s) => ({ sha256: s.digest.sha256, name: s.name })),
  };
}

/** The release named by `spec`: a log index, or a file holding its bundle or envelope. */
export async function resolveRelease(
  spec: string,
  server: string | undefined,
): Promise<ReleaseRef> {
  const client = server === undefined ? undefined : new StatementClient(server);
  if (/^\d+$/.test(spec)) {
    if (client === undefined) {
      throw new RebuildError(
        'REBUILD_RELEASE_INVALID',
        `--release ${spec} is a log index: give --server (or --publish) to read it from`,
        {
          where: spec,
        },
      );
    }
    const index = Number(spec);
    return releaseOf((await client.get(index)).envelope, index, `log entry ${spec}`);
  }
  let text: string;
  try {
    // An evidence bundle holds one envelope (at most 64 KiB) and its proof: 1 MiB is ample.
    text = readBoundedText(spec, { maxBytes: 1024 * 1024, what: 'release' });
  } catch (error) {
    throw new RebuildError(
      'REBUILD_INPUT_UNREADABLE',
      `cannot read --release ${spec}: ${(error as Error).message}`,
      {
        where: spec,
        cause: error,
      },
    );
  }
  if (text.includes('"nospy-evidence/v1"')) {
    const bundle = parseBundle(text);
    return releaseOf(bundle.envelope, parseTlogProof(bundle.proof).index, spec);
  }
  const envelope = parseEnvelope(text);
  if (client === undefined) {
    throw new RebuildError(
      'REBUILD_RELEASE_INVALID',
      `${spec} is an envelope, which does not say its log index: give --server to find it, or an evidence bundle (nospy bundle)`,
      { where: spec },
    );
  }
  return releaseOf(envelope, (await client.find(envelope)).index, spec);
}
