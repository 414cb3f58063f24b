import { describe, expect, it } from 'vitest';
import type { PartCoverage } from '../coverage.js';
import { columns } from './layout.js';
import { renderTextReport, type TextReportOptions } from './render-text.js';
import { ALL, DEVICES, GLOBEX, reportOf, section889 } from './test-findings.js';

const ESC = '\u001b';
const COVERAGE: PartCoverage[] = [
  { part: 'log', checked: true, detail: '19 statements verified against the trust file' },
  { part: 'inventory', checked: true, detail: '5 devices' },
  { part: 'traffic', checked: false, detail: 'no check.flows' },
];
const OPTIONS: TextReportOptions = {
  width: 80,
  colour: false,
  generatedAt: '2026-12-07T23:20:11.512Z',
  coverage: COVERAGE,
  devices: DEVICES,
  next: {},
};

function render(options: Partial<TextReportOptions> = {}, findings = ALL): string {
  return renderTextReport(reportOf(findings), { ...OPTIONS, ...options });
}

describe('the text report', () => {
  describe('at the top', () => {
    const lines = render().split('\n');

    it('counts the findings by severity', () => {
      expect(lines[0]).toBe(
        'nospy check: 6 findings (3 critical, 3 high, 0 medium, 0 low, 0 info)',
      );
    });

    it('says as of when, the evaluation instant and the time the report was made, in UTC', () => {
      expect(lines.slice(1, 3)).toEqual([
        'as of        2026-06-01 00:00:00 UTC (the evaluation date)',
        'generated    2026-12-07 23:20:11 UTC',
      ]);
    });

    it('says what was checked and what was not, with why', () => {
      expect(lines.slice(3, 6)).toEqual([
        'checked      log: 19 statements verified against the trust file',
        '             inventory: 5 devices',
        'not checked  traffic: no check.flows',
      ]);
    });

    it('says when --since left findings out', () => {
      expect(render({ since: '2026-05-01T00:00:00.000Z' })).toContain(
        'since        2026-05-01 00:00:00 UTC: only findings last seen since\n',
      );
    });
  });

  describe('each finding', () => {
    const text = render();

    it('shows its severity, the clause it breaks, its sentence and its id', () => {
      expect(text).toContain(
        [
          '    HIGH     clause canary-every: Globex Telecom Systems promised a canary every',
          '             30 days; none was logged between 2026-01-10 and 2026-06-01 (still',
          '             none). [canary-lapsed:d980e2d549fafdf1]',
        ].join('\n'),
      );
    });

    it('names the pack of a rule it breaks', () => {
      expect(text).toContain('    HIGH     rule us-889-b (us-ndaa-889): us-ndaa-889 rule us-889-b');
    });

    it('names the log property a split view breaks', () => {
      expect(text).toContain('    CRITICAL log consistency: The log signed two checkpoints');
    });
  });

  describe('the findings', () => {
    const all = render().split('\n');
    // Between the header (ending at the first blank line) and the next steps.
    const lines = all.slice(all.indexOf('') + 1, all.indexOf('Next steps'));
    const headings = lines.filter((l) => /^\S/.test(l));
    const places = lines.filter((l) => /^ {2}\S/.test(l));

    it('come by vendor, the estate first, each with its count of findings', () => {
      expect(headings).toEqual([
        'Estate (1 finding)',
        `${GLOBEX} (4 findings)`,
        'Hangzhou Hikvision (1 finding)',
        'Huawei Technologies Co Ltd (1 finding)',
      ]);
    });

    it('come by device (or release, or the vendor as a whole) inside a vendor', () => {
      expect(places).toEqual([
        '  log log.example/nospy',
        '  vendor-wide',
        '  release sha256:abababababab…, run by globex-r1',
        '  device globex-r1',
        '  device globex-r2',
        '  device cam-1',
        '  devices ran-s2, ran-s10',
      ]);
    });

    it('say a policy finding under the items it concerns, the same finding under each vendor', () => {
      const text = lines.join('\n');
      expect(text.split(section889.id).length - 1).toBe(2);
    });
  });

  describe('wrapped to the width', () => {
    for (const width of [40, 80, 120]) {
      describe(`of ${width} columns`, () => {
        const lines = render({
          width,
          next: { dashboard: { url: 'http://127.0.0.1:8080/', token: true } },
        }).split('\n');

        it('fills no line past it unless the line is one word too long to break', () => {
          for (const line of lines) {
            if (columns(line) > width) expect(line.trim(), line).not.toContain(' ');
          }
          expect(lines.some((l) => columns(l) > width * 0.8)).toBe(true);
        });

        it("indents a finding's continuation lines: under its sentence, or less when narrow", () => {
          const start = lines.findIndex((l) => l.startsWith('    HIGH     clause canary-every'));
          expect(lines[start + 1]).toMatch(width < 60 ? /^ {6}\S/ : /^ {13}\S/);
        });
      });
    }

    it('cuts no word, however narrow', () => {
      const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '');
      expect(words(render({ width: 20 }))).toEqual(words(render({ width: 1000 })));
    });
  });

  describe('colour', () => {
    it('is off unless asked: no escape code at all', () => {
      expect(render({ colour: false })).not.toContain(ESC);
    });

    it('colours each severity when asked, and resets after it', () => {
      const text = render({ colour: true });
      expect(text).toContain(`    ${ESC}[1;31mCRITICAL${ESC}[22;39m log consistency:`);
      expect(text).toContain(`    ${ESC}[31mHIGH${ESC}[39m     clause canary-every:`);
      expect(text).toContain(
        `(${ESC}[1;31m3 critical${ESC}[22;39m, ${ESC}[31m3 high${ESC}[39m, 0 medium`,
      );
    });

    it('changes no column: the text without its escape codes is the text without colour', () => {
      const plain = render({ colour: true }).replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
      expect(plain).toBe(render({ colour: false }));
    });

    it('never comes from the data: an escape in a vendor name is shown, not obeyed', () => {
      const hostile = { ...ALL[3]!, subject: { vendor: `Evil${ESC}[2J` } };
      const text = render({ colour: false }, [hostile]);
      expect(text).not.toContain(ESC);
      expect(text).toContain('Evil\\x1b[2J (1 finding)');
    });
  });

  describe('the next steps', () => {
    it("give the configured server's dashboard, and say when it needs a read token", () => {
      expect(
        render({ next: { dashboard: { url: 'http://127.0.0.1:8080/', token: false } } }),
      ).toContain('\nNext steps\n  dashboard  http://127.0.0.1:8080/\n');
      expect(render({ next: { dashboard: { url: 'http://[::1]:8080/', token: true } } })).toContain(
        '  dashboard  http://[::1]:8080/ (asks for a read token)\n',
      );
    });

    it('say how to get a dashboard when none is configured', () => {
      expect(render({ next: {} })).toContain(
        '  dashboard  none configured: give the configuration a server: section and run\n             nospy serve with it\n',
      );
    });

    it('offer --evidence and --html when they were not given', () => {
      const text = render({ next: { trust: 'data/trust.yaml' } });
      expect(text).toContain(
        '  evidence   --evidence <dir> writes one file per finding, each checked offline\n             by nospy verify --trust data/trust.yaml <file>\n',
      );
      expect(text).toMatch(
        / {2}HTML {7}--html <file> writes this report as one self-contained page$/,
      );
    });

    it('say where --evidence and --html wrote, by absolute path', () => {
      const text = render({ next: { html: '/tmp/r/report.html', evidence: '/tmp/r/evidence' } });
      expect(text).toContain(
        '  evidence   wrote 6 files to /tmp/r/evidence; each is checked offline by',
      );
      expect(text).toMatch(/ {2}HTML {7}wrote \/tmp\/r\/report\.html$/);
    });

    it('offer no evidence files when there is no finding', () => {
      const text = render({ next: {} }, []);
      expect(text).toContain('\nNo findings in the parts checked.\n');
      expect(text).not.toContain('--evidence');
    });
  });

  describe('when nothing was checked', () => {
    it('says so and why instead of an empty all-clear', () => {
      const text = render(
        { notChecked: 'not configured: nospy.yaml has no check: section', coverage: [] },
        [],
      );
      expect(text.split('\n')[0]).toBe('nospy check: nothing was checked');
      expect(text).toContain(
        '\nNothing was checked: not configured: nospy.yaml has no check: section.\n',
      );
      expect(text).not.toContain('No findings');
    });
  });
});
