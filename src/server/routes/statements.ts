import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply } from 'fastify';
import { auditWrite } from '../audit-line.js';
import { LogError } from '../../log/errors.js';
import type { StatementIndexRow } from '../../store/log-store-port.js';
import { inclusionProof } from '../../tlog/tree.js';
import { formatTlogProof } from '../../tlog/proof-bundle.js';
import { acceptStatement } from '../../statements/accept.js';
import { canonicalEnvelope, placeSubmission } from '../../statements/canonical.js';
import { MAX_ENVELOPE_BYTES, serializeEnvelope } from '../../statements/dsse.js';
import { StatementError } from '../../statements/errors.js';
import {
  MAX_LISTED_STATEMENTS,
  withEntries,
  type LoggedStatement,
  type StatementIndexer,
} from '../../statements/log-index.js';
import { PREDICATES, predicateNameOf, type PredicateName } from '../../statements/statement.js';
import type { Trust } from '../../statements/trust.js';
import { bearerToken, sameToken } from '../auth/bearer.js';
import type { LogRouteOptions } from '../log-routes.js';
import { errorHandler } from '../error-reply.js';
import { parseIndexParam } from './index-param.js';
import { admitWrite } from '../limits/write-admission.js';
import { KeyedQueue } from './keyed-queue.js';
import { sendWitnessPending, WitnessPendingError, withinWitnessWait } from './witness-wait.js';
import { sigstoreEntriesOf } from '../../statements/sigstore/statement-entries.js';
import type { StatementAcceptPool } from '../accept/accept-pool.js';
import type { Sequenced } from '../../log/sequencer.js';
import { leafHash } from '../../tlog/hash.js';

export interface StatementRouteOptions extends LogRouteOptions {
  /** Who may sign what; without one, POST /v1/statements answers 503 (reading still works). */
  readonly trust: Trust | undefined;
  readonly indexer: StatementIndexer;
  /** When set, POST /v1/statements also needs `Authorization: Bearer <token>`. */
  readonly statementToken: string | undefined;
  /** Judges submissions against `trust` (on worker threads). */
  readonly acceptPool: StatementAcceptPool | undefined;
}

const DEFAULT_PAGE = 100;
/** Entries of one payload read to place a submission (each POST adds one only with a new signer). */
const MAX_VERSIONS = 64;
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const HEX_HASH = /^[0-9a-f]{64}$/;
const QUERY_FIELDS = ['type', 'vendor', 'subject', 'leafHash', 'payload', 'from', 'limit'];

/**
 * The statement API: `POST /v1/statements` (verify against the trust file, append the canonical
 * envelope, answer its index and a c2sp.org/tlog-proof), `GET /v1/statements?…` (list) and
 * `GET /v1/statements/<index>` (one, with its current proof). Vendors authenticate by their
 * signatures on the envelope: only envelopes that every check accepts reach the log.
 */
