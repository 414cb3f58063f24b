import { describe, expect, it } from 'vitest';
import { grants, parseScopes } from './scopes.js';
import { newToken, parseTokenFile, tokenDigest, tokenLine } from './token-file.js';

describe('scopes', () => {
  it('grant themselves; triage grants read; admin grants every scope', () => {
    expect(grants(['read'], 'read')).toBe(true);
    expect(grants(['read'], 'submit')).toBe(false);
    expect(grants(['submit'], 'read')).toBe(false);
    expect(grants(['triage'], 'read')).toBe(true);
    for (const scope of ['read', 'triage', 'submit', 'admin'] as const)
      expect(grants(['admin'], scope)).toBe(true);
  });

  it('are parsed from a comma-separated list, naming a word that is not one', () => {
    expect(parseScopes('read,triage,read')).toEqual(['read', 'triage']);
    expect(parseScopes('read,root')).toEqual({
      problem: '"root" is not a scope (read, triage, submit, admin)',
    });
  });
});

describe('the tokens file', () => {
  it('holds digests only, and reads back what tokenLine writes', () => {
    const token = newToken();
    const text = `# comment\n\n${tokenLine(token, ['read', 'submit'], 'the dashboard')}`;
    expect(text).not.toContain(token);
    expect(parseTokenFile(text, 'tokens')).toEqual([
      { digest: tokenDigest(token), scopes: ['read', 'submit'], name: 'the-dashboard' },
    ]);
  });

  it.each([
    [
      'a line that is not a token',
      'read sha256:00',
      /tokens:1: expected "sha256:<64 lowercase hex>/,
    ],
    ['an unknown scope', `sha256:${'0'.repeat(64)} write`, /tokens:1: "write" is not a scope/],
    ['an uppercase digest', `sha256:${'A'.repeat(64)} read`, /tokens:1: expected/],
  ])('refuses %s, naming the file and line', (_what, line, message) => {
    expect(() => parseTokenFile(line, 'tokens')).toThrow(message);
  });

  it('makes tokens of 256 random bits', () => {
    expect(newToken()).toMatch(/^nospy_[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(newToken());
  });
});
