import { describe, expect, it } from 'vitest';
import { bearerToken, sameToken } from './bearer.js';

describe('reading the token of an Authorization header', () => {
  it('reads the token after "Bearer "', () => {
    expect(bearerToken('Bearer s3cret-token')).toBe('s3cret-token');
  });

  it('reads the scheme without regard to case (RFC 9110 §11.1, RFC 7235 §2.1)', () => {
    expect(bearerToken('bearer s3cret-token')).toBe('s3cret-token');
    expect(bearerToken('BEARER s3cret-token')).toBe('s3cret-token');
    expect(bearerToken('bEaReR s3cret-token')).toBe('s3cret-token');
  });

  it('takes the token after any run of spaces, and keeps its case', () => {
    expect(bearerToken('Bearer   AbC=')).toBe('AbC=');
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme that only starts with Bearer', 'Bearerx token'],
    ['a token with a space in it', 'Bearer two words'],
    ['a token with a control character', 'Bearer tok\u0007en'],
    ['a token outside ASCII', 'Bearer tökén'],
    ['a tab instead of a space', 'Bearer\ttoken'],
  ])('reads no token from %s', (_what, header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

describe('comparing a token with the expected one', () => {
  it('accepts the same token', () => {
    expect(sameToken('operator-token', 'operator-token')).toBe(true);
  });

  it.each([
    ['another token of the same length', 'operator-tokex'],
    ['a prefix of it', 'operator-'],
    ['a longer token starting with it', 'operator-token2'],
    ['the token in another case', 'OPERATOR-TOKEN'],
    ['an empty token', ''],
  ])('refuses %s', (_what, given) => {
    expect(sameToken(given, 'operator-token')).toBe(false);
  });
});
