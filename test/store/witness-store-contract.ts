/**
 * The contract every witness store adapter keeps (src/store/witness-store-port.ts), run against
 * the embedded SQLite database beside its module and against PostgreSQL in test/store/.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WitnessLogState, WitnessStorePort } from '../../src/store/witness-store-port.js';

export interface WitnessStoreLocation {
  open(): Promise<WitnessStorePort>;
  remove(): Promise<void>;
}

const state = (origin: string, size: number): WitnessLogState => ({
  origin,
  size,
  rootHash: Buffer.alloc(32, size),
  note: `${origin}\n${size}\n`,
});

export function describeWitnessStoreContract(create: () => Promise<WitnessStoreLocation>): void {
  let location: WitnessStoreLocation;
  const opened: WitnessStorePort[] = [];
  beforeEach(async () => {
    location = await create();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await location.remove();
  });
  async function openStore(): Promise<WitnessStorePort> {
    const store = await location.open();
    opened.push(store);
    return store;
  }

  it('remembers nothing of a log it never cosigned', async () => {
    const store = await openStore();
    expect(await store.latest('log.example/a')).toBeUndefined();
    expect(await store.all()).toEqual([]);
  });

  it('advances a log only from the size it expects, and keeps it across a reopen', async () => {
    const store = await openStore();
    expect(await store.advance(state('log.example/a', 3), undefined)).toBe(true);
    // A second first state, or one from a stale size, lost the race: nothing changes.
    expect(await store.advance(state('log.example/a', 4), undefined)).toBe(false);
    expect(await store.advance(state('log.example/a', 9), 2)).toBe(false);
    expect(await store.advance(state('log.example/a', 7), 3)).toBe(true);
    expect(await store.advance(state('log.example/b', 1), undefined)).toBe(true);
    const again = await openStore();
    expect(await again.latest('log.example/a')).toEqual(state('log.example/a', 7));
    expect((await again.all()).map((s) => [s.origin, s.size])).toEqual([
      ['log.example/a', 7],
      ['log.example/b', 1],
    ]);
  });

  describe('when it is closed', () => {
    it('refuses reads with STORE_IO', async () => {
      const store = await location.open();
      await store.close();
      await expect(store.all()).rejects.toMatchObject({ code: 'STORE_IO' });
    });
  });
}
