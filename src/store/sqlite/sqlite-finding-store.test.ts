import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../check/finding.js';
import { triageInForce } from '../../check/finding-history.js';
import { SqliteFindingStore } from './sqlite-finding-store.js';

const base: Finding = {
  id: 'firmware-not-logged:1',
  kind: 'firmware-not-logged',
  severity: 'critical',
  subject: { device: 'sw-1' },
  breaks: { type: 'clause', agreement: 1, clause: 'firmware-logged-before-deployment' },
  firstSeen: '2026-05-01T00:00:00.000Z',
  lastSeen: '2026-05-01T00:00:00.000Z',
  explanation: 'sw-1 runs an image no logged release names',
  evidence: [],
};
const other: Finding = { ...base, id: 'firmware-not-logged:2', subject: { device: 'sw-2' } };
const seenAt = (f: Finding, at: string): Finding => ({ ...f, firstSeen: at, lastSeen: at });

let dir: string;
let store: SqliteFindingStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nospy-findings-'));
  store = new SqliteFindingStore(dir);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the finding history across runs', () => {
  it('keeps the first seen of the first run when a later run recomputes it later', async () => {
    await store.recordRun('2026-05-01T00:00:00.000Z', [base]);
    const second = await store.recordRun('2026-05-02T00:00:00.000Z', [
      seenAt(base, '2026-05-02T00:00:00.000Z'),
    ]);
    expect(second.get(base.id)).toEqual({
      id: base.id,
      firstSeen: '2026-05-01T00:00:00.000Z',
      lastSeen: '2026-05-02T00:00:00.000Z',
      firstRun: '2026-05-01T00:00:00.000Z',
      lastRun: '2026-05-02T00:00:00.000Z',
    });
  });

  it('resolves a finding a later run does not report, and reopens it when seen again', async () => {
    await store.recordRun('2026-05-01T00:00:00.000Z', [base, other]);
    await store.recordRun('2026-05-03T00:00:00.000Z', [base]);
    expect((await store.histories()).get(other.id)?.resolvedAt).toBe('2026-05-03T00:00:00.000Z');
    expect((await store.histories()).get(base.id)?.resolvedAt).toBeUndefined();
    expect((await store.lastVersion(other.id))?.subject).toEqual({ device: 'sw-2' });
    await store.recordRun('2026-05-04T00:00:00.000Z', [other]);
    expect((await store.histories()).get(other.id)?.resolvedAt).toBeUndefined();
  });

  it('resolves nothing when an older evaluation date is run again', async () => {
    await store.recordRun('2026-05-03T00:00:00.000Z', [base, other]);
    await store.recordRun('2026-05-01T00:00:00.000Z', [base]);
    expect((await store.histories()).get(other.id)?.resolvedAt).toBeUndefined();
  });

  it('is kept across reopening the database', async () => {
    await store.recordRun('2026-05-01T00:00:00.000Z', [base]);
    await store.close();
    store = new SqliteFindingStore(dir);
    expect([...(await store.histories()).keys()]).toEqual([base.id]);
  });
});

describe('triage decisions', () => {
  it('are kept as history, the latest in force', async () => {
    await store.addTriage({
      finding: base.id,
      state: 'acknowledged',
      by: 'alice',
      at: '2026-05-02T10:00:00.000Z',
      reason: 'ticket OPS-1',
    });
    await store.addTriage({
      finding: base.id,
      state: 'accepted-risk',
      by: 'bob',
      at: '2026-05-03T10:00:00.000Z',
      reason: 'replacement ordered',
      until: '2026-06-30',
    });
    const decisions = (await store.triage()).get(base.id) ?? [];
    expect(decisions.map((d) => d.by)).toEqual(['alice', 'bob']);
    expect(triageInForce(decisions, new Date('2026-06-30T12:00:00Z'))?.state).toBe('accepted-risk');
    expect(triageInForce(decisions, new Date('2026-07-01T00:00:00Z'))).toBeUndefined();
  });

  it('refuse to be written after the store is closed, with STORE_IO', async () => {
    await store.close();
    await expect(store.triage()).rejects.toMatchObject({ code: 'STORE_IO' });
  });
});
