import { describe, expect, it } from 'vitest';
import { columns, hangingParagraph, printable, wrapWords } from './layout.js';

const SENTENCE =
  'Image data/firmware/globex-gx9-2.1.tar.gz (Globex Telecom Systems), run by globex-r1 contains a back-door indicator at /etc/init.d/S99telemetry:3: wget contacts beacon.globex-telemetry.example:53535, from init. [firmware-backdoor-indicator:59ffe95fa51312a1]';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('wrapping a paragraph', () => {
  for (const width of [40, 80, 120]) {
    describe(`at ${width} columns`, () => {
      const lines = wrapWords(SENTENCE, width);

      it('fills no line past the width, but for a word longer than a line, alone on its own', () => {
        for (const line of lines) {
          if (columns(line) > width) expect(line).not.toContain(' ');
        }
      });

      it('breaks only between words, keeping every word whole and in order', () => {
        expect(lines.join(' ')).toBe(SENTENCE);
        expect(lines.every((l) => !l.startsWith(' ') && !l.endsWith(' '))).toBe(true);
      });

      it('fills each line as far as the next word allows', () => {
        for (const [i, line] of lines.slice(0, -1).entries()) {
          const next = (lines[i + 1] ?? '').split(' ')[0] ?? '';
          expect(columns(line) + 1 + columns(next)).toBeGreaterThan(width);
        }
      });
    });
  }

  it('gives a word longer than the line a line of its own instead of cutting it', () => {
    expect(wrapWords(`runs ${DIGEST} today`, 40)).toEqual(['runs', DIGEST, 'today']);
  });

  it('gives the first line its own width', () => {
    expect(wrapWords('one two three four', 3, 9)).toEqual(['one', 'two three', 'four']);
  });

  it('gives one empty line for no words', () => {
    expect(wrapWords('  ', 40)).toEqual(['']);
  });
});

describe('a paragraph with a hanging indent', () => {
  const lines = hangingParagraph(SENTENCE, { width: 40, indent: 4, label: 'HIGH     ', hang: 13 });

  it('starts with the label at the indent, and indents every continuation line', () => {
    expect(lines[0]).toBe('    HIGH     Image');
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {13}\S/);
  });

  it('fits the width, the label and indents included, but for a word too long for any line', () => {
    for (const line of lines) {
      if (columns(line) > 40) expect(line.trim()).not.toContain(' ');
    }
    expect(lines.filter((l) => columns(l) > 40).map((l) => l.trim())).toEqual([
      'data/firmware/globex-gx9-2.1.tar.gz',
      'beacon.globex-telemetry.example:53535,',
      '[firmware-backdoor-indicator:59ffe95fa51312a1]',
    ]);
  });

  it('measures a styled label by the columns it is said to take', () => {
    const styled = hangingParagraph('a b', {
      width: 40,
      indent: 4,
      label: '\u001b[31mHIGH\u001b[39m     ',
      labelColumns: 9,
      hang: 13,
    });
    expect(styled).toEqual(['    \u001b[31mHIGH\u001b[39m     a b']);
  });
});

describe('data made printable', () => {
  it('shows an escape sequence in a vendor name as text, not as a command to the terminal', () => {
    expect(printable('Evil\u001b[2J\u001b]0;owned\u0007 Corp')).toBe(
      'Evil\\x1b[2J\\x1b]0;owned\\x07 Corp',
    );
  });

  it('shows bidirectional overrides as escapes (CVE-2021-42574)', () => {
    expect(printable('file\u202egpj.exe')).toBe('file\\u202egpj.exe');
  });

  it('turns line breaks and tabs into single spaces', () => {
    expect(printable('one\n\ttwo\r\nthree')).toBe('one two three');
  });

  it('keeps letters of every script and typographic marks', () => {
    expect(printable('华为技术 — Ａｃｍｅ…')).toBe('华为技术 — Ａｃｍｅ…');
  });
});
