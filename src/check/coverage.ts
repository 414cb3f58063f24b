/**
 * What a check covered: each part of the check (the log, the inventory, traffic, firmware,
 * vulnerabilities, rule packs), checked with how much, or not checked with why. An empty report
 * says nothing about a part that was never checked, so the report's readers are told which. Pure.
 */
import type { CheckEvidence } from './evidence.js';
import { RELEASE_PREDICATE_TYPE } from '../statements/predicates/release.js';

/** What the configuration's `check:` section names (its shape, whatever read it). */
export interface CheckSection {
  readonly log?: string | undefined;
  readonly inventory?: string | undefined;
  readonly devices?: string | undefined;
  readonly flows: readonly string[];
  readonly firmware: readonly unknown[];
  readonly sboms: readonly string[];
  readonly osv: readonly string[];
  readonly packs: readonly string[];
}

export const CHECK_PARTS = [
  'log',
  'inventory',
  'traffic',
  'firmware',
  'vulnerabilities',
  'rule packs',
] as const;
export type CheckPart = (typeof CHECK_PARTS)[number];

export interface PartCoverage {
  readonly part: CheckPart;
  readonly checked: boolean;
  /** How much was checked, or why it was not. */
  readonly detail: string;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The tree size a checkpoint note states (c2sp.org/tlog-checkpoint: origin, size, root hash). */
function checkpointSize(note: string | undefined): number | undefined {
  const size = note?.split('\n')[1];
  return size !== undefined && /^[0-9]{1,20}$/.test(size) ? Number(size) : undefined;
}

/** Each part of the check, in `CHECK_PARTS` order, as `check` named it and `evidence` shows. */
export function checkCoverage(check: CheckSection, evidence: CheckEvidence): PartCoverage[] {
  const size = checkpointSize(evidence.checkpoint);
  const sbomsLogged = evidence.statements.some(
    (s) =>
      s.statement.predicateType === RELEASE_PREDICATE_TYPE &&
      s.statement.predicate.sbom.inBlobStore === true,
  );
  const flows = evidence.flows;
  const firmware = evidence.firmware ?? [];
  const vulnerabilities = evidence.vulnerabilities ?? [];
  return [
    check.log === undefined
      ? { part: 'log', checked: false, detail: 'no check.log names a log' }
      : {
          part: 'log',
          checked: true,
          detail: `${plural(evidence.statements.length, 'statement')} verified against the trust file${size === undefined ? '' : `, up to the checkpoint of size ${size}`}`,
        },
    evidence.inventory === undefined
      ? { part: 'inventory', checked: false, detail: 'no check.inventory' }
      : { part: 'inventory', checked: true, detail: plural(evidence.inventory.length, 'device') },
    flows !== undefined
      ? {
          part: 'traffic',
          checked: true,
          detail: `${plural(flows.records.length, 'flow record')} against the MUD files of ${plural(flows.devices.length, 'device')}`,
        }
      : {
          part: 'traffic',
          checked: false,
          detail:
            check.flows.length === 0
              ? 'no check.flows'
              : 'no check.devices (the device map the flows are judged against)',
        },
    check.firmware.length === 0
      ? { part: 'firmware', checked: false, detail: 'no check.firmware images' }
      : { part: 'firmware', checked: true, detail: `${plural(firmware.length, 'image')} scanned` },
    check.osv.length === 0
      ? { part: 'vulnerabilities', checked: false, detail: 'no check.osv advisories' }
      : check.sboms.length === 0 && !sbomsLogged
        ? {
            part: 'vulnerabilities',
            checked: false,
            detail:
              'no SBOM: no check.sboms, and no logged release keeps its SBOM in the blob store',
          }
        : {
            part: 'vulnerabilities',
            checked: true,
            detail: `SBOMs matched against OSV advisories: ${plural(vulnerabilities.length, 'affected component')}`,
          },
    evidence.policy !== undefined
      ? {
          part: 'rule packs',
          checked: true,
          detail: `${check.packs.join(', ')} on the inventory`,
        }
      : {
          part: 'rule packs',
          checked: false,
          detail:
            check.packs.length === 0
              ? 'no check.packs'
              : `${check.packs.join(', ')} need check.inventory`,
        },
  ];
}
