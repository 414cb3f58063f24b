import { describe, expect, it } from 'vitest';
import { cryptMatches, md5crypt, shaCrypt } from './crypt.js';
import { desCrypt, S_BOXES } from './des-crypt.js';

// Vectors: Drepper, "Unix crypt using SHA-256 and SHA-512" (2008), test section; md5crypt as
// computed by OpenSSL (`openssl passwd -1 -salt saltstr 'Hello world!'`).
describe('SHA-crypt', () => {
  it('reproduces the specification vectors for $5$ and $6$', () => {
    expect(shaCrypt(5, 'Hello world!', 'saltstring')).toBe(
      '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5',
    );
    expect(shaCrypt(6, 'Hello world!', 'saltstring')).toBe(
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    );
  });

  it('honours rounds= and truncates the salt to 16 characters', () => {
    expect(shaCrypt(6, 'Hello world!', 'rounds=10000$saltstringsaltstring')).toBe(
      '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
    );
  });

  it('declines to recompute a hash with more rounds than the bound', () => {
    expect(cryptMatches('$6$rounds=900000000$salt$abc', 'x')).toBeUndefined();
  });
});

describe('md5crypt', () => {
  it('reproduces the OpenSSL output', () => {
    expect(md5crypt('Hello world!', 'saltstr')).toBe('$1$saltstr$QM9HTGmcCulEKt42JFhZ/.');
    expect(cryptMatches('$1$Mir4iRt$WiqlPYsUaVDIzPMUevKOr.', 'xc3511')).toBe(true);
    expect(cryptMatches('$1$Mir4iRt$WiqlPYsUaVDIzPMUevKOr.', 'xc3512')).toBe(false);
  });

  it('leaves schemes it does not implement undecided', () => {
    expect(cryptMatches('$2b$10$abcdefghijklmnopqrstuu', 'x')).toBeUndefined();
  });
});

// Vectors from glibc crypt(3) via Python's crypt module (`crypt.crypt(password, salt)`).
describe('traditional DES crypt', () => {
  it.each([
    ['test', 'ab', 'abgOeLfPimXQo'],
    ['xc3511', 'Zq', 'ZqwZpX27MPxW2'],
    ['vizxv', 'x1', 'x1VsV197yI8NA'],
    ['admin', './', './nlIXYriZaB2'],
  ])('crypt(%j, %j) is %s', (password, salt, expected) => {
    expect(desCrypt(password, salt)).toBe(expected);
    expect(cryptMatches(expected, password)).toBe(true);
  });

  it('uses only the first 8 characters of the password', () => {
    expect(desCrypt('password1', 'pw')).toBe('pwYf3wMZWxWvY');
    expect(desCrypt('password', 'pw')).toBe('pwYf3wMZWxWvY');
  });

  it('carries S-boxes whose every row is a permutation of 0..15 (FIPS 46-3)', () => {
    for (const box of S_BOXES) {
      for (let row = 0; row < 4; row += 1) {
        expect([...box.slice(row * 16, row * 16 + 16)].sort((a, b) => a - b)).toEqual([
          ...Array(16).keys(),
        ]);
      }
    }
  });
});
