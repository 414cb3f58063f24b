/**
 * The PostgreSQL store's schema, as numbered migrations. Each is applied once, in its own
 * transaction with its version row, so a start interrupted half-way leaves the database at the
 * previous version rather than between two. A transaction-scoped advisory lock makes replicas
 * that start together apply them one at a time. A database at a version newer than this binary
 * knows is refused: an older nospy must not write to a schema it does not understand.
 */
import { StoreError } from '../errors.js';
import type { PostgresPool } from './pool.js';
import { postgresError } from './pool.js';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** The key of the advisory lock held while migrating ('nospy' + 'm' as a 64-bit number). */
const MIGRATION_LOCK = 0x6e6f7370796d;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'the log: identity, checkpoint, tiles, entries, audit watermark',
    sql: `
CREATE TABLE log_identity (
  id integer PRIMARY KEY CHECK (id = 1),
  origin text NOT NULL,
  vkey text NOT NULL
);
CREATE TABLE log_checkpoint (
  id integer PRIMARY KEY CHECK (id = 1),
  size bigint NOT NULL,
  root_hash bytea NOT NULL,
  note text NOT NULL,
  cosigned_note text
);
CREATE TABLE log_tiles (
  level integer NOT NULL,
  idx bigint NOT NULL,
  hashes bytea NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE log_entries (
  idx bigint PRIMARY KEY,
  data bytea NOT NULL
);
CREATE TABLE log_audit_watermark (
  id integer PRIMARY KEY CHECK (id = 1),
  note text NOT NULL
);`,
  },
  {
    version: 2,
    description: 'the statement index, derived from the log entries',
    sql: `
CREATE TABLE statement_index_state (
  id integer PRIMARY KEY CHECK (id = 1),
  size bigint NOT NULL
);
CREATE TABLE statements (
  idx bigint PRIMARY KEY,
  type text NOT NULL,
  vendor text
);
CREATE INDEX statements_by_type ON statements (type, idx);
CREATE INDEX statements_by_vendor ON statements (vendor, idx);
CREATE TABLE statement_subjects (
  digest text NOT NULL,
  idx bigint NOT NULL,
  PRIMARY KEY (digest, idx)
);
CREATE INDEX statement_subjects_by_idx ON statement_subjects (idx);
CREATE TABLE statement_payloads (
  idx bigint PRIMARY KEY,
  digest text NOT NULL
);
CREATE INDEX statement_payloads_by_digest ON statement_payloads (digest, idx);`,
  },
  {
    version: 3,
    description: "the witness's latest cosigned checkpoint per log",
    sql: `
CREATE TABLE witness_logs (
  origin text PRIMARY KEY,
  size bigint NOT NULL,
  root_hash bytea NOT NULL,
  note text NOT NULL
);`,
  },
  {
    version: 4,
    description: 'content-addressed blobs, stored in chunks',
    sql: `
CREATE TABLE blobs (
  digest text PRIMARY KEY,
  size bigint NOT NULL
);
CREATE TABLE blob_chunks (
  digest text NOT NULL,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (digest, seq)
);`,
  },
  {
    version: 5,
    description: 'when each checkpoint size was first signed (when its entries were logged)',
    // The NULL row marks the size the log already had: those entries' times were never kept.
    sql: `
CREATE TABLE log_checkpoint_times (
  size bigint PRIMARY KEY,
  signed_at bigint
);
INSERT INTO log_checkpoint_times (size, signed_at)
  SELECT size, NULL FROM log_checkpoint WHERE size > 0;`,
  },
  {
    version: 6,
    description:
      'entries submitted to a replica, queued for the sequencer; checkpoint notifications',
    // A group (a statement and its Sigstore entries) is one row, so the sequencer takes it as
    // one batch. The triggers notify at commit: the sequencer of new submissions, every replica
    // of a new checkpoint (they poll too, so a lost notification only delays).
    sql: `
CREATE TABLE log_submissions (
  id bigserial PRIMARY KEY,
  entries bytea NOT NULL,
  lengths integer[] NOT NULL,
  claimed_by text,
  submitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION nospy_notify_submissions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nospy_submissions', '');
  RETURN NULL;
END $$;
CREATE TRIGGER log_submissions_notify AFTER INSERT ON log_submissions
  FOR EACH STATEMENT EXECUTE FUNCTION nospy_notify_submissions();
CREATE FUNCTION nospy_notify_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nospy_checkpoint', NEW.size::text);
  RETURN NULL;
END $$;
CREATE TRIGGER log_checkpoint_notify AFTER INSERT OR UPDATE ON log_checkpoint
  FOR EACH ROW EXECUTE FUNCTION nospy_notify_checkpoint();`,
  },
  {
    version: 7,
    description: "the check's finding history and the analysts' triage decisions",
    sql: `
CREATE TABLE finding_history (
  id text PRIMARY KEY,
  first_seen text NOT NULL,
  last_seen text NOT NULL,
  first_run text NOT NULL,
  last_run text NOT NULL,
  resolved_at text,
  finding text NOT NULL
);
CREATE TABLE finding_triage (
  seq bigserial PRIMARY KEY,
  finding text NOT NULL,
  state text NOT NULL,
  decided_by text NOT NULL,
  at text NOT NULL,
  reason text NOT NULL,
  until text
);
CREATE INDEX finding_triage_by_finding ON finding_triage (finding, seq);`,
  },
  {
    version: 8,
    description: "the traffic workers' behaviour aggregates",
    sql: `
CREATE TABLE traffic_messages (
  stream text NOT NULL,
  seq bigint NOT NULL,
  records bigint NOT NULL,
  PRIMARY KEY (stream, seq)
);
CREATE TABLE traffic_totals (
  id integer PRIMARY KEY CHECK (id = 1),
  records bigint NOT NULL,
  legs bigint NOT NULL,
  allowed_legs bigint NOT NULL,
  granted_legs bigint NOT NULL,
  unattributed bigint NOT NULL,
  overflow bigint NOT NULL
);
INSERT INTO traffic_totals VALUES (1, 0, 0, 0, 0, 0, 0);
CREATE TABLE traffic_findings (
  device text NOT NULL,
  kind text NOT NULL,
  remote text NOT NULL,
  proto integer NOT NULL,
  side text NOT NULL,
  port integer NOT NULL,
  inferred_rank integer NOT NULL,
  first double precision NOT NULL,
  last double precision NOT NULL,
  records bigint NOT NULL,
  packets double precision NOT NULL,
  bytes double precision NOT NULL,
  directions integer NOT NULL,
  PRIMARY KEY (device, kind, remote, proto, side, port)
);
CREATE TABLE traffic_conversation_ports (
  device text NOT NULL,
  remote text NOT NULL,
  proto integer NOT NULL,
  side text NOT NULL,
  port integer NOT NULL,
  first double precision NOT NULL,
  last double precision NOT NULL,
  records bigint NOT NULL,
  packets double precision NOT NULL,
  bytes double precision NOT NULL,
  directions integer NOT NULL,
  PRIMARY KEY (device, remote, proto, side, port)
);
CREATE TABLE traffic_samples (
  id bigserial PRIMARY KEY,
  owner text NOT NULL,
  stream text NOT NULL,
  seq bigint NOT NULL,
  record text NOT NULL
);
CREATE INDEX traffic_samples_by_owner ON traffic_samples (owner, id);`,
  },
];

