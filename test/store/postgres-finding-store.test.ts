import { describe } from 'vitest';
import { PostgresFindingStore } from '../../src/store/postgres/postgres-finding-store.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { describeFindingStoreContract } from './finding-store-contract.js';

describe('the PostgreSQL finding store', () => {
  requireTools('postgresql');
  describeFindingStoreContract(async () => {
    const database = await createTestDatabase();
    return {
      open: () => PostgresFindingStore.open(database.url),
      remove: () => database.drop(),
    };
  });
});
