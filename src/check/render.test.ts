import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.js';
import { renderHtml } from './render.js';
import { summarise } from './report.js';

const finding: Finding = {
  id: 'firmware-backdoor-indicator:0123456789abcdef',
  kind: 'firmware-backdoor-indicator',
  severity: 'critical',
  subject: { vendor: 'Globex <Telecom>', release: `sha256:${'a'.repeat(64)}` },
  breaks: { type: 'clause', agreement: 1, clause: 'no-spy' },
  firstSeen: '2026-06-01T00:00:00.000Z',
  lastSeen: '2026-06-01T00:00:00.000Z',
  explanation: 'beacon',
  evidence: [
    { type: 'file', image: 'gx.tar.gz', path: 'etc/init.d/S99beacon', line: 3, detail: 'beacon' },
  ],
};

describe('the HTML report', () => {
  const page = renderHtml({
    evaluatedAt: '2026-06-01T00:00:00.000Z',
    inputs: { statements: 0, devices: 0, flowRecords: 0, images: 1, vulnerabilities: 0 },
    summary: summarise([finding]),
    findings: [finding],
  });

  it('breaks the subject into lines with markup, escaping only the values', () => {
    expect(page).toContain('vendor: Globex &#60;Telecom&#62;<br>release: sha256:');
    expect(page).not.toContain('&#60;br&#62;');
  });

  it('lays the evidence out in lines a person reads, the data below them', () => {
    expect(page).toContain('<li>gx.tar.gz: etc/init.d/S99beacon, line 3: beacon</li>');
    expect(page).toContain('the evidence as data (1 item(s))');
  });
});
