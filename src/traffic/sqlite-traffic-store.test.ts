import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { describeTrafficStoreContract } from '../../test/store/traffic-store-contract.js';
import { SqliteTrafficStore } from './sqlite-traffic-store.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-traffic-store-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let stores = 0;

describe('the SQLite traffic store', () => {
  describeTrafficStoreContract(
    () => Promise.resolve(new SqliteTrafficStore(join(dir, `t${(stores += 1)}.db`))),
    () => Promise.resolve(new SqliteTrafficStore(join(dir, `t${stores}.db`))),
    { numRuns: 40 },
  );
});
