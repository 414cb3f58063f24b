import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FlowRecord } from '../flows/flow-record.js';
import {
  inferenceOfRank,
  inferenceRank,
  resolveFindings,
  type BehaviourFinding,
  type BehaviourPartial,
  type ConversationTally,
  type MudDirection,
  type PortTally,
} from '../mud/index.js';
import type { StreamOrigin, TrafficReport, TrafficStorePort } from './traffic-store-port.js';

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
  record TEXT NOT NULL,
  PRIMARY KEY (owner, n));
`;

const FROM_DEVICE = 1;
const TO_DEVICE = 2;

function directionBits(directions: readonly MudDirection[]): number {
  return (
    (directions.includes('from-device') ? FROM_DEVICE : 0) |
    (directions.includes('to-device') ? TO_DEVICE : 0)
  );
}

function directionsOf(bits: number): MudDirection[] {
  const out: MudDirection[] = [];
  if (bits & FROM_DEVICE) out.push('from-device');
  if (bits & TO_DEVICE) out.push('to-device');
  return out;
}

const findingOwner = (
  f: Pick<BehaviourFinding, 'device' | 'kind' | 'remote' | 'proto' | 'side' | 'port'>,
) => JSON.stringify(['f', f.device, f.kind, f.remote, f.proto, f.side, f.port]);
const portOwner = (device: string, remote: string, proto: number, side: string, port: number) =>
  JSON.stringify(['c', device, remote, proto, side, port]);

interface FindingRow {
  device: string;
  kind: BehaviourFinding['kind'];
  remote: string;
  proto: number;
  side: BehaviourFinding['side'];
  port: number;
  inferred_rank: number;
  first: number;
  last: number;
  records: number;
  packets: number;
  bytes: number;
  directions: number;
}

interface PortRow {
  device: string;
  remote: string;
  proto: number;
  side: 'device' | 'remote';
  port: number;
  first: number;
  last: number;
  records: number;
  packets: number;
  bytes: number;
  directions: number;
}

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
      `INSERT INTO traffic_findings VALUES (@device, @kind, @remote, @proto, @side, @port, @rank,
         @first, @last, @records, @packets, @bytes, @directions)
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
    const samples = (
      owner: string,
      records: readonly FlowRecord[],
      stream: string,
      seq: number,
    ) => {
      for (const r of records.slice(0, this.maxSamples))
        sample.run({ owner, stream, seq, record: JSON.stringify(r), max: this.maxSamples });
    };
    this.applyTx = this.db.transaction((stream: string, sequence: number, p: BehaviourPartial) => {
      if (seen.run(stream, sequence, p.records).changes === 0) return false;
      totals.run(p.records, p.legs, p.allowedLegs, p.grantedLegs, p.unattributed, p.overflow);
      for (const f of p.findings) {
        finding.run({
          device: f.device,
          kind: f.kind,
          remote: f.remote,
          proto: f.proto,
          side: f.side,
          port: f.port,
          rank: inferenceRank(f.inferred),
          first: f.first,
          last: f.last,
          records: f.records,
          packets: f.packets,
          bytes: f.bytes,
          directions: directionBits(f.directions),
        });
        samples(findingOwner(f), f.samples, stream, sequence);
      }
      for (const c of p.conversations) {
        for (const [side, ports] of [
          ['device', c.devicePorts],
          ['remote', c.remotePorts],
        ] as const) {
          for (const [n, t] of ports) {
            port.run({
              device: c.device,
              remote: c.remote,
              proto: c.proto,
              side,
              port: n,
              first: t.first,
              last: t.last,
              records: t.records,
              packets: t.packets,
              bytes: t.bytes,
              directions: directionBits(t.directions),
            });
            samples(portOwner(c.device, c.remote, c.proto, side, n), t.samples, stream, sequence);
          }
        }
      }
      return true;
    });
  }

  apply(stream: string, sequence: number, partial: BehaviourPartial): Promise<boolean> {
    return Promise.resolve(this.applyTx(stream, sequence, partial));
  }

  report(): Promise<TrafficReport> {
    return Promise.resolve(this.read());
  }

  private read(): TrafficReport {
    const sampleOrigins = new Map<FlowRecord, StreamOrigin>();
    const read = this.db.transaction(() => {
      const sampleRows = this.db
        .prepare('SELECT owner, stream, seq, record FROM traffic_samples ORDER BY owner, n')
        .all() as { owner: string; stream: string; seq: number; record: string }[];
      const samples = new Map<string, FlowRecord[]>();
      for (const s of sampleRows) {
        let list = samples.get(s.owner);
        if (list === undefined) samples.set(s.owner, (list = []));
        const record = JSON.parse(s.record) as FlowRecord;
        sampleOrigins.set(record, { stream: s.stream, sequence: s.seq });
        list.push(record);
      }
      const findings: BehaviourFinding[] = (
        this.db.prepare('SELECT * FROM traffic_findings').all() as FindingRow[]
      ).map((r) => ({
        device: r.device,
        kind: r.kind,
        remote: r.remote,
        port: r.port,
        proto: r.proto,
        side: r.side,
        inferred: inferenceOfRank(r.inferred_rank),
        directions: directionsOf(r.directions),
        first: r.first,
        last: r.last,
        records: r.records,
        packets: r.packets,
        bytes: r.bytes,
        samples: samples.get(findingOwner(r)) ?? [],
      }));
      const conversations = new Map<
        string,
        ConversationTally & {
          devicePorts: Map<number, PortTally>;
          remotePorts: Map<number, PortTally>;
        }
      >();
      for (const r of this.db
        .prepare('SELECT * FROM traffic_conversation_ports')
        .all() as PortRow[]) {
        const key = JSON.stringify([r.device, r.remote, r.proto]);
        let c = conversations.get(key);
        if (c === undefined) {
          c = {
            device: r.device,
            remote: r.remote,
            proto: r.proto,
            devicePorts: new Map<number, PortTally>(),
            remotePorts: new Map<number, PortTally>(),
          };
          conversations.set(key, c);
        }
        (r.side === 'device' ? c.devicePorts : c.remotePorts).set(r.port, {
          first: r.first,
          last: r.last,
          records: r.records,
          packets: r.packets,
          bytes: r.bytes,
          directions: directionsOf(r.directions),
          samples: samples.get(portOwner(r.device, r.remote, r.proto, r.side, r.port)) ?? [],
        });
      }
      const totals = this.db.prepare('SELECT * FROM traffic_totals').get() as {
        records: number;
        legs: number;
        allowed_legs: number;
        granted_legs: number;
        unattributed: number;
        overflow: number;
      };
      const { messages } = this.db
        .prepare('SELECT count(*) AS messages FROM traffic_messages')
        .get() as { messages: number };
      return { findings, conversations: [...conversations.values()], totals, messages };
    });
    const { findings, conversations, totals, messages } = read();
    const resolved = resolveFindings({ findings, conversations }, this.maxSamples).sort(
      (a, b) =>
        cmp(a.device, b.device) ||
        a.first - b.first ||
        cmp(a.remote, b.remote) ||
        a.port - b.port ||
        cmp(a.side, b.side),
    );
    return {
      findings: resolved,
      records: totals.records,
      legs: totals.legs,
      allowedLegs: totals.allowed_legs,
      grantedLegs: totals.granted_legs,
      unattributed: totals.unattributed,
      overflow: totals.overflow,
      sampleOrigins,
      messages,
    };
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
