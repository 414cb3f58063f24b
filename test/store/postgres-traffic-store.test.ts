import { afterAll, beforeAll, describe } from 'vitest';
import { PostgresTrafficStore } from '../../src/traffic/postgres-traffic-store.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from '../helpers/postgres.js';
import { describeTrafficStoreContract } from './traffic-store-contract.js';

describe('the PostgreSQL traffic store', () => {
  const havePostgres = requireTools('postgresql');
  // One database for the file, emptied for each store: a database per property run is slow.
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (havePostgres) database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  const url = () => (database as TestDatabase).url;

  describeTrafficStoreContract(
    async () => {
      const store = await PostgresTrafficStore.open(url());
      await queryDatabase(
        url(),
        `TRUNCATE traffic_messages, traffic_findings, traffic_conversation_ports, traffic_samples;
         UPDATE traffic_totals SET records = 0, legs = 0, allowed_legs = 0, granted_legs = 0,
           unattributed = 0, overflow = 0`,
      );
      return store;
    },
    () => PostgresTrafficStore.open(url()),
    { numRuns: 25 },
  );
});
