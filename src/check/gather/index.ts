/**
 * The adapters: read everything the config's `check` section names (the log, the inventory,
 * flows, firmware images, SBOMs with OSV data, rule packs) and hand it to the pure engine. The
 * SBOMs and MUD files the logged releases name by digest are read from the blob store.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { LoadedConfig } from '../../config/load.js';
import { scanFirmware } from '../../firmware/scan.js';
import { loadInventory } from '../../inventory/load.js';
import { buildAdvisoryIndex } from '../../osv/advisory-index.js';
import { loadOsvSources } from '../../osv/load.js';
import {
  checkInventory,
  evaluationDigests,
  parseDateFlag,
  type EvaluationDigests,
} from '../../policy/from-files.js';
import { INVENTORY_PREDICATE_TYPE } from '../../statements/predicates/inventory.js';
import { DEFAULT_SBOM_LIMITS, readSbomText } from '../../sbom/read-sbom.js';
import { MAX_DOCUMENT_BYTES } from '../../inventory/load.js';
import { readBoundedFile } from '../../io/bounded-read.js';
import type { SbomDocument } from '../../sbom/model.js';
import { loadTrustFile } from '../../statements/index.js';
import { CheckError } from '../errors.js';
import type { CheckEvidence, ComponentVulnerability, ScannedImage } from '../evidence.js';
import { checkReport, type Report } from '../report.js';
import { openBlobSource } from './blobs.js';
import { isRelease, releasedDeclarations, releaseVulnerabilities } from './releases.js';
import { readRebuildDiffs } from './rebuilds.js';
import { readFlowSources } from './flows.js';
import { loadJudgedDevices } from './devices.js';
import { readTrafficVerdicts, trafficSource } from './traffic.js';
import { openTrafficStore } from '../../traffic/open-traffic-store.js';
import { isLogUrl, readLogStatements, type LogHistory } from './log.js';
import { redactStoreUrl } from '../../store/store-url.js';

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
  /**
   * The log's checkpoint verified last time and those others saw, to check it against (the CLI
   * keeps the state file; the server's read API passes none).
   */
  readonly logHistory?: LogHistory;
  /** Handed the evidence gathered, before the engine runs (e.g. to keep a logged inventory). */
  readonly onEvidence?: (evidence: CheckEvidence) => void;
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
  const logSource =
    check.log === undefined
      ? undefined
      : isLogUrl(check.log)
        ? check.log
        : resolve(base, check.log);
  // The blob store: as configured, else the log's own (a served log's /v1/blobs, or <dir>/blobs).
  const blobLocation =
    check.blobs !== undefined
      ? isLogUrl(check.blobs)
        ? check.blobs
        : path('blobs', check.blobs)
      : logSource === undefined || isLogUrl(logSource)
        ? logSource
        : join(logSource, 'blobs');
  const inventoryFile =
    check.inventory === undefined ? undefined : path('inventory', check.inventory);
  const devicesFile = check.devices === undefined ? undefined : path('devices', check.devices);
  const traffic = trafficSource(config, process.cwd());
  // Flows the store already holds are not read again.
  const flowFiles = traffic.kind === 'store' ? [] : check.flows.map((f) => path('flows', f));
  const images = check.firmware.map((f) =>
    typeof f === 'string'
      ? { image: path('firmware', f), mud: undefined, sbom: undefined }
      : {
          image: path('firmware', f.image),
          mud: f.mud === undefined ? undefined : path('firmware', f.mud),
          sbom: f.sbom === undefined ? undefined : path('firmware', f.sbom),
        },
  );
  const sboms = check.sboms.map((f) => path('sboms', f));
  const osv = check.osv.map((f) => path('osv', f));
  const date = check.date === undefined ? options.now.toISOString().slice(0, 10) : check.date;

  const blobs = blobLocation === undefined ? undefined : openBlobSource(blobLocation);
  try {
    options.onStage?.('log');
    let statements: CheckEvidence['statements'] = [];
    let checkpoint: string | undefined;
    let inconsistencies: CheckEvidence['inconsistencies'];
    if (logSource !== undefined) {
      if (trustFile === undefined) {
        throw new CheckError(
          'CHECK_INPUT_MISSING',
          `${where('log')} needs a trust file (top-level trust:) to verify the statements`,
        );
      }
      const read = await readLogStatements(logSource, loadTrustFile(trustFile), options.now, {
        history: options.logHistory,
      });
      statements = read.statements;
      checkpoint = read.checkpoint;
      inconsistencies = read.inconsistencies;
      if (read.next !== undefined) options.logHistory?.remember?.(read.next);
    }
    const releases = statements.filter(isRelease);
    const rebuildDiffs = blobs === undefined ? [] : await readRebuildDiffs(statements, blobs);

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
    const verdicts =
      traffic.kind === 'store'
        ? await readTrafficVerdicts(
            await openTrafficStore(traffic.url, { base, create: false }),
            redactStoreUrl(traffic.url),
          )
        : undefined;
    if (devicesFile !== undefined && flowFiles.length > 0) {
      const { records, origins } = await readFlowSources(flowFiles, base);
      flows = {
        // A device map may name a MUD file by digest: it must be one a logged release declares.
        devices: await loadJudgedDevices(devicesFile, releases, blobs),
        records,
        sources: flowFiles.map((f) => relative(base, f)),
        origins,
      };
    }

    options.onStage?.('firmware');
    const firmware: ScannedImage[] = [];
    for (const { image, mud, sbom } of images) {
      // Named files win; otherwise what the image's logged release declares.
      const released =
        mud === undefined || sbom === undefined
          ? await releasedDeclarations(image, releases, blobs)
          : {};
      const mudFile = mud ?? released.mud;
      const sbomFile = sbom ?? released.sbom;
      const report = scanFirmware(image, {
        limits: config.firmware,
        ...(mudFile === undefined ? {} : { mudFile }),
        ...(sbomFile === undefined ? {} : { sbomFile }),
      });
      firmware.push({
        image: relative(base, image),
        sha256: report.image.sha256 ?? '',
        indicators: report.indicators,
        ...(report.complete ? {} : { unexamined: report.warnings }),
      });
    }

    options.onStage?.('sboms');
    const vulnerabilities: ComponentVulnerability[] = [];
    let sbomsMatched: string[] | undefined;
    if (osv.length > 0) {
      const documents: { digest: string; document: SbomDocument }[] = [];
      for (const file of sboms) {
        // One bounded read serves both the digest and the parse.
        const bytes = readBoundedFile(file, {
          maxBytes: DEFAULT_SBOM_LIMITS.maxFileBytes,
          what: 'SBOM',
        });
        documents.push({
          digest: createHash('sha256').update(bytes).digest('hex'),
          document: readSbomText(file, bytes.toString('utf8')).document,
        });
      }
      if (blobs !== undefined) {
        const named = new Set(releases.map((r) => r.statement.predicate.sbom.digest.sha256));
        for (const d of documents) named.delete(d.digest);
        for (const hex of named) {
          const bytes = await blobs.get(hex);
          if (bytes === undefined) continue;
          documents.push({
            digest: hex,
            document: readSbomText(`${blobs.where} sha256:${hex}`, bytes.toString('utf8')).document,
          });
        }
      }
      if (documents.length > 0) {
        const index = buildAdvisoryIndex(loadOsvSources(osv).records);
        for (const { digest, document } of documents)
          vulnerabilities.push(...releaseVulnerabilities(digest, document, releases, index));
      }
      sbomsMatched = documents.map((d) => `sha256:${d.digest}`);
    }

    options.onStage?.('policy');
    let policy: CheckEvidence['policy'];
    let policyInput: CheckEvidence['policyInput'];
    if (inventoryFile !== undefined && check.packs.length > 0) {
      const checked = await checkInventory(
        check.packs,
        inventoryFile,
        parseDateFlag(where('date'), date),
      );
      policy = checked.evaluation;
      policyInput = loggedPolicyInput(
        statements,
        readBoundedFile(inventoryFile, { maxBytes: MAX_DOCUMENT_BYTES, what: 'inventory' }),
        evaluationDigests(checked.packs),
        date,
      );
    }

    return {
      statements,
      ...(checkpoint === undefined ? {} : { checkpoint }),
      ...(inconsistencies === undefined || inconsistencies.length === 0 ? {} : { inconsistencies }),
      ...(inventory === undefined ? {} : { inventory }),
      ...(flows === undefined ? {} : { flows }),
      ...(verdicts === undefined ? {} : { traffic: verdicts }),
      firmware,
      vulnerabilities,
      ...(sbomsMatched === undefined ? {} : { sbomsMatched }),
      ...(policy === undefined ? {} : { policy }),
      ...(policyInput === undefined ? {} : { policyInput }),
      ...(rebuildDiffs.length === 0 ? {} : { rebuildDiffs }),
    };
  } finally {
    blobs?.close();
  }
}

/**
 * The logged basis of the policy evaluation: the latest `inventory` statement whose subject is
 * the inventory file's SHA-256 (signed by the operator, as the signing rules demand), or none.
 */
function loggedPolicyInput(
  statements: CheckEvidence['statements'],
  bytes: Buffer,
  digests: EvaluationDigests,
  date: string,
): CheckEvidence['policyInput'] {
  const hex = createHash('sha256').update(bytes).digest('hex');
  const inventory = statements.findLast(
    (s) =>
      s.statement.predicateType === INVENTORY_PREDICATE_TYPE &&
      s.statement.subject.some((x) => x.digest.sha256 === hex),
  );
  return inventory === undefined ? undefined : { inventory, bytes, ...digests, date };
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
  options.onEvidence?.(evidence);
  options.onStage?.('check');
  return checkReport(evidence, {
    now,
    ...(options.since === undefined ? {} : { since: options.since }),
  });
}