export const statementRoutes: FastifyPluginAsync<StatementRouteOptions> = (app, options) => {
  const { log, store, tree, trust, indexer, statementToken, writes, witnessWait, acceptPool } =
    options;
  const payloadLocks = new KeyedQueue();

  // The envelope is judged from its exact bytes; the limit is enforced while reading (Content-Length
  // first), so an oversized body is refused with 413 without being buffered.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: MAX_ENVELOPE_BYTES },
    (_r, body, done) => {
      done(null, body);
    },
  );
  app.setErrorHandler(
    errorHandler(
      (limit) =>
        new StatementError(
          'STATEMENT_ENVELOPE_TOO_LARGE',
          `an envelope is at most ${limit} bytes; this request body is larger`,
        ),
    ),
  );

  app.post(
    '/v1/statements',
    {
      bodyLimit: MAX_ENVELOPE_BYTES,
      // Before the body is read: a refused writer costs no buffering, an admitted one holds a
      // bounded share of the server. What they throw is answered by the error handler.
      onRequest: [
        (request, _reply, done) => {
          if (trust === undefined) {
            throw new StatementError(
              'STATEMENT_NOT_ACCEPTING',
              'this log takes no statements: it was started without a trust file (--trust)',
            );
          }
          const token = bearerToken(request.headers.authorization);
          if (
            statementToken !== undefined &&
            (token === undefined || !sameToken(token, statementToken))
          ) {
            throw new LogError(
              'LOG_UNAUTHORIZED',
              'POST /v1/statements needs the header "Authorization: Bearer <statement token>"',
            );
          }
          done();
        },
        admitWrite(writes, MAX_ENVELOPE_BYTES),
      ],
    },
    async (request, reply) => {
      try {
        return await publish(request.body, reply, request.log);
      } catch (error) {
        if (error instanceof WitnessPendingError) return sendWitnessPending(reply, error);
        throw error;
      }
    },
  );

  async function publish(
    requestBody: unknown,
    reply: FastifyReply,
    logger: FastifyBaseLogger,
  ): Promise<FastifyReply> {
    const body = Buffer.isBuffer(requestBody) ? requestBody : Buffer.alloc(0);
    // Throws 400/413/422 before anything is written: a rejected envelope never reaches the log.
    // Judged on a worker thread: signatures, schema and signing rules are most of the cost.
    const now = new Date();
    if (acceptPool === undefined)
      throw new Error('a server with a trust file has a statement pool');
    const accepted = await acceptPool.accept(body, now);
    // One submission per payload at a time: two variants of one statement must see each other.
    const placed = await payloadLocks.run(accepted.payload, async () => {
      const below = log.published.size;
      await indexer.catchUp(below);
      const rows = await store.findStatements({
        payload: accepted.payload,
        below,
        limit: MAX_VERSIONS,
      });
      const versions = (await withEntries(store, rows)).map((s) => ({
        index: s.index,
        leafHash: s.leafHash,
        entry: s.entry,
        canonical: canonicalEnvelope(s.envelope, trust as Trust, { untrusted: 'drop' }),
      }));
      const placement = placeSubmission(accepted.canonical, versions);
      if (placement.kind === 'logged') {
        const found = versions.find((v) => v.index === placement.index);
        // An entry logged before nospy wrote Sigstore entries gets the ones it lacks now; any
        // other costs one lookup and no write.
        if (found !== undefined) {
          const wanted = sigstoreEntriesOf(found.canonical).map((s) => s.entry);
          const held = await store.findLeaves(wanted.map((e) => leafHash(e)));
          const lacking = wanted.filter((e) => !held.has(leafHash(e).toString('latin1')));
          if (lacking.length > 0) await withinWitnessWait(log.addGroup(lacking), witnessWait);
        }
        return {
          index: placement.index,
          leafHash: found?.leafHash ?? '',
          entry: found?.entry ?? accepted.entry,
          extends: undefined,
        };
      }
      // The joined envelope is judged again (a pinned key, the size): when it fails, the
      // submission alone is logged, as it was accepted. Either way it extends the newest entry
      // of its payload, as the statement index derives from the log.
      let { entry, sigstoreEntries } = accepted;
      if (placement.extends !== undefined) {
        try {
          const joined = acceptStatement(
            serializeEnvelope(placement.canonical.envelope),
            trust as Trust,
            { now },
          );
          entry = joined.entry;
          sigstoreEntries = sigstoreEntriesOf(joined.canonical).map((s) => s.entry);
        } catch {
          ({ entry, sigstoreEntries } = accepted);
        }
      }
      // The envelope and its Sigstore entries land in one batch: a checkpoint covers all or none.
      const [added] = (await withinWitnessWait(
        log.addGroup([entry, ...sigstoreEntries]),
        witnessWait,
      )) as [Sequenced, ...Sequenced[]];
      return {
        index: added.index,
        leafHash: added.leafHash.toString('hex'),
        entry,
        extends: placement.extends,
      };
    });
    const { index } = placed;
    auditWrite(logger, {
      action: 'statement.add',
      by: { keys: accepted.canonical.envelope.signatures.map((s) => s.keyid) },
      index,
      leafHash: placed.leafHash,
      type: accepted.index.type,
      vendor: accepted.index.vendor ?? null,
    });
    const published = log.published;
    const proof = await tree.compute(published.size, (read) =>
      inclusionProof(index, published.size, read),
    );
    // The index is derived from the log and caught up by the readers (GET), not here: a
    // writer waits for its entry's durability only.
    return reply.send({
      index,
      leafHash: placed.leafHash,
      type: accepted.index.type,
      vendor: accepted.index.vendor ?? null,
      subjects: accepted.index.subjects,
      ...(placed.extends === undefined ? {} : { extends: placed.extends }),
      // What the log holds (canonical; with every signature logged for the payload): the
      // envelope the proof is for.
      envelope: JSON.parse(placed.entry.toString('utf8')) as unknown,
      proof: formatTlogProof({
        index,
        proof,
        checkpoint: published.cosignedNote ?? published.note,
      }),
    });
  }

  app.get('/v1/statements', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const problem = badQuery(query);
    if (problem !== undefined) throw new LogError('LOG_USAGE', problem);
    const text = (name: string): string | undefined =>
      typeof query[name] === 'string' ? query[name] : undefined;
    const below = log.published.size;
    await indexer.catchUp(below);
    const limit = text('limit') === undefined ? DEFAULT_PAGE : Number(text('limit'));
    let rows: StatementIndexRow[];
    const leaf = text('leafHash');
    if (leaf !== undefined) {
      const found = await store.findLeaves([Buffer.from(leaf, 'hex')]);
      const at = [...found.values()][0];
      const row = at === undefined || at >= below ? undefined : await store.statementAt(at);
      rows = row === undefined ? [] : [row];
    } else {
      const type = text('type');
      rows = await store.findStatements({
        type: type === undefined ? undefined : (predicateNameOf(type) ?? type),
        vendor: text('vendor'),
        subject: text('subject'),
        payload: text('payload'),
        from: text('from') === undefined ? 0 : Number(text('from')),
        below,
        limit: limit + 1,
      });
    }
    const page = rows.slice(0, limit);
    const statements = await withEntries(store, page);
    return reply.header('cache-control', 'no-store').send({
      size: below,
      statements: statements.map(toJson),
      next: rows.length > limit ? (rows[limit]?.index ?? null) : null,
    });
  });

  app.get('/v1/statements/:index', async (request, reply) => {
    const text = (request.params as { index: string }).index;
    const index = parseIndexParam(text);
    if (index === undefined) {
      throw new LogError(
        'LOG_USAGE',
        `"${text.slice(0, 32)}" is not a log index (a decimal number)`,
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
    const proof = await tree.compute(published.size, (read) =>
      inclusionProof(index, published.size, read),
    );
    return reply.header('cache-control', 'no-store').send({
      ...toJson(statement as LoggedStatement),
      proof: formatTlogProof({
        index,
        proof,
        checkpoint: published.cosignedNote ?? published.note,
      }),
    });
  });
  return Promise.resolve();
};

/** A listed statement: index fields, leaf hash and the envelope as JSON. */
function toJson(statement: LoggedStatement): Record<string, unknown> {
  const name = statement.type as PredicateName;
  return {
    index: statement.index,
    type: statement.type,
    predicateType: PREDICATES[name].predicateType,
    vendor: statement.vendor ?? null,
    subjects: statement.subjects,
    leafHash: statement.leafHash,
    ...(statement.extends === undefined ? {} : { extends: statement.extends }),
    envelope: JSON.parse(serializeEnvelope(statement.envelope).toString('utf8')) as unknown,
  };
}

function badQuery(query: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(query)) {
    if (!QUERY_FIELDS.includes(name)) {
      return `unknown query parameter "${name.slice(0, 32)}" (expected ${QUERY_FIELDS.join(', ')})`;
    }
    if (typeof value !== 'string') return `query parameter "${name}" is given more than once`;
    if (value.length > 256) return `query parameter "${name}" is longer than 256 characters`;
  }
  const { type, subject, leafHash, payload, from, limit } = query as Record<
    string,
    string | undefined
  >;
  if (type !== undefined && !(type in PREDICATES) && predicateNameOf(type) === undefined) {
    return `type "${type}" is not a predicate (${Object.keys(PREDICATES).join(', ')}, or its predicateType URI)`;
  }
  if (subject !== undefined && !SHA256.test(subject)) {
    return `subject "${subject.slice(0, 80)}" is not sha256:<64 lowercase hex>`;
  }
  if (leafHash !== undefined && !HEX_HASH.test(leafHash)) {
    return `leafHash "${leafHash.slice(0, 80)}" is not 64 lowercase hex digits`;
  }
  if (payload !== undefined && !HEX_HASH.test(payload)) {
    return `payload "${payload.slice(0, 80)}" is not 64 lowercase hex digits`;
  }
  if (from !== undefined && parseIndexParam(from) === undefined) {
    return `from "${from.slice(0, 32)}" is not a log index`;
  }
  // A count is written as an index is.
  const count = limit === undefined ? undefined : parseIndexParam(limit);
  if (limit !== undefined && (count === undefined || count < 1 || count > MAX_LISTED_STATEMENTS)) {
    return `limit "${limit.slice(0, 32)}" is not a number from 1 to ${MAX_LISTED_STATEMENTS}`;
  }
  return undefined;
}
