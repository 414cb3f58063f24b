import { describe, expect, it } from 'vitest';
import { jsonNestingDepth, locateJsonPointers } from './json-positions.js';

describe('locating JSON pointers in the document text', () => {
  const text = '{\n  "a": [1, {"b/c": "x"}],\n  "d~e": {"f": null}\n}';

  it('finds the line and column where each value begins, with RFC 6901 escapes', () => {
    const found = locateJsonPointers(text, ['', '/a/1/b~1c', '/d~0e/f', '/a/0']);
    expect(found.get('')).toEqual({ line: 1, column: 1 });
    expect(found.get('/a/0')).toEqual({ line: 2, column: 9 });
    expect(found.get('/a/1/b~1c')).toEqual({ line: 2, column: 20 });
    expect(found.get('/d~0e/f')).toEqual({ line: 3, column: 16 });
  });

  it('leaves out pointers that are not in the document', () => {
    expect(locateJsonPointers(text, ['/nope', '/a/7']).size).toBe(0);
  });

  it('is not confused by brackets and escaped quotes inside strings', () => {
    const tricky = '{"s": "a\\"]}{[", "t": 2}';
    expect(locateJsonPointers(tricky, ['/t']).get('/t')).toEqual({ line: 1, column: 23 });
    expect(jsonNestingDepth(tricky)).toBe(1);
  });
});
