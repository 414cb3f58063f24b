import { describe } from 'vitest';
import { PostgresLogStore } from '../../src/store/postgres/postgres-log-store.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { describeLogStoreContract } from './log-store-contract.js';

describe('the PostgreSQL log store', () => {
  requireTools('postgresql');
  describeLogStoreContract(async () => {
    const database = await createTestDatabase();
    return {
      open: () => PostgresLogStore.open(database.url, { max: 4 }),
      remove: () => database.drop(),
    };
  });
});
