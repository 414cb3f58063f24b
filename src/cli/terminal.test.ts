import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colourWanted, DEFAULT_COLUMNS, outputColumns } from './terminal.js';

/** A stream as a terminal would be (`isTTY`, `columns`), or a pipe. */
function stream(tty: boolean, columns?: number): NodeJS.WritableStream {
  return Object.assign(new PassThrough(), tty ? { isTTY: true, columns } : {});
}

describe('the output width', () => {
  it("is the terminal's columns", () => {
    expect(outputColumns(stream(true, 132))).toBe(132);
  });

  it('is 80 in a pipe or a file', () => {
    expect(outputColumns(stream(false))).toBe(DEFAULT_COLUMNS);
    expect(DEFAULT_COLUMNS).toBe(80);
  });

  it('is 80 when a terminal does not say its width', () => {
    expect(outputColumns(stream(true, 0))).toBe(80);
  });
});

describe('whether to colour', () => {
  const tty = stream(true, 80);
  const pipe = stream(false);

  it('colours on a terminal, and never in a pipe', () => {
    expect(colourWanted({}, tty)).toBe(true);
    expect(colourWanted({}, pipe)).toBe(false);
  });

  describe('with NO_COLOR (no-color.org)', () => {
    it('does not colour, whatever its value', () => {
      for (const value of ['1', '0', 'false', 'yes']) {
        expect(colourWanted({ NO_COLOR: value }, tty), value).toBe(false);
      }
    });

    it('ignores it when it is empty', () => {
      expect(colourWanted({ NO_COLOR: '' }, tty)).toBe(true);
    });
  });

  describe('with FORCE_COLOR (as Node reads it)', () => {
    it('colours even in a pipe when it is empty, 1, 2, 3 or true', () => {
      for (const value of ['', '1', '2', '3', 'true']) {
        expect(colourWanted({ FORCE_COLOR: value }, pipe), value).toBe(true);
      }
    });

    it('never colours when it is 0 or false, even on a terminal', () => {
      expect(colourWanted({ FORCE_COLOR: '0' }, tty)).toBe(false);
      expect(colourWanted({ FORCE_COLOR: 'false' }, tty)).toBe(false);
    });

    it('wins over NO_COLOR', () => {
      expect(colourWanted({ FORCE_COLOR: '1', NO_COLOR: '1' }, pipe)).toBe(true);
    });
  });

  it('does not colour for TERM=dumb', () => {
    expect(colourWanted({ TERM: 'dumb' }, tty)).toBe(false);
  });
});
