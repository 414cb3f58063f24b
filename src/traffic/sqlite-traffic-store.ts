import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BehaviourPartial } from '../mud/index.js';
import { storeCall } from '../store/sqlite/store-call.js';
import type { TrafficReport, TrafficStorePort } from './traffic-store-port.js';
import {
  reportOfRows,
  rowsOfPartial,
  type FindingRow,
  type PortRow,
  type StoredSample,
  type TotalsRow,
} from './traffic-rows.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS traffic_messages (
  stream TEXT NOT NULL, seq INTEGER NOT NULL, records INTEGER NOT NULL,
  PRIMARY KEY (stream, seq));
CREATE TABLE IF NOT EXISTS traffic_totals (
  id INTEGER PRIMARY KEY CHECK (id = 1), records INTEGER NOT NULL, legs INTEGER NOT NULL,
  allowed_legs INTEGER NOT NULL, granted_legs INTEGER NOT NULL, unattributed INTEGER NOT NULL,
  overflow INTEGER NOT NULL);
INSERT OR IGNORE INTO traffic_totals VALUES (1, 0, 0, 0, 0, 0, 0);
CREATE TABLE IF NOT EXISTS traffic_findings (
  device TEXT NOT NULL, kind TEXT NOT NULL, remote TEXT NOT NULL, proto INTEGER NOT NULL,
  side TEXT NOT NULL, port INTEGER NOT NULL, inferred_rank INTEGER NOT NULL,
  first REAL NOT NULL, last REAL NOT NULL, records INTEGER NOT NULL, packets REAL NOT NULL,
  bytes REAL NOT NULL, directions INTEGER NOT NULL,
  PRIMARY KEY (device, kind, remote, proto, side, port));
CREATE TABLE IF NOT EXISTS traffic_conversation_ports (
  device TEXT NOT NULL, remote TEXT NOT NULL, proto INTEGER NOT NULL, side TEXT NOT NULL,
  port INTEGER NOT NULL, first REAL NOT NULL, last REAL NOT NULL, records INTEGER NOT NULL,
  packets REAL NOT NULL, bytes REAL NOT NULL, directions INTEGER NOT NULL,
  PRIMARY KEY (device, remote, proto, side, port));
CREATE TABLE IF NOT EXISTS traffic_samples (
  owner TEXT NOT NULL, n INTEGER NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL,
  record TEXT NOT NULL, PRIMARY KEY (owner, n));
`;

/**
 * The traffic aggregates in SQLite (WAL, synchronous=FULL: an applied message survives a crash
 * before its acknowledgement, so it is never applied twice nor lost). Sums are added with
 * upserts, so any number of workers may apply messages in any order.
 */
export class SqliteTrafficStore implements TrafficStorePort {
  private readonly db: Database.Database;
  private readonly applyTx: (
    stream: string,
    sequence: number,
    partial: BehaviourPartial,
  ) => boolean;
  private closed = false;

  constructor(
    file: string,
    private readonly maxSamples = 5,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // Several workers write one file: wait for the lock rather than fail.
    this.db.pragma('busy_timeout = 30000');
    this.db.exec(SCHEMA);
    const seen = this.db.prepare('INSERT OR IGNORE INTO traffic_messages VALUES (?, ?, ?)');
    const totals = this.db.prepare(
      `UPDATE traffic_totals SET records = records + ?, legs = legs + ?, allowed_legs = allowed_legs + ?,
       granted_legs = granted_legs + ?, unattributed = unattributed + ?, overflow = overflow + ?`,
    );
    const finding = this.db.prepare(
      `INSERT INTO traffic_findings VALUES (@device, @kind, @remote, @proto, @side, @port,
         @inferred_rank, @first, @last, @records, @packets, @bytes, @directions)
       ON CONFLICT DO UPDATE SET inferred_rank = min(inferred_rank, excluded.inferred_rank),
         first = min(first, excluded.first), last = max(last, excluded.last),
         records = records + excluded.records, packets = packets + excluded.packets,
         bytes = bytes + excluded.bytes, directions = directions | excluded.directions`,
    );
    const port = this.db.prepare(
      `INSERT INTO traffic_conversation_ports VALUES (@device, @remote, @proto, @side, @port,
         @first, @last, @records, @packets, @bytes, @directions)
       ON CONFLICT DO UPDATE SET first = min(first, excluded.first), last = max(last, excluded.last),
         records = records + excluded.records, packets = packets + excluded.packets,
         bytes = bytes + excluded.bytes, directions = directions | excluded.directions`,
    );
    // Samples: the first few per owner, numbered; a full owner takes no more.
    const sample = this.db.prepare(
      `INSERT INTO traffic_samples SELECT @owner, count(*), @stream, @seq, @record FROM traffic_samples
       WHERE owner = @owner HAVING count(*) < @max`,
    );
    this.applyTx = this.db.transaction((stream: string, sequence: number, p: BehaviourPartial) => {
      if (seen.run(stream, sequence, p.records).changes === 0) return false;
      totals.run(p.records, p.legs, p.allowedLegs, p.grantedLegs, p.unattributed, p.overflow);
      const rows = rowsOfPartial(p, this.maxSamples);
      for (const row of rows.findings) finding.run(row);
      for (const row of rows.ports) port.run(row);
      for (const s of rows.samples) {
        sample.run({
          owner: s.owner,
          stream,
          seq: sequence,
          record: s.record,
          max: this.maxSamples,
        });
      }
      return true;
    });
  }

  apply(stream: string, sequence: number, partial: BehaviourPartial): Promise<boolean> {
    return storeCall(this.closed, 'apply a traffic message', () =>
      this.applyTx(stream, sequence, partial),
    );
  }

  report(): Promise<TrafficReport> {
    return storeCall(this.closed, 'read the traffic aggregates', () => {
      // One read transaction: the rows are one snapshot while workers keep applying.
      const read = this.db.transaction(() => ({
        samples: this.db
          .prepare('SELECT owner, stream, seq, record FROM traffic_samples ORDER BY owner, n')
          .all() as StoredSample[],
        findings: this.db.prepare('SELECT * FROM traffic_findings').all() as FindingRow[],
        ports: this.db.prepare('SELECT * FROM traffic_conversation_ports').all() as PortRow[],
        totals: this.db.prepare('SELECT * FROM traffic_totals').get() as TotalsRow,
        messages: (
          this.db.prepare('SELECT count(*) AS messages FROM traffic_messages').get() as {
            messages: number;
          }
        ).messages,
      }));
      return reportOfRows(read(), this.maxSamples);
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }
}
