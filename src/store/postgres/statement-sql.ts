/**
 * The statement index in PostgreSQL: the same rows as the SQLite adapter keeps, derived from the
 * log entries (see StatementIndexer), queried with numbered parameters.
 */
import type { StatementIndexRow, StatementQuery } from '../log-store-port.js';

export interface StatementDbRow {
  idx: number;
  type: string;
  vendor: string | null;
  subjects: string;
  payload: string | null;
  extends: number | null;
}

export const STATEMENT_COLUMNS = `s.idx AS idx, s.type AS type, s.vendor AS vendor,
  (SELECT coalesce(string_agg(d.digest, ' ' ORDER BY d.digest), '') FROM statement_subjects d
     WHERE d.idx = s.idx) AS subjects,
  (SELECT p.digest FROM statement_payloads p WHERE p.idx = s.idx) AS payload,
  (SELECT max(q.idx) FROM statement_payloads p JOIN statement_payloads q
     ON q.digest = p.digest AND q.idx < p.idx WHERE p.idx = s.idx) AS extends`;

/** The query of `findStatements`: fixed fragments only; every value is a bound parameter. */
export function statementQuerySql(query: StatementQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [query.from ?? 0, query.below];
  const where = ['s.idx >= $1', 's.idx < $2'];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.type !== undefined) where.push(`s.type = ${bind(query.type)}`);
  if (query.vendor !== undefined) where.push(`s.vendor = ${bind(query.vendor)}`);
  if (query.payload !== undefined) {
    where.push(
      `EXISTS (SELECT 1 FROM statement_payloads p WHERE p.digest = ${bind(query.payload)} AND p.idx = s.idx)`,
    );
  }
  if (query.subject !== undefined) {
    where.push(
      `EXISTS (SELECT 1 FROM statement_subjects d WHERE d.digest = ${bind(query.subject)} AND d.idx = s.idx)`,
    );
  }
  const limit = bind(query.limit);
  return {
    sql: `SELECT ${STATEMENT_COLUMNS} FROM statements s WHERE ${where.join(' AND ')}
      ORDER BY s.idx LIMIT ${limit}`,
    params,
  };
}

export function toStatementRow(row: StatementDbRow): StatementIndexRow {
  return {
    index: row.idx,
    type: row.type,
    vendor: row.vendor ?? undefined,
    subjects: row.subjects === '' ? [] : row.subjects.split(' ').sort(),
    ...(row.payload === null ? {} : { payload: row.payload }),
    ...(row.extends === null ? {} : { extends: row.extends }),
  };
}
