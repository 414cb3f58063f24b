import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { describeLogStoreContract } from '../../../test/store/log-store-contract.js';
import { SqliteLogStore } from './sqlite-log-store.js';

describe('the SQLite log store', () => {
  describeLogStoreContract(() => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-store-'));
    return Promise.resolve({
      open: () => Promise.resolve(new SqliteLogStore(dir)),
      remove: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  });
});
