import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { describeWitnessStoreContract } from '../../../test/store/witness-store-contract.js';
import { SqliteWitnessStore } from './sqlite-witness-store.js';

describe('the SQLite witness store', () => {
  describeWitnessStoreContract(() => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-witness-'));
    return Promise.resolve({
      open: () => Promise.resolve(new SqliteWitnessStore(dir)),
      remove: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  });
});
