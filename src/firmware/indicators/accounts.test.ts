import { describe, expect, it } from 'vitest';
import { accountIndicators, classifyPassword, shellsOf } from './accounts.js';

describe('password fields', () => {
  it.each([
    ['!', 'locked'],
    ['*', 'locked'],
    ['!!', 'locked'],
    ['!$6$abc$def', 'locked'],
    ['*LK*', 'locked'],
    ['x', 'placeholder'],
    ['', 'empty'],
  ])('treats %j as %s', (field, state) => {
    expect(classifyPassword(field).state).toBe(state);
  });

  it.each([
    ['$1$abc$def', 'md5crypt'],
    ['$5$abc$def', 'sha256crypt'],
    ['$6$abc$def', 'sha512crypt'],
    ['$y$j9T$abc$def', 'yescrypt'],
    ['$2b$10$abcdefghijklmnopqrstuu', 'bcrypt'],
    ['abJnggxhB/yJU', 'des'],
  ])('names the hash type of %s', (field, type) => {
    expect(classifyPassword(field)).toEqual({ state: 'hash', type });
  });
});

describe('account files', () => {
  it('stays quiet for locked accounts and empty passwords on accounts that cannot log in', () => {
    const passwd = 'root:x:0:0::/root:/bin/sh\nftp::21:21::/srv:/sbin/nologin\n';
    const shadow = 'root:!:1::::::\nftp::1::::::\ndaemon:*:1::::::\n';
    expect(accountIndicators('/etc/passwd', passwd, new Map())).toEqual([]);
    expect(accountIndicators('/etc/shadow', shadow, shellsOf(passwd))).toEqual([]);
  });

  it('reports a DES hash in passwd with its type, and the default it matches', () => {
    const found = accountIndicators(
      '/etc/passwd',
      'admin:./nlIXYriZaB2:0:0::/:/bin/sh\n',
      new Map(),
    );
    expect(found.map((i) => [i.kind, i.hashType ?? null, i.knownCredential ?? null])).toEqual([
      ['credential.uid0_extra_account', null, null],
      ['credential.password_hash', 'des', 'admin:admin'],
    ]);
  });
});
