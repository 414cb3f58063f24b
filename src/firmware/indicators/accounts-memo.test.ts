import { describe, expect, it, vi } from 'vitest';
import * as crypt from './crypt.js';
import { accountIndicators, shellsOf } from './accounts.js';

vi.mock('./crypt.js', async (importOriginal) => {
  const original = await importOriginal<typeof crypt>();
  return { ...original, cryptMatches: vi.fn(original.cryptMatches) };
});

describe('known default passwords', () => {
  it('tries each account and hash once, however often an image repeats its account database', () => {
    // A fuzzed flash dump held the same shadow file in 163 places; each copy cost a thousand
    // digests per password tried, and the scan took 18 s for 48 KB.
    const passwd = 'admin:x:0:0::/:/bin/sh\n';
    const shadow = 'admin:$1$Mir4iRt$WiqlPYsUaVDIzPMUevKOr.:1::::::\n';
    const first = accountIndicators('/etc/shadow', shadow, shellsOf(passwd));
    const calls = vi.mocked(crypt.cryptMatches).mock.calls.length;
    expect(calls).toBeGreaterThan(0);
    for (let copy = 0; copy < 50; copy += 1) {
      expect(accountIndicators(`/backup${copy}/etc/shadow`, shadow, shellsOf(passwd))).toEqual(
        first.map((f) => ({ ...f, path: `/backup${copy}/etc/shadow` })),
      );
    }
    expect(vi.mocked(crypt.cryptMatches).mock.calls.length).toBe(calls);
  });
});
