import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openLog } from '../log/open-log.js';
import { SqliteLogStore } from '../store/sqlite/sqlite-log-store.js';
import { DATABASE_FILE } from '../store/sqlite/database.js';
import { generateNoteKey } from '../tlog/note-key.js';
import { acceptStatement } from './accept.js';
import { addSignature, serializeEnvelope } from './dsse.js';
import { loadPrivateKeyFile, loadStatementFile, loadTrustFile } from './files.js';
import { listLoggedStatements } from './log-index.js';
import { payloadDigest } from './payload-digest.js';
import { signStatement } from './sign.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const key = (name: string) => loadPrivateKeyFile(`${examples}keys/example-${name}.key`);
const trust = loadTrustFile(`${examples}statements/trust.yaml`);
const now = new Date('2026-05-01T00:00:00Z');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the statement index', () => {
  it('names the entry an entry of the same payload extends, also after an index built without payloads is rebuilt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nospy-log-index-'));
    dirs.push(dir);
    const { statement } = loadStatementFile(`${examples}statements/release.yaml`);
    const release = signStatement(statement, key('acme-vendor'));
    const log = await openLog({ dataDir: dir, signer: generateNoteKey('log.example/index') });
    for (const envelope of [release, addSignature(release, key('audit-auditor'))]) {
      await log.sequencer.add(acceptStatement(serializeEnvelope(envelope), trust, { now }).entry);
    }
    await log.close();

    const read = async () => {
      const store = new SqliteLogStore(dir);
      try {
        return await listLoggedStatements(store, { payload: payloadDigest(release) });
      } finally {
        await store.close();
      }
    };
    const expected = [
      { index: 0, payload: payloadDigest(release) },
      { index: 1, payload: payloadDigest(release), extends: 0 },
    ];
    const listed = await read();
    expect(listed.map((s) => ({ index: s.index, payload: s.payload, extends: s.extends }))).toEqual(
      expected.map((e) => ({ extends: undefined, ...e })),
    );

    // An index built by an earlier nospy, which had no payload table.
    const db = new Database(join(dir, DATABASE_FILE));
    db.exec('DROP TABLE statement_payloads');
    db.close();
    const rebuilt = await read();
    expect(
      rebuilt.map((s) => ({ index: s.index, payload: s.payload, extends: s.extends })),
    ).toEqual(expected.map((e) => ({ extends: undefined, ...e })));
  });
});
