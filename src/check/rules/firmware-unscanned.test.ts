import { describe, expect, it } from 'vitest';
import type { UnexaminedPart } from '../evidence.js';
import { checkReport } from '../report.js';
import { GLOBEX, IMAGE_G, logged, NOW, release } from '../test-support.js';

function run(unexamined?: UnexaminedPart[]) {
  return checkReport(
    {
      statements: [logged(release(GLOBEX, IMAGE_G), 0)],
      firmware: [
        {
          image: 'globex.bin',
          sha256: IMAGE_G,
          indicators: [],
          ...(unexamined === undefined ? {} : { unexamined }),
        },
      ],
    },
    { now: NOW },
  ).findings;
}

describe('firmware-unscanned', () => {
  describe('when part of the image could not be examined', () => {
    it('reports one finding on the release naming every part and why', () => {
      const [f, ...rest] = run([
        { reason: 'unsupported', where: 'uimage@0x10000', detail: 'uImage compression 3' },
        { reason: 'limit.ratio', where: 'gzip@0x40000', detail: 'gzip output exceeds 1 MiB' },
      ]);
      expect(rest).toEqual([]);
      expect(f).toMatchObject({
        kind: 'firmware-unscanned',
        severity: 'medium',
        subject: { vendor: GLOBEX, release: `sha256:${IMAGE_G}` },
        breaks: { type: 'rule', pack: 'nospy', rule: 'firmware-fully-scanned' },
      });
      expect(f?.explanation).toContain('2 part(s) not examined (limit.ratio, unsupported)');
      expect(f?.evidence.slice(0, 2)).toEqual([
        {
          type: 'file',
          image: 'globex.bin',
          path: 'uimage@0x10000',
          detail: 'unsupported: uImage compression 3',
        },
        {
          type: 'file',
          image: 'globex.bin',
          path: 'gzip@0x40000',
          detail: 'limit.ratio: gzip output exceeds 1 MiB',
        },
      ]);
      expect(f?.evidence[2]).toMatchObject({ type: 'statement', index: 0 });
    });
  });

  describe('when the scan examined everything', () => {
    it('reports nothing', () => {
      expect(run()).toEqual([]);
      expect(run([])).toEqual([]);
    });
  });
});
