import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatementIndexRow, StatementQuery } from '../log-store-port.js';
import { DATABASE_FILE } from './database.js';
import { SqliteLogStore } from './sqlite-log-store.js';
import { STATEMENT_COLUMNS, statementQuerySql } from './statement-query.js';

const digest = (n: number) => n.toString(16).padStart(64, '0');
const subject = (n: number) => `sha256:${digest(n)}`;

/**
 * 600 statements: three types, two vendors (and none), up to two subjects, and payloads that
 * repeat (an entry extending an earlier one of the same payload).
 */
const ROWS: StatementIndexRow[] = Array.from({ length: 600 }, (_, i) => ({
  index: 2 * i,
  type: ['release', 'vex', 'mud'][i % 3] as string,
  vendor: i % 5 === 0 ? undefined : `vendor-${String(i % 2)}`,
  subjects: i % 7 === 0 ? [] : [subject(i % 11), subject(100 + (i % 4))].sort(),
  payload: digest(i % 40),
}));

/** Every combination of filters, with values that match many rows, a few, or none. */
const QUERIES: StatementQuery[] = [];
for (const type of [undefined, 'vex', 'none'])
  for (const vendor of [undefined, 'vendor-1'])
    for (const subj of [undefined, subject(3), subject(101)])
      for (const payload of [undefined, digest(7), digest(99)])
        for (const [from, below, limit] of [
          [0, 1200, 1000],
          [300, 900, 5],
        ] as const)
          QUERIES.push({ type, vendor, subject: subj, payload, from, below, limit });

function naive(query: StatementQuery): number[] {
  return ROWS.filter(
    (row) =>
      row.index >= (query.from ?? 0) &&
      row.index < query.below &&
      (query.type === undefined || row.type === query.type) &&
      (query.vendor === undefined || row.vendor === query.vendor) &&
      (query.subject === undefined || row.subjects.includes(query.subject)) &&
      (query.payload === undefined || row.payload === query.payload),
  )
    .slice(0, query.limit)
    .map((row) => row.index);
}

let dir: string;
let store: SqliteLogStore;
let db: Database.Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nospy-statement-query-'));
  store = new SqliteLogStore(dir);
  await store.indexStatements(0, 1200, ROWS);
  db = new Database(join(dir, DATABASE_FILE), { readonly: true });
});
afterAll(async () => {
  db.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the statement index queries', () => {
  it('find exactly the statements every given filter matches, in index order', async () => {
    for (const query of QUERIES) {
      const found = await store.findStatements(query);
      expect(
        found.map((row) => row.index),
        JSON.stringify(query),
      ).toEqual(naive(query));
    }
  });

  it('answer each row with its subjects, payload and the entry of its payload it extends', async () => {
    const [row] = await store.findStatements({
      payload: digest(7),
      from: 100,
      below: 1200,
      limit: 1,
    });
    const source = ROWS.find((r) => r.index === row?.index);
    expect(row).toEqual({ ...source, extends: (row?.index ?? 0) - 80 });
  });

  // A scan's cost grows with the log, and these run on the event loop for every publish.
  it('are each answered from an index, never by scanning a table', () => {
    const plans = [
      ...QUERIES.map((query) => statementQuerySql(query)),
      { sql: `SELECT ${STATEMENT_COLUMNS} FROM statements s WHERE s.idx = ?`, params: [1] },
    ].map(({ sql, params }) =>
      db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((step) => step.detail),
    );
    for (const plan of plans) {
      expect(plan.filter((step) => step.startsWith('SCAN'))).toEqual([]);
    }
  });
});
