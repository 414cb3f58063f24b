/**
 * The adapters: read everything the config's `check` section names (the log, the inventory,
 * flows, firmware images, SBOMs with OSV data, rule packs) and hand it to the pure engine.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { LoadedConfig } from '../../config/load.js';
import { scanFirmware } from '../../firmware/scan.js';
import { loadInventory } from '../../inventory/load.js';
import { loadDeviceMap } from '../../mud/index.js';
import { buildAdvisoryIndex } from '../../osv/advisory-index.js';
import { loadOsvSources } from '../../osv/load.js';
import { checkInventory, parseDateFlag } from '../../policy/service.js';
import { readSbomFile } from '../../sbom/read-sbom.js';
import { findVulnerabilities } from '../../sbom/vulnerabilities.js';
import { loadTrustFile } from '../../statements/index.js';
import { CheckError } from '../errors.js';
import type { CheckEvidence, ComponentVulnerability, ScannedImage } from '../evidence.js';
import { checkReport, type Report } from '../report.js';
import { readFlowSources } from './flows.js';
import { readLogStatements } from './log.js';

/** The stages `runCheck` reports progress on, in order. */
export const CHECK_STAGES = [
  'log',
  'inventory',
  'flows',
  'firmware',
  'sboms',
  'policy',
  'check',
] as const;
export type CheckStage = (typeof CHECK_STAGES)[number];

export interface RunCheckOptions {
  readonly now: Date;
  readonly since?: Date;
  /** Called as each stage starts. */
  readonly onStage?: (stage: CheckStage) => void;
}

/** Evidence gathered from a config, and the report the engine made of it. */
export async function gatherEvidence(
  loaded: LoadedConfig,
  options: RunCheckOptions,
): Promise<CheckEvidence> {
  const { config } = loaded;
  const base = loaded.file === undefined ? process.cwd() : dirname(resolve(loaded.file));
  const where = (field: string) => `${loaded.file ?? 'config'}: check.${field}`;
  const path = (field: string, value: string): string => {
    const full = resolve(base, value);
    if (!existsSync(full)) {
      throw new CheckError(
        'CHECK_INPUT_MISSING',
        `${where(field)} names ${value}, which does not exist (${full})`,
        {
          where: full,
        },
      );
    }
    return full;
  };
  const check = config.check;
  // Every named file is checked before anything is read: a typo fails fast and reads nothing.
  const trustFile = config.trust === undefined ? undefined : path('trust', config.trust);
  const logDir = check.log === undefined ? undefined : resolve(base, check.log);
  const inventoryFile =
    check.inventory === undefined ? undefined : path('inventory', check.inventory);
  const devicesFile = check.devices === undefined ? undefined : path('devices', check.devices);
  const flowFiles = check.flows.map((f) => path('flows', f));
  const images = check.firmware.map((f) =>
    typeof f === 'string'
      ? { image: path('firmware', f), mud: undefined }
      : {
          image: path('firmware', f.image),
          mud: f.mud === undefined ? undefined : path('firmware', f.mud),
        },
  );
  const sboms = check.sboms.map((f) => path('sboms', f));
  const osv = check.osv.map((f) => path('osv', f));
  const date = check.date === undefined ? options.now.toISOString().slice(0, 10) : check.date;

  options.onStage?.('log');
  let statements: CheckEvidence['statements'] = [];
  let checkpoint: string | undefined;
  if (logDir !== undefined) {
    if (trustFile === undefined) {
      throw new CheckError(
        'CHECK_INPUT_MISSING',
        `${where('log')} needs a trust file (top-level trust:) to verify the statements`,
      );
    }
    const read = await readLogStatements(logDir, loadTrustFile(trustFile), options.now);
    statements = read.statements;
    checkpoint = read.checkpoint;
  }

  options.onStage?.('inventory');
  const inventory =
    inventoryFile === undefined
      ? undefined
      : (await loadInventory(inventoryFile)).items.map((i) => ({
          id: i.id,
          vendor: i.vendor,
          model: i.model,
          firmware: i.firmware,
        }));

  options.onStage?.('flows');
  let flows: CheckEvidence['flows'];
  if (devicesFile !== undefined && flowFiles.length > 0) {
    flows = {
      devices: loadDeviceMap(devicesFile),
      records: await readFlowSources(flowFiles),
      sources: flowFiles.map((f) => relative(base, f)),
    };
  }

  options.onStage?.('firmware');
  const firmware: ScannedImage[] = images.map(({ image, mud }) => {
    const report = scanFirmware(image, {
      limits: config.firmware,
      ...(mud === undefined ? {} : { mudFile: mud }),
    });
    return {
      image: relative(base, image),
      sha256: report.image.sha256 ?? '',
      indicators: report.indicators,
    };
  });

  options.onStage?.('sboms');
  const vulnerabilities: ComponentVulnerability[] = [];
  if (sboms.length > 0 && osv.length > 0) {
    const index = buildAdvisoryIndex(loadOsvSources(osv).records);
    for (const file of sboms) {
      const sbomDigest = createHash('sha256').update(readFileSync(file)).digest('hex');
      // The SBOM is tied to a release by the digest the release statement names.
      const releases = statements.filter(
        (s) =>
          s.statement.predicateType === 'https://nospy.dev/predicates/release/v1' &&
          s.statement.predicate.sbom.digest.sha256 === sbomDigest,
      );
      const found = findVulnerabilities(readSbomFile(file).document, index).vulnerabilities;
      for (const r of releases) {
        for (const s of r.statement.subject) {
          for (const v of found) {
            const rating =
              v.advisory.severity.find((x) => x.rating !== undefined)?.rating ??
              v.advisory.databaseSeverity;
            const range = v.ranges[0];
            const fixed = range?.fixed[0];
            vulnerabilities.push({
              release: `sha256:${s.digest.sha256}`,
              component: v.component.name,
              version: v.component.version ?? v.version,
              // OSV records keep `modified` only: the fix window starts then (an upper bound).
              advisory: {
                id: v.advisory.id,
                aliases: v.advisory.aliases,
                severity: rating,
                published: v.advisory.modified,
              },
              affected: range?.text ?? v.reason,
              ...(fixed === undefined ? {} : { fixed }),
            });
          }
        }
      }
    }
  }

  options.onStage?.('policy');
  const policy =
    inventoryFile === undefined || check.packs.length === 0
      ? undefined
      : (await checkInventory(check.packs, inventoryFile, parseDateFlag(where('date'), date)))
          .evaluation;

  return {
    statements,
    ...(checkpoint === undefined ? {} : { checkpoint }),
    ...(inventory === undefined ? {} : { inventory }),
    ...(flows === undefined ? {} : { flows }),
    firmware,
    vulnerabilities,
    ...(policy === undefined ? {} : { policy }),
  };
}

/** The config's evaluation date (its start, UTC) when it sets one, else `now`. */
export function evaluationTime(loaded: LoadedConfig, now: Date): Date {
  const date = loaded.config.check.date;
  return date === undefined ? now : new Date(`${date}T00:00:00Z`);
}

/** Reads everything the config names and checks it: the report the CLI and the API serve. */
export async function runCheck(loaded: LoadedConfig, options: RunCheckOptions): Promise<Report> {
  const now = evaluationTime(loaded, options.now);
  const evidence = await gatherEvidence(loaded, { ...options, now });
  options.onStage?.('check');
  return checkReport(evidence, {
    now,
    ...(options.since === undefined ? {} : { since: options.since }),
  });
}
