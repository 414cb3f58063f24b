import { describe, expect, it } from 'vitest';
import { cryptMatches, md5crypt, shaCrypt } from './crypt.js';

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
    expect(cryptMatches('abJnggxhB/yJU', 'x')).toBeUndefined();
    expect(cryptMatches('$2b$10$abcdefghijklmnopqrstuu', 'x')).toBeUndefined();
  });
});
