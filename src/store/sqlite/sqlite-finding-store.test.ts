import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { describeFindingStoreContract } from '../../../test/store/finding-store-contract.js';
import { SqliteFindingStore } from './sqlite-finding-store.js';

describe('the SQLite finding store', () => {
  describeFindingStoreContract(() => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-findings-'));
    return Promise.resolve({
      open: () => Promise.resolve(new SqliteFindingStore(dir)),
      remove: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  });
});
