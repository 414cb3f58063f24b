/**
 * The dashboard's verifier shares no trust with the server it checks: the verification core
 * (web/src/verify) fetches nothing and knows no API, and the one key the page takes from the
 * server (`/v1/summary`'s `log.verifierKey`) reaches the verifier only as `serverTrust`, whose
 * every step and verdict say NOT INDEPENDENT (test/web/verify-entry.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WEB = fileURLToPath(new URL('../../web/src/', import.meta.url));

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { file: file.slice(WEB.length), text: readFileSync(file, 'utf8') };
    });
}

describe('the in-browser verification core', () => {
  it.each(sources(join(WEB, 'verify')))(
    '$file fetches nothing and imports nothing of the pages or the API',
    ({ text }) => {
      expect(text).not.toMatch(/\bfetch\(|XMLHttpRequest|localStorage|v1\/summary|verifierKey/);
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const specifier of imports) expect(specifier).toMatch(/^(\.\/[a-z-]+\.js|yaml)$/);
    },
  );
});

describe('the dashboard', () => {
  it('reads the server’s log key in one place only, and hands it to the verifier as serverTrust', () => {
    const readers = sources(WEB).filter(({ text }) => /\.verifierKey\b/.test(text));
    expect(readers.map((r) => r.file)).toEqual(['pages/log.tsx']);
    const page = readers[0]?.text ?? '';
    expect(page.match(/\.verifierKey\b/g)).toHaveLength(1);
    expect(page).toMatch(/parseVerifierKey\(serverKey\)[\s\S]{0,200}serverTrust\(key\)/);
    expect(
      sources(WEB)
        .filter(({ text }) => /serverTrust\(/.test(text))
        .map((r) => r.file)
        .sort(),
    ).toEqual(['pages/log.tsx', 'verify/trust.ts']);
  });
});
