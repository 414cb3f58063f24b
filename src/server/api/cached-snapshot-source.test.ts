import { describe, expect, it } from 'vitest';
import { CachedSnapshotSource } from './cached-snapshot-source.js';
import type { ApiSnapshot } from './api-snapshot.js';

function snapshotOf(size: number): ApiSnapshot {
  return {
    generatedAt: `size ${size}`,
    findings: [],
    devices: [],
    vendors: [],
    releases: [],
    compliance: [],
    log: { origin: 'o', size, checkpoint: '' },
  };
}

describe('a snapshot source cached per log size', () => {
  it('computes once per log size and again when the log grew', async () => {
    let size = 1;
    const computed: number[] = [];
    const view = new CachedSnapshotSource(
      () => size,
      (at) => {
        computed.push(at);
        return Promise.resolve(snapshotOf(at));
      },
    );
    await Promise.all([view.snapshot(), view.snapshot()]);
    expect(computed).toEqual([1]);
    size = 2;
    expect((await view.snapshot()).log.size).toBe(2);
    expect(computed).toEqual([1, 2]);
  });

  describe('when a computation fails', () => {
    it('does not cache the failure: the next request computes again', async () => {
      let attempts = 0;
      const view = new CachedSnapshotSource(
        () => 1,
        () => {
          attempts += 1;
          return attempts === 1
            ? Promise.reject(new Error('engine failed'))
            : Promise.resolve(snapshotOf(1));
        },
      );
      await expect(view.snapshot()).rejects.toThrow('engine failed');
      expect((await view.snapshot()).generatedAt).toBe('size 1');
      expect(attempts).toBe(2);
    });
  });
});
