/** Findings for the text report's unit tests: one of each place a finding can belong to. */
import type { InventoryDevice } from '../evidence.js';
import type { Finding } from '../finding.js';
import { summarise, type Report } from '../report.js';

export const GLOBEX = 'Globex Telecom Systems';
export const IMAGE = 'ab'.repeat(32);

const base = {
  firstSeen: '2026-06-01T00:00:00.000Z',
  lastSeen: '2026-06-01T00:00:00.000Z',
  evidence: [],
} as const;

export const notLogged: Finding = {
  ...base,
  id: 'firmware-not-logged:d6b1c5a051b96053',
  kind: 'firmware-not-logged',
  severity: 'critical',
  subject: { device: 'globex-r2', vendor: GLOBEX, release: `sha256:${'8f'.repeat(32)}` },
  breaks: { type: 'clause', agreement: 1, clause: 'firmware-logged-before-deployment' },
  explanation: `Device globex-r2 (${GLOBEX}) runs image sha256:8f8f8f8f8f8f… that no logged release names.`,
};

export const backdoor: Finding = {
  ...base,
  id: 'firmware-backdoor-indicator:3ebd24d0934c5ce1',
  kind: 'firmware-backdoor-indicator',
  severity: 'critical',
  subject: { vendor: GLOBEX, release: `sha256:${IMAGE}` },
  breaks: { type: 'clause', agreement: 1, clause: 'no-spy' },
  explanation:
    'Image data/firmware/globex-gx9-2.1.tar.gz contains a back-door indicator at /etc/shadow:1: account root has a password hash that is not locked.',
};

export const canary: Finding = {
  ...base,
  id: 'canary-lapsed:d980e2d549fafdf1',
  kind: 'canary-lapsed',
  severity: 'high',
  subject: { vendor: GLOBEX },
  breaks: { type: 'clause', agreement: 1, clause: 'canary-every' },
  explanation: `${GLOBEX} promised a canary every 30 days; none was logged between 2026-01-10 and 2026-06-01 (still none).`,
};

export const traffic: Finding = {
  ...base,
  id: 'undeclared-traffic:03b88352e06cf62f',
  kind: 'undeclared-traffic',
  severity: 'high',
  subject: { device: 'globex-r1', vendor: GLOBEX },
  breaks: { type: 'clause', agreement: 1, clause: 'traffic-within-declared-mud' },
  explanation: `Device globex-r1 (${GLOBEX}) exchanged 2 flows with 203.0.113.66 udp/53535, which its MUD file does not declare.`,
};

export const section889: Finding = {
  ...base,
  id: 'policy-violation:822852e237857e00',
  kind: 'policy-violation',
  severity: 'high',
  subject: { vendor: 'hikvision, huawei' },
  breaks: { type: 'rule', pack: 'us-ndaa-889', rule: 'us-889-b' },
  explanation:
    'us-ndaa-889 rule us-889-b (Part B) is broken by 3 inventory items of hikvision, huawei.',
  evidence: [
    {
      type: 'policy',
      pack: 'us-ndaa-889',
      rule: 'us-889-b',
      items: ['ran-s10', 'ran-s2', 'cam-1'],
    },
  ],
};

export const splitView: Finding = {
  ...base,
  id: 'log-inconsistency:5a5a5a5a5a5a5a5a',
  kind: 'log-inconsistency',
  severity: 'critical',
  subject: { log: 'log.example/nospy' },
  breaks: { type: 'log', property: 'consistency' },
  explanation: 'The log signed two checkpoints that cannot both be true.',
};

export const DEVICES: readonly InventoryDevice[] = [
  { id: 'globex-r1', vendor: GLOBEX, model: 'GX-9', firmware: { sha256: IMAGE } },
  { id: 'globex-r2', vendor: GLOBEX, model: 'GX-9', firmware: { sha256: '8f'.repeat(32) } },
  { id: 'ran-s2', vendor: 'Huawei Technologies Co Ltd', model: undefined, firmware: undefined },
  { id: 'ran-s10', vendor: 'Huawei Technologies Co Ltd', model: undefined, firmware: undefined },
  { id: 'cam-1', vendor: 'Hangzhou Hikvision', model: undefined, firmware: undefined },
];

/** A report of `findings`, in the engine's order (severity, kind, id) as given. */
export function reportOf(findings: readonly Finding[]): Report {
  return {
    evaluatedAt: '2026-06-01T00:00:00.000Z',
    inputs: { statements: 19, devices: 5, flowRecords: 6, images: 1, vulnerabilities: 0 },
    summary: summarise(findings),
    findings,
  };
}

export const ALL = [splitView, notLogged, backdoor, canary, traffic, section889];