/** The newest schema version this binary knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export interface MigrationOutcome {
  /** The version the database was at before. */
  readonly from: number;
  readonly to: number;
  readonly applied: readonly Migration[];
}

/**
 * Brings the database to SCHEMA_VERSION, applying each missing migration in a transaction of its
 * own; STORE_SCHEMA when the database is newer than that.
 */
export async function migrate(
  pool: PostgresPool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationOutcome> {
  const latest = Math.max(0, ...migrations.map((m) => m.version));
  const client = await pool.connect().catch((error: unknown) => {
    throw postgresError('connect to apply the schema migrations', error);
  });
  try {
    // Asked first: CREATE … IF NOT EXISTS needs the CREATE privilege even when the table is
    // there, and a serving role without it must still start on a migrated database.
    const known = await client.query<{ present: boolean }>(
      "SELECT to_regclass('nospy_schema') IS NOT NULL AS present",
    );
    if (known.rows[0]?.present !== true)
      await client.query(`CREATE TABLE IF NOT EXISTS nospy_schema (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const from = await currentVersion(client);
    // Applied by version, not by "up to the highest": versions are handed out to changes made
    // side by side, so a database may hold 7 before 6 exists in the binary that migrated it.
    const done = await appliedVersions(client);
    const applied: Migration[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version) && from <= latest) continue;
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        // Read again under the lock: another replica may have applied it meanwhile.
        const at = await currentVersion(client);
        if (at > latest) throw newerSchema(at, latest);
        if ((await appliedVersions(client)).has(migration.version)) {
          await client.query('COMMIT');
          continue;
        }
        await client.query(migration.sql);
        await client.query('INSERT INTO nospy_schema (version, description) VALUES ($1, $2)', [
          migration.version,
          migration.description,
        ]);
        await client.query('COMMIT');
        applied.push(migration);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    const to = await currentVersion(client);
    if (to > latest) throw newerSchema(to, latest);
    return { from, to, applied };
  } catch (error) {
    throw postgresError('apply the schema migrations', error);
  } finally {
    client.release();
  }
}

async function currentVersion(client: { query: PostgresPool['query'] }): Promise<number> {
  const result = await client.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM nospy_schema',
  );
  return result.rows[0]?.version ?? 0;
}

async function appliedVersions(client: { query: PostgresPool['query'] }): Promise<Set<number>> {
  const result = await client.query<{ version: number }>('SELECT version FROM nospy_schema');
  return new Set(result.rows.map((row) => row.version));
}

function newerSchema(at: number, latest: number): StoreError {
  return new StoreError(
    'STORE_SCHEMA',
    `the database is at schema version ${at}, newer than the ${latest} this nospy knows: it was written by a newer nospy; run that version (or a newer one) against it`,
  );
}
