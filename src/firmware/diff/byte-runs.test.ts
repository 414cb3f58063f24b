import { describe, expect, it } from 'vitest';
import { differingRuns, explainByteRuns } from './byte-runs.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );

describe('when two same-length files differ only inside embedded strings', () => {
  it('calls a difference inside an absolute path embedded-path', () => {
    const a = bytes([0, 1, 2], '/home/builder-aaaa/src/main.c', [0, 9]);
    const b = bytes([0, 1, 2], '/home/builder-bbbb/src/main.c', [0, 9]);
    expect(explainByteRuns(a, b)).toEqual(new Set(['embedded-path']));
  });

  it('calls a difference inside __DATE__ and __TIME__ embedded-timestamp', () => {
    const a = bytes([0x7f], 'built Jan  5 2026 12:00:01', [0]);
    const b = bytes([0x7f], 'built Feb 17 2026 08:59:59', [0]);
    expect(explainByteRuns(a, b)).toEqual(new Set(['embedded-timestamp']));
  });

  it('calls a difference inside an ISO 8601 date-time embedded-timestamp', () => {
    expect(
      explainByteRuns(
        bytes('v=3.2 at 2026-01-31T12:00:00Z\n'),
        bytes('v=3.2 at 2026-02-01T09:30:00Z\n'),
      ),
    ).toEqual(new Set(['embedded-timestamp']));
  });

  it('names both causes when both occur', () => {
    const a = bytes('/build/a1/x.c', [0], '2026-01-01', [0]);
    const b = bytes('/build/b2/x.c', [0], '2026-03-04', [0]);
    expect(explainByteRuns(a, b)).toEqual(new Set(['embedded-path', 'embedded-timestamp']));
  });
});

describe('when the difference is not inside an embedded path or date', () => {
  it('calls a changed byte of binary data content', () => {
    expect(explainByteRuns(bytes([1, 2, 3, 4]), bytes([1, 2, 9, 4]))).toEqual(new Set(['content']));
  });

  it('calls a changed word of text content', () => {
    expect(explainByteRuns(bytes('listen 22\n'), bytes('listen 23\n'))).toEqual(
      new Set(['content']),
    );
  });

  it('calls files of different lengths content (what moved is not guessed at)', () => {
    expect(explainByteRuns(bytes('/build/a/x.c'), bytes('/build/ab/x.c'))).toEqual(
      new Set(['content']),
    );
  });

  it('calls a path that turns into something else content', () => {
    expect(explainByteRuns(bytes('/usr/bin/ok'), bytes('/usr/bin\x00ok'))).toEqual(
      new Set(['content']),
    );
  });
});

describe('differingRuns', () => {
  it('finds each run, also across the comparison blocks', () => {
    const a = Buffer.alloc(10_000);
    const b = Buffer.alloc(10_000);
    b[0] = 1;
    b[4095] = 1;
    b[4096] = 1;
    b[9999] = 1;
    expect(differingRuns(a, b)).toEqual([
      { start: 0, end: 1 },
      { start: 4095, end: 4097 },
      { start: 9999, end: 10_000 },
    ]);
  });

  it('gives up past 4096 runs', () => {
    const a = Buffer.alloc(20_000);
    const b = Buffer.alloc(20_000);
    for (let i = 0; i < 20_000; i += 2) b[i] = 1;
    expect(differingRuns(a, b)).toBeUndefined();
    expect(explainByteRuns(a, b)).toEqual(new Set(['content']));
  });
});
