/**
 * The signed audit watermark of a log kept in PostgreSQL: one row of `log_audit_watermark`
 * (schema version 1). Every replica reads the same row, so a restart of any of them audits only
 * what was appended since the last full audit any of them signed.
 */
import type { PostgresPool } from '../../store/postgres/pool.js';
import type { WatermarkStore } from './sqlite-watermark.js';

export function postgresWatermarkStore(pool: PostgresPool): WatermarkStore {
  return {
    read: async () => {
      try {
        const { rows } = await pool.query<{ note: string }>(
          'SELECT note FROM log_audit_watermark WHERE id = 1',
        );
        return rows[0]?.note;
      } catch {
        // No watermark readable: the audit runs in full, which is always safe.
        return undefined;
      }
    },
    write: async (note) => {
      await pool.query(
        `INSERT INTO log_audit_watermark (id, note) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET note = excluded.note`,
        [note],
      );
    },
    close: () => undefined,
  };
}
