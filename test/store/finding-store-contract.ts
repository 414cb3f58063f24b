/**
 * The contract every finding store adapter keeps (src/store/finding-store-port.ts), as one suite
 * that each adapter's test file runs against a real store: the embedded SQLite database beside
 * its module, PostgreSQL in test/store/.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/check/finding.js';
import { triageInForce } from '../../src/check/finding-history.js';
import type { FindingStorePort } from '../../src/store/finding-store-port.js';

/** One empty store location for one test: every `open` connects anew to the same history. */
export interface FindingStoreLocation {
  open(): Promise<FindingStorePort>;
  /** Removes the location (its directory, its database). */
  remove(): Promise<void>;
}

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

/** Declares the contract's tests for one adapter; `create` makes a fresh location per test. */
export function describeFindingStoreContract(create: () => Promise<FindingStoreLocation>): void {
  let location: FindingStoreLocation;
  let store: FindingStorePort;
  beforeEach(async () => {
    location = await create();
    store = await location.open();
  });
  afterEach(async () => {
    await store.close();
    await location.remove();
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
      store = await location.open();
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
      expect(triageInForce(decisions, new Date('2026-06-30T12:00:00Z'))?.state).toBe(
        'accepted-risk',
      );
      expect(triageInForce(decisions, new Date('2026-07-01T00:00:00Z'))).toBeUndefined();
    });

    it('refuse to be written after the store is closed, with STORE_IO', async () => {
      await store.close();
      await expect(store.triage()).rejects.toMatchObject({ code: 'STORE_IO' });
    });
  });

  describe('when two runs are recorded at once', () => {
    it('applies both, each finding once, the later run last', async () => {
      const second = await location.open();
      try {
        await Promise.all([
          store.recordRun('2026-05-01T00:00:00.000Z', [base, other]),
          second.recordRun('2026-05-01T00:00:00.000Z', [base, other]),
        ]);
        expect([...(await second.histories()).keys()].sort()).toEqual([base.id, other.id]);
      } finally {
        await second.close();
      }
    });
  });

  it('keeps a finding reported twice in one run once', async () => {
    const run = await store.recordRun('2026-05-01T00:00:00.000Z', [base, base]);
    expect([...run.keys()]).toEqual([base.id]);
    expect((await store.lastVersion(base.id))?.explanation).toBe(base.explanation);
  });
}
