import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../firmware/indicators/types.js';
import { checkReport } from '../report.js';
import { GLOBEX, IMAGE_G, logged, NOW, release } from '../test-support.js';

const beacon: Indicator = {
  kind: 'outbound_destination',
  rule: 'startup-url',
  path: 'etc/init.d/S99beacon',
  line: 3,
  detail: 'contacts beacon.globex.example',
  evidence: 'wget http://beacon.globex.example/x',
  host: 'beacon.globex.example',
  declared: false,
};
const declaredNtp: Indicator = { ...beacon, host: 'ntp.example', declared: true, detail: 'ntp' };

function run(indicators: Indicator[]) {
  return checkReport(
    {
      statements: [logged(release(GLOBEX, IMAGE_G), 0)],
      firmware: [{ image: 'globex.tar.gz', sha256: IMAGE_G, indicators }],
    },
    { now: NOW },
  ).findings;
}

describe('firmware-backdoor-indicator', () => {
  describe('when the image holds an undeclared outbound destination', () => {
    it('reports it on the release, with the file, line and the release statement', () => {
      const [f, ...rest] = run([beacon]);
      expect(rest).toEqual([]);
      expect(f?.subject).toEqual({ vendor: GLOBEX, release: `sha256:${IMAGE_G}` });
      expect(f?.evidence[0]).toMatchObject({ type: 'file', path: 'etc/init.d/S99beacon', line: 3 });
      expect(f?.evidence[1]).toMatchObject({ type: 'statement', index: 0 });
    });
  });

  describe('when the destination is declared in the MUD file', () => {
    it('reports nothing', () => {
      expect(run([declaredNtp])).toEqual([]);
    });
  });
});
