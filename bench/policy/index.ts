/**
 * `npm run bench policy`: a national-scale inventory -- 1,000,000 items over 50,000 sites,
 * generated deterministically -- evaluated against every shipped pack on one day. Prints the
 * time and items per second of preparing (vendor resolution, indexing) and evaluating, beside
 * references measured in the same run: copying every item, and JSON.parse of the same items.
 * Goal: under 2 s for all packs.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseDay, type Day } from '../../src/inventory/day.js';
import { evaluatePacks } from '../../src/policy/evaluate.js';
import { loadPack, loadRegistry, shippedPackIds } from '../../src/policy/load.js';
import { planRemediation } from '../../src/policy/plan.js';
import { prepareInventory } from '../../src/policy/prepare/prepare-inventory.js';
import { vendorShares } from '../../src/policy/shares.js';
import { nationalInventory } from './national.js';

const ITEMS = Number(process.env.NOSPY_BENCH_ITEMS ?? 1_000_000);
const SITES = Math.max(1, Math.round(ITEMS / 20));

/** CPU milliseconds of this process (all threads: the collector's too). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Wall and CPU time of `run`. On a machine shared with other work the CPU time is the steadier
 * figure: wall time then also counts the time the process waited for a core.
 */
function time<T>(run: () => T): [T, number, number] {
  const start = performance.now();
  const cpu = cpuMs();
  const result = run();
  return [result, performance.now() - start, cpuMs() - cpu];
}

const ms = (t: number): string => `${t.toFixed(0).padStart(6)} ms`;
const cpu = (t: number): string => `(cpu ${t.toFixed(0).padStart(5)} ms)`;
const rate = (t: number): string =>
  `${Math.round(ITEMS / (t / 1000)).toLocaleString('en-US')} items/s`;

const [inventory, generateMs] = time(() => nationalInventory(ITEMS));
process.stdout.write(
  `inventory: ${ITEMS.toLocaleString('en-US')} items over ${SITES.toLocaleString('en-US')} sites (generated in ${generateMs.toFixed(0)} ms)\n`,
);

const registry = loadRegistry();
const packs = shippedPackIds().map((id) => loadPack(id, registry));
const date: Day = parseDay('2026-06-01') ?? 0;

// Collect the generator's garbage first, so that a full collection of the million-item heap it
// left behind is not charged to the evaluator (it is what loading the inventory costs).
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();

const [prepared, prepareMs, prepareCpu] = time(() => prepareInventory(inventory, registry));
const [evaluation, evaluateMs, evaluateCpu] = time(() => evaluatePacks(prepared, packs, date));
const total = prepareMs + evaluateMs;
const totalCpu = prepareCpu + evaluateCpu;
const [, planMs] = time(() => planRemediation(prepared, packs, date));
const [, sharesMs] = time(() => vendorShares(prepared, date));

// References on the same items, in the same process (after the evaluation, so that their
// garbage does not weigh on it).
const [, copyMs, copyCpu] = time(() => inventory.items.map((item) => ({ ...item })).length);
let json: string | undefined = JSON.stringify(inventory.items);
const jsonBytes = json.length;
const [, parseMs, parseCpu] = time(() => (JSON.parse(json ?? '[]') as unknown[]).length);
json = undefined;

const findings = evaluation.findings.reduce((n, f) => n + f.items.length, 0);
process.stdout.write(
  [
    `reference  copy every item (spread)        ${ms(copyMs)} ${cpu(copyCpu)}  ${rate(copyMs)}`,
    `reference  JSON.parse of the items (${(jsonBytes / 1e6).toFixed(0)} MB)   ${ms(parseMs)} ${cpu(parseCpu)}  ${rate(parseMs)}`,
    `prepare    resolve vendors, index items    ${ms(prepareMs)} ${cpu(prepareCpu)}  ${rate(prepareMs)}`,
    `evaluate   ${packs.length} packs, ${packs.reduce((n, p) => n + p.rules.length, 0)} rules on 2026-06-01     ${ms(evaluateMs)} ${cpu(evaluateCpu)}  ${rate(evaluateMs)}`,
    `total      prepare + evaluate              ${ms(total)} ${cpu(totalCpu)}  ${rate(total)}  (goal < 2000 ms: wall ${total < 2000 ? 'met' : 'NOT met'}, cpu ${totalCpu < 2000 ? 'met' : 'NOT met'})`,
    `plan       remediation plan, all packs     ${ms(planMs)}`,
    `shares     vendor-share table              ${ms(sharesMs)}`,
    `findings: ${evaluation.findings.length} (${findings.toLocaleString('en-US')} item listings), measurements: ${evaluation.measurements.length}, exempt groups: ${evaluation.exempt.length}`,
    '',
  ].join('\n'),
);
