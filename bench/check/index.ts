/**
 * bench/check: a national-scale `checkReport` run. 100,000 devices (inventory + one deployment
 * statement each), 1,000 logged releases, and one day of flows at 200,000 records/s SAMPLED: one
 * second of traffic (200,000 records from the realistic MUD set) is checked and the flow stage's
 * time is scaled by 86,400 to a day — the behaviour check is a streaming per-record pass, so its
 * cost is linear in records. Prints the time per stage beside a reference: one plain pass over
 * the same records summing bytes.
 */
import { performance } from 'node:perf_hooks';
import { checkReport, type CheckEvidence, type LoggedStatement } from '../../src/check/index.js';
import { realisticMudSet } from '../mud/bench-set.js';
import type { Statement } from '../../src/statements/index.js';
import { AGREEMENT_PREDICATE_TYPE } from '../../src/statements/predicates/agreement.js';
import { DEPLOYMENT_PREDICATE_TYPE } from '../../src/statements/predicates/deployment.js';
import { RELEASE_PREDICATE_TYPE } from '../../src/statements/predicates/release.js';

const DEVICES = 100_000;
const RELEASES = 1_000;
const RECORDS_PER_SECOND = 200_000;
const hex = (n: number): string => n.toString(16).padStart(64, '0');
const time = <T>(label: string, f: () => T): T => {
  const t0 = performance.now();
  const out = f();
  process.stdout.write(
    `${label.padEnd(44)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms\n`,
  );
  return out;
};

const statements = time('generate 1,000 releases + 100,000 deployments', () => {
  const out: LoggedStatement[] = [];
  const push = (statement: unknown) =>
    out.push({
      index: out.length,
      envelope: '{}',
      tlogProof: '',
      statement: statement as Statement,
    });
  for (const vendor of ['Acme Networks', 'Globex Telecom Systems']) {
    push({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'a', digest: { sha256: hex(0) } }],
      predicateType: AGREEMENT_PREDICATE_TYPE,
      predicate: {
        agreementId: vendor,
        title: vendor,
        parties: { vendor: { name: vendor, key: 'k+00000000' } },
        validity: { from: '2026-01-01', until: '2027-12-31' },
        scope: { products: ['router'] },
        clauses: [
          { clause: 'firmware-logged-before-deployment', securityFixDays: 30 },
          { clause: 'canary-every', days: 30 },
        ],
      },
    });
  }
  for (let r = 0; r < RELEASES; r++) {
    push({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `fw-${r}`, digest: { sha256: hex(r + 1) } }],
      predicateType: RELEASE_PREDICATE_TYPE,
      predicate: {
        vendor: r % 2 === 0 ? 'Acme Networks' : 'Globex Telecom Systems',
        models: ['R1'],
        version: `${r}`,
        // The last ten releases fix advisories: every device on an older one is past the window.
        releasedAt: r >= RELEASES - 10 ? '2026-03-01' : '2026-01-02',
        ...(r >= RELEASES - 10 ? { securityFix: { advisories: [`CVE-2026-${r}`] } } : {}),
        sbom: { format: 'cyclonedx', digest: { sha256: hex(0) } },
        mud: { digest: { sha256: hex(0) }, url: 'https://mud.example/r1.json' },
      },
    });
  }
  for (let d = 0; d < DEVICES; d++) {
    // One device in a thousand runs an image no release names.
    const image = d % 1000 === 999 ? hex(10_000_000 + d) : hex((d % RELEASES) + 1);
    push({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'fw', digest: { sha256: image } }],
      predicateType: DEPLOYMENT_PREDICATE_TYPE,
      predicate: {
        operator: 'Op',
        device: {
          id: `dev-${d}`,
          vendor: d % 2 === 0 ? 'Acme Networks' : 'Globex Telecom Systems',
          model: 'R1',
        },
        observedAt: '2026-02-01T00:00:00Z',
        method: 'image-hash',
      },
    });
  }
  return out;
});
const inventory = Array.from({ length: DEVICES }, (_, d) => ({
  id: `dev-${d}`,
  vendor: d % 2 === 0 ? 'Acme Networks' : 'Globex Telecom Systems',
  model: 'R1',
  firmware: { sha256: hex(d % 1000 === 999 ? 10_000_000 + d : (d % RELEASES) + 1) },
}));
const flows = time('generate 1 s of flows (200,000 records)', () =>
  realisticMudSet({ records: RECORDS_PER_SECOND }),
);

const base: CheckEvidence = { statements, inventory };
const now = Date.UTC(2026, 5, 1);
const logReport = time('engine: statements + inventory', () => checkReport(base, { now }));
const t0 = performance.now();
const flowReport = checkReport(
  { statements: [], flows: { devices: flows.devices, records: flows.records, sources: [] } },
  { now },
);
const flowMs = performance.now() - t0;
process.stdout.write(
  `${'engine: flows, 1 s sample'.padEnd(44)} ${flowMs.toFixed(0).padStart(7)} ms\n`,
);
process.stdout.write(
  `${'engine: flows, one day (sample x 86,400)'.padEnd(44)} ${((flowMs * 86_400) / 1000 / 60).toFixed(1).padStart(7)} min (estimate)\n`,
);
time('reference: one pass summing bytes', () => flows.records.reduce((s, r) => s + r.bytes, 0));
process.stdout.write(
  `findings: ${logReport.summary.total} from statements/inventory, ${flowReport.summary.total} from the flow sample\n`,
);
