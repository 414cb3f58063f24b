import { describe } from 'vitest';
import { PostgresWitnessStore } from '../../src/store/postgres/postgres-witness-store.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { describeWitnessStoreContract } from './witness-store-contract.js';

describe('the PostgreSQL witness store', () => {
  requireTools('postgresql');
  describeWitnessStoreContract(async () => {
    const database = await createTestDatabase();
    return {
      open: () => PostgresWitnessStore.open(database.url),
      remove: () => database.drop(),
    };
  });
});
