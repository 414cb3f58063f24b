/**
 * `npm run bench mud`: MUD verdicts per CPU-second over the fixtures' real MUD files, beside a
 * reference measured in the same run: one node:net BlockList lookup per record, the least a
 * naive evaluator would spend on each ACE it scans.
 */
import { BlockList, isIPv4 } from 'node:net';
import { cpuUsage } from 'node:process';
import { BehaviourCheck } from '../../src/mud/behaviour.js';
import { realisticMudSet } from './bench-set.js';
import type { FlowRecord } from '../../src/flows/flow-record.js';

const set = realisticMudSet({ records: 200_000 });
process.stdout.write(
  `MUD files: ${set.files.map((f) => `${f.name} (${f.aces} ACEs)`).join(', ')}\n` +
    `${set.devices.length} devices, ${set.records.length} records\n`,
);

function cpuSeconds(run: () => void): number {
  const before = cpuUsage();
  run();
  const used = cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

function rate(label: string, run: () => number, rounds = 5): void {
  run(); // warm-up
  let best = 0;
  let verdicts = 0;
  for (let i = 0; i < rounds; i += 1) {
    const seconds = cpuSeconds(() => {
      verdicts = run();
    });
    best = Math.max(best, set.records.length / seconds);
  }
  process.stdout.write(
    `${label.padEnd(48)} ${(best / 1e6).toFixed(2)} M records/CPU-s (${verdicts} allowed legs)\n`,
  );
}

// Compiled matcher via the behaviour check (device lookup + match + aggregation).
rate('nospy behaviour check (compiled matcher)', () => {
  const check = new BehaviourCheck({ devices: set.devices });
  for (const record of set.records) check.add(record);
  return check.report().allowedLegs;
});

// The compiled matcher alone.
const byAddress = new Map(set.devices.map((d) => [d.addresses[0] ?? '', d.matcher]));
rate('nospy MudMatcher.match alone', () => {
  let allowed = 0;
  for (const record of set.records) {
    const matcher = byAddress.get(record.src) ?? byAddress.get(record.dst);
    if (matcher === undefined) continue;
    const direction = matcher.directionOf(record);
    if (direction !== undefined && matcher.match(record, direction).verdict === 'allowed')
      allowed += 1;
  }
  return allowed;
});

// Reference: a naive first-match scan with node:net BlockList per remote address.
const naive = new Map<string, (record: FlowRecord) => boolean>();
for (const device of set.devices) {
  const remotes = new BlockList();
  remotes.addSubnet('10.1.0.0', 16);
  remotes.addSubnet('198.18.0.0', 16);
  naive.set(device.addresses[0] ?? '', (record) => {
    const remote =
      isIPv4(record.src) && record.src === device.addresses[0] ? record.dst : record.src;
    return remotes.check(remote, 'ipv4') && record.dport >= 0 && record.sport >= 0;
  });
}
rate('reference: node:net BlockList lookup per record', () => {
  let allowed = 0;
  for (const record of set.records) {
    const judge = naive.get(record.src) ?? naive.get(record.dst);
    if (judge?.(record) === true) allowed += 1;
  }
  return allowed;
});
