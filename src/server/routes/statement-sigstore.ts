/**
 * `GET /v1/statements/<index>/sigstore`: the Sigstore entries of a logged statement (one Rekor v2
 * `dsse` entry per signature, docs/statements.md "Sigstore bundles"), each with its log index and
 * c2sp.org/tlog-proof against the published checkpoint: what `nospy bundle --format sigstore`
 * makes a Sigstore bundle of. The entries are found by leaf hash, never by position.
 */
import type { FastifyPluginAsync } from 'fastify';
import { LogError } from '../../log/errors.js';
import { leafHash } from '../../tlog/hash.js';
import { inclusionProof } from '../../tlog/tree.js';
import { formatTlogProof } from '../../tlog/proof-bundle.js';
import { canonicalEnvelope } from '../../statements/canonical.js';
import { StatementError } from '../../statements/errors.js';
import { withEntries } from '../../statements/log-index.js';
import { sigstoreEntriesOf } from '../../statements/sigstore/statement-entries.js';
import type { StatementRouteOptions } from './statements.js';
import { parseIndexParam } from './index-param.js';

export const statementSigstoreRoutes: FastifyPluginAsync<StatementRouteOptions> = (
  app,
  options,
) => {
  const { log, store, tree, trust, indexer } = options;
  app.get('/v1/statements/:index/sigstore', async (request, reply) => {
    const text = (request.params as { index: string }).index;
    const index = parseIndexParam(text);
    if (index === undefined) {
      throw new LogError(
        'LOG_USAGE',
        `"${text.slice(0, 32)}" is not a log index (a decimal number)`,
      );
    }
    if (trust === undefined) {
      throw new StatementError(
        'STATEMENT_NOT_ACCEPTING',
        "this log was started without a trust file (--trust): it cannot name the signers' keys its Sigstore entries hold",
      );
    }
    const published = log.published;
    await indexer.catchUp(published.size);
    const row = index < published.size ? await store.statementAt(index) : undefined;
    if (row === undefined) {
      throw new StatementError(
        'STATEMENT_NOT_FOUND',
        index < published.size
          ? `log entry ${index} is not a statement`
          : `log entry ${index} is not in the published checkpoint of size ${published.size}`,
      );
    }
    const [statement] = await withEntries(store, [row]);
    if (statement === undefined) throw new Error(`entry ${index} was not read`);
    // The entry is canonical already; reading it under the trust file names each signer's key
    // (a signature by a key the trust file no longer holds has no Sigstore entry to look for).
    const wanted = sigstoreEntriesOf(
      canonicalEnvelope(statement.envelope, trust, { untrusted: 'drop' }),
    );
    const hashes = wanted.map((w) => leafHash(w.entry));
    const found = await store.findLeaves(hashes);
    const entries = [];
    const missing = [];
    for (const [i, w] of wanted.entries()) {
      const hash = hashes[i] as Buffer;
      const at = found.get(hash.toString('latin1'));
      if (at === undefined || at >= published.size) {
        missing.push(w.keyid);
        continue;
      }
      const proof = await tree.compute(published.size, (read) =>
        inclusionProof(at, published.size, read),
      );
      entries.push({
        keyid: w.keyid,
        index: at,
        leafHash: hash.toString('hex'),
        entry: w.entry.toString('base64'),
        proof: formatTlogProof({
          index: at,
          proof,
          checkpoint: published.cosignedNote ?? published.note,
        }),
      });
    }
    return reply.header('cache-control', 'no-store').send({ index, entries, missing });
  });
  return Promise.resolve();
};
