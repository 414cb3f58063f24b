import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generateNoteKey,
  parsePrivateKey,
  parseVerifierKey,
  withKeyType,
} from '../../src/tlog/note-key.js';
import { openLog } from '../../src/log/open-log.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from './helpers.js';

/** A private key written by golang.org/x/mod/sumdb/note GenerateKey (from the published vectors). */
const XMOD_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir('nospy-cli-');
});
afterEach(() => {
  temp.remove();
});

describe('nospy keygen', () => {
  it('writes a PRIVATE+KEY file with mode 0600 and prints its verifier key', async () => {
    const out = join(temp.dir, 'log.key');
    const result = await runCli(['keygen', '--name', 'log.example/nospy', '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^PRIVATE\+KEY\+log\.example\/nospy\+[0-9a-f]{8}\+/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(parseVerifierKey(result.stdout.trim()).name).toBe('log.example/nospy');
  });

  it('writes the verifier key beside the key, in <out>.vkey', async () => {
    const out = join(temp.dir, 'vendor.key');
    const result = await runCli(['keygen', '--name', 'acme', '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(`${out}.vkey`, 'utf8')).toBe(result.stdout);
  });

  it('refuses to overwrite an existing file', async () => {
    const out = join(temp.dir, 'log.key');
    writeFileSync(out, 'precious');
    const result = await runCli(['keygen', '--name', 'x', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LOG_KEY_EXISTS');
    expect(readFileSync(out, 'utf8')).toBe('precious');
  });
});

describe('nospy key show', () => {
  it("prints a key file's Ed25519 verifier key, and as a witness the cosignature/v1 key that witness serve uses", async () => {
    const out = join(temp.dir, 'w.key');
    await runCli(['keygen', '--name', 'witness.example', '--out', out]);
    const cosigner = withKeyType(parsePrivateKey(readFileSync(out, 'utf8')), 0x04);
    const signer = await runCli(['key', 'show', out]);
    expect(signer.stdout).toBe(readFileSync(`${out}.vkey`, 'utf8'));
    for (const file of [out, `${out}.vkey`]) {
      const witness = await runCli(['key', 'show', file, '--as', 'witness']);
      expect(witness.code).toBe(0);
      expect(witness.stdout.trim()).toBe(cosigner.vkey);
      expect(parseVerifierKey(witness.stdout.trim()).type).toBe(0x04);
    }
  });

  it('refuses an unknown role', async () => {
    const out = join(temp.dir, 'w.key');
    await runCli(['keygen', '--name', 'w', '--out', out]);
    const result = await runCli(['key', 'show', out, '--as', 'king']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected one of signer, witness');
  });
});

describe('nospy log add', () => {
  it('appends each file as one entry with an x/mod key as is, saying "appended as entry N" for each', async () => {
    const key = join(temp.dir, 'xmod.key');
    writeFileSync(key, XMOD_KEY);
    const files = ['a', 'b', 'a2'].map((name, i) => {
      const file = join(temp.dir, name);
      writeFileSync(file, i === 2 ? 'content a' : `content ${name}`);
      return file;
    });
    const data = join(temp.dir, 'data');
    const result = await runCli(['log', 'add', '--data', data, '--log-key', key, ...files]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The third file repeats the first: it gets the first one's index.
    expect(result.stdout).toBe(
      files.map((file, i) => `${file}: appended as entry ${[0, 1, 0][i]}`).join('\n') + '\n',
    );
  });

  it('refuses a file over 65,535 bytes and appends nothing', async () => {
    const key = join(temp.dir, 'log.key');
    writeFileSync(key, generateNoteKey('log.example/t').skey);
    const small = join(temp.dir, 'small');
    const big = join(temp.dir, 'big');
    writeFileSync(small, 'ok');
    writeFileSync(big, Buffer.alloc(65_536));
    const data = join(temp.dir, 'data');
    const result = await runCli(['log', 'add', '--data', data, '--log-key', key, small, big]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LOG_ENTRY_TOO_LARGE');
    expect((await runCli(['log', 'add', '--data', data, '--log-key', key, small])).stdout).toBe(
      `${small}: appended as entry 0\n`,
    );
  });
});

describe('when the stored log does not reproduce its signed checkpoint', () => {
  it('refuses to start with LOG_STATE_INVALID', async () => {
    const key = generateNoteKey('log.example/t');
    const data = join(temp.dir, 'data');
    const log = await openLog({ dataDir: data, signer: key });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => log.sequencer.add(Buffer.from(`e${i}`))),
    );
    await log.close();
    const db = new Database(join(data, 'nospy.db'));
    const row = db.prepare('SELECT hashes FROM log_tiles WHERE level = 0 AND idx = 0').get() as {
      hashes: Buffer;
    };
    row.hashes[40] = (row.hashes[40] ?? 0) ^ 1;
    db.prepare('UPDATE log_tiles SET hashes = ? WHERE level = 0 AND idx = 0').run(row.hashes);
    db.close();
    await expect(openLog({ dataDir: data, signer: key })).rejects.toMatchObject({
      code: 'LOG_STATE_INVALID',
    });
  });

  it('refuses to sign a data directory of another key', async () => {
    const data = join(temp.dir, 'data');
    await (await openLog({ dataDir: data, signer: generateNoteKey('log.example/t') })).close();
    await expect(
      openLog({ dataDir: data, signer: generateNoteKey('log.example/t') }),
    ).rejects.toMatchObject({
      code: 'LOG_STATE_INVALID',
    });
  });
});
