import { describe, expect, it } from 'vitest';
import { errorText } from './error-text.js';
import { NospyError } from './nospy-error.js';

describe('the text of what was thrown', () => {
  it('gives an Error its message, without name or stack', () => {
    expect(errorText(new TypeError('bad input'))).toBe('bad input');
  });

  it('gives a NospyError its message, without its code', () => {
    expect(errorText(new NospyError('TLOG_NOTE_INVALID', 'no signature lines'))).toBe(
      'no signature lines',
    );
  });

  it('gives anything else thrown its string form', () => {
    expect(errorText('plain text')).toBe('plain text');
    expect(errorText(42)).toBe('42');
    expect(errorText(undefined)).toBe('undefined');
  });
});
