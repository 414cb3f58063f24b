import { describe, expect, it } from 'vitest';
import { WriteGate } from './write-gate.js';

describe('the write gate', () => {
  it('refuses writes while auditing (LOG_AUDITING, with the progress) and takes them once open', () => {
    const gate = new WriteGate('audit');
    gate.progress(256, 600);
    expect(gate.refusal).toMatchObject({ code: 'LOG_AUDITING' });
    expect(gate.refusal?.message).toMatch(/256 of 600 entries/);
    gate.open();
    expect(gate.refusal).toBeUndefined();
  });

  it('stays shut for good once an audit failed, even if opened again', () => {
    const gate = new WriteGate('audit');
    gate.refuse('entry 5 does not hash to its leaf', { part: 'entry', index: 5 });
    gate.open();
    expect(gate.refusal).toMatchObject({ code: 'LOG_READ_ONLY' });
    expect(gate.state).toMatchObject({ state: 'refusing', failed: { part: 'entry', index: 5 } });
  });

  it('never opens in read-only recovery, and says what the audit found', () => {
    const gate = new WriteGate('read-only');
    gate.open();
    expect(gate.refusal).toMatchObject({ code: 'LOG_READ_ONLY' });
    gate.refuse('tile tile/0/000 does not hash', { part: 'tile', path: 'tile/0/000' });
    expect(gate.state).toMatchObject({
      state: 'read-only',
      failed: { part: 'tile', path: 'tile/0/000' },
    });
  });
});
