/**
 * A demo world to tamper with: built once per test file, then copied for each case, with the
 * tools an attacker holding the data directory (and a vendor's key) would use on it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildDemoWorld, DEMO_DATE } from '../../src/demo/world.js';
import {
  acceptStatement,
  loadTrustFile,
  parseEnvelope,
  serializeEnvelope,
  signStatement,
  type Statement,
} from '../../src/statements/index.js';
import { parsePrivateKey } from '../../src/tlog/note-key.js';

const CONFIG = fileURLToPath(new URL('../../examples/demo/nospy.yaml', import.meta.url));

/**
 * The demo log's entry 4 (acme-r1's deployment): it comes before globex-r2's deployment (6), so a
 * release put in its place counts as logged before that deployment.
 */
export const EARLY_ENTRY_INDEX = 4;
/** The demo log's Globex release (index 3): the template of a forged one. */
const GLOBEX_RELEASE_INDEX = 3;

export interface DemoCopy {
  /** Holds `nospy.yaml` (the demo's config) and `data/` (the world). */
  readonly dir: string;
  readonly data: string;
  readonly config: string;
  readonly db: string;
}

let built: Promise<string> | undefined;
const copies: string[] = [];

/** A fresh copy of the demo world (built once per test file). */
export async function demoCopy(): Promise<DemoCopy> {
  built ??= (async () => {
    const origin = mkdtempSync(join(tmpdir(), 'nospy-tamper-origin-'));
    copies.push(origin);
    await buildDemoWorld(join(origin, 'data'));
    return origin;
  })();
  const origin = await built;
  const dir = mkdtempSync(join(tmpdir(), 'nospy-tamper-'));
  copies.push(dir);
  cpSync(join(origin, 'data'), join(dir, 'data'), { recursive: true });
  cpSync(CONFIG, join(dir, 'nospy.yaml'));
  const data = join(dir, 'data');
  return { dir, data, config: join(dir, 'nospy.yaml'), db: join(data, 'log', 'nospy.db') };
}

export function removeCopies(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs `work` on the copy's SQLite database, as anyone with write access to it could. */
export function editDatabase<T>(copy: DemoCopy, work: (db: Database.Database) => T): T {
  const db = new Database(copy.db);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** The hex SHA-256 of the image the demo's device globex-r2 runs (named by no release). */
export function unloggedImage(copy: DemoCopy): string {
  const inventory = readFileSync(join(copy.data, 'inventory.yaml'), 'utf8');
  const match = /globex-r2[\s\S]*?sha256: "?([0-9a-f]{64})/.exec(inventory);
  if (match?.[1] === undefined) throw new Error('the demo inventory names no image for globex-r2');
  return match[1];
}

/**
 * A release of `image` signed by Globex's real key, accepted against the trust file as the log
 * would accept it, but never sequenced, cosigned or witnessed: the log entry an attacker holding
 * a vendor key would slip into the database.
 */
export function forgedRelease(copy: DemoCopy, image: string): Buffer {
  const template = editDatabase(copy, (db) =>
    db
      .prepare<[number], Buffer>('SELECT data FROM log_entries WHERE idx = ?')
      .pluck()
      .get(GLOBEX_RELEASE_INDEX),
  );
  if (template === undefined) throw new Error('the demo log has no Globex release');
  const statement = JSON.parse(
    Buffer.from(parseEnvelope(template).payload).toString('utf8'),
  ) as Statement & { predicate: { version: string } };
  const forged = {
    ...statement,
    subject: [{ name: 'globex-gx9-2.2-beta.bin', digest: { sha256: image } }],
    predicate: { ...statement.predicate, version: '2.2-beta' },
  } as Statement;
  const globex = parsePrivateKey(readFileSync(join(copy.data, 'keys', 'globex.key'), 'utf8'));
  const trust = loadTrustFile(join(copy.data, 'trust.yaml'));
  return acceptStatement(serializeEnvelope(signStatement(forged, globex)), trust, {
    now: new Date(`${DEMO_DATE}T00:00:00Z`),
  }).entry;
}
