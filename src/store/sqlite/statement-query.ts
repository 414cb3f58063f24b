/**
 * The SQL of the statement index's queries. Each one is answered from an index, never by a scan
 * of every statement: the cost of a query must not grow with the log. Before this, a query by
 * payload walked every statement below the published size and probed each one's payload (a
 * correlated EXISTS), and each row's subjects were gathered by a scan of every subject row, so
 * every `POST /v1/statements` (which looks its payload up) slowed as the log grew, on the event
 * loop.
 */
import type { StatementQuery } from '../log-store-port.js';

/** One row as SQLite returns it; `subjects` is space-separated. */
export interface StatementDbRow {
  idx: number;
  type: string;
  vendor: string | null;
  subjects: string;
  payload: string | null;
  extends: number | null;
}

/**
 * The index fields of statement `s`. Each sub-select is a lookup by the row's index:
 * `statement_subjects_by_index` for the subjects, the primary key and
 * `statement_payloads_by_digest` for the payload and the entry it extends.
 */
export const STATEMENT_COLUMNS = `s.idx AS idx, s.type AS type, s.vendor AS vendor,
  (SELECT group_concat(d.digest, ' ') FROM statement_subjects d WHERE d.idx = s.idx) AS subjects,
  (SELECT p.digest FROM statement_payloads p WHERE p.idx = s.idx) AS payload,
  (SELECT max(q.idx) FROM statement_payloads p JOIN statement_payloads q
     ON q.digest = p.digest AND q.idx < p.idx WHERE p.idx = s.idx) AS extends`;

/** The index the statement queries need beside the tables' own keys. */
export const STATEMENT_QUERY_INDEXES = `
CREATE INDEX IF NOT EXISTS statements_by_type ON statements (type, idx);
CREATE INDEX IF NOT EXISTS statements_by_vendor ON statements (vendor, idx);
CREATE INDEX IF NOT EXISTS statement_payloads_by_digest ON statement_payloads (digest, idx);
-- The subjects' key is (digest, idx): gathering one statement's subjects needs (idx, digest).
CREATE INDEX IF NOT EXISTS statement_subjects_by_index ON statement_subjects (idx, digest);
`;

/**
 * The SQL and parameters of `query`, ordered by index. A payload or subject, when given, is the
 * most selective filter and drives the query from its own index (CROSS JOIN keeps SQLite from
 * reordering); otherwise the type's or vendor's index, or the primary key, is walked in index
 * order and the LIMIT stops it.
 */
export function statementQuerySql(query: StatementQuery): {
  readonly sql: string;
  readonly params: (string | number)[];
} {
  const from = query.from ?? 0;
  const where: string[] = [];
  const params: (string | number)[] = [];
  let source = 'statements s';
  if (query.payload !== undefined) {
    source = 'statement_payloads f CROSS JOIN statements s ON s.idx = f.idx';
    where.push('f.digest = ?', 'f.idx >= ?', 'f.idx < ?');
    params.push(query.payload, from, query.below);
  } else if (query.subject !== undefined) {
    source = 'statement_subjects f CROSS JOIN statements s ON s.idx = f.idx';
    where.push('f.digest = ?', 'f.idx >= ?', 'f.idx < ?');
    params.push(query.subject, from, query.below);
  } else {
    where.push('s.idx >= ?', 's.idx < ?');
    params.push(from, query.below);
  }
  if (query.type !== undefined) {
    where.push('s.type = ?');
    params.push(query.type);
  }
  if (query.vendor !== undefined) {
    where.push('s.vendor = ?');
    params.push(query.vendor);
  }
  if (query.payload !== undefined && query.subject !== undefined) {
    where.push('EXISTS (SELECT 1 FROM statement_subjects d WHERE d.digest = ? AND d.idx = s.idx)');
    params.push(query.subject);
  }
  params.push(query.limit);
  const order = source === 'statements s' ? 's.idx' : 'f.idx';
  // Built from fixed fragments only; every value is a bound parameter.
  return {
    sql: `SELECT ${STATEMENT_COLUMNS} FROM ${source} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
    params,
  };
}
