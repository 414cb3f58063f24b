import { describe, expect, it } from 'vitest';
import { causesOf, classify } from './classification.js';

describe('classify', () => {
  it('joins the causes in the vocabulary order', () => {
    expect(classify(['permissions', 'timestamps'])).toBe('timestamps+permissions');
  });

  it('is content when anything is unexplained, or nothing is named', () => {
    expect(classify(['timestamps', 'content'])).toBe('content');
    expect(classify([])).toBe('content');
  });

  it('is undone by causesOf', () => {
    expect(causesOf('build-id+embedded-path')).toEqual(['build-id', 'embedded-path']);
    expect(causesOf('something-else')).toEqual(['content']);
  });
});
