import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { readBoundedText } from '../io/bounded-read.js';
import { readSbomFile } from '../sbom/read-sbom.js';
import { sbomNetworkDeclaration } from './declared-sbom.js';
import { isDeclared, readMudDeclaration, type Declaration } from './declared.js';
import { FirmwareError } from './errors.js';
import { isBackdoorIndicator, type Component, type Indicator } from './indicators/types.js';
import { DEFAULT_LIMITS, UnpackBudget, type UnpackLimits, type UnpackWarning } from './limits.js';
import { readImage } from './read-image.js';
import { scanTree } from './scan-tree.js';
import { DirectoryTree, type FileTree } from './tree.js';
import type { Carve } from './unpack/carve.js';
import { unpackBytes } from './unpack/unpack.js';

/** The result of `nospy firmware scan` (its `--json` form). */
export interface FirmwareReport {
  readonly image: {
    /** SHA-256 of the image file; null for a directory (a tree has no single image digest). */
    readonly sha256: string | null;
    readonly format: string;
    readonly size: number;
  };
  readonly carves: readonly Carve[];
  readonly components: readonly Component[];
  readonly indicators: readonly Indicator[];
  /** Parts of the image that were not unpacked, and why (limits, traversal, unsupported data). */
  readonly warnings: readonly UnpackWarning[];
  /**
   * False when any part of the image was not examined (every warning names one: where, why):
   * the scan then cannot say the image is clean, only what it found in the rest.
   */
  readonly complete: boolean;
  /** True when a back-door indicator was found (the CLI exits 1). */
  readonly backdoor: boolean;
}

export interface ScanOptions {
  readonly limits?: UnpackLimits;
  /** A MUD file (RFC 8520 JSON) to compare listeners and destinations with. */
  readonly mudFile?: string;
  /** A CycloneDX SBOM whose `services` declare listeners and destinations too. */
  readonly sbomFile?: string;
}

function compareIndicators(a: Indicator, b: Indicator): number {
  return (
    a.path.localeCompare(b.path) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.offset ?? 0) - (b.offset ?? 0) ||
    a.kind.localeCompare(b.kind) ||
    a.rule.localeCompare(b.rule) ||
    a.detail.localeCompare(b.detail)
  );
}

function uniqueComponents(components: readonly Component[]): Component[] {
  const seen = new Map<string, Component>();
  for (const c of components) seen.set(`${c.name}\0${c.version}\0${c.path}`, c);
  return [...seen.values()].sort(
    (a, b) =>
      a.name.localeCompare(b.name) ||
      a.path.localeCompare(b.path) ||
      a.version.localeCompare(b.version),
  );
}

/**
 * Scans a firmware image file (or an already unpacked directory): unpacks it within the
 * limits, runs every rule, and compares listeners and destinations with a MUD file if given.
 */
export function scanFirmware(imagePath: string, options: ScanOptions = {}): FirmwareReport {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const budget = new UnpackBudget(limits);
  const declaration = options.mudFile === undefined ? undefined : readMud(options.mudFile);
  const sbomDeclaration =
    options.sbomFile === undefined ? undefined : readSbomDeclaration(options.sbomFile);
  let stat;
  try {
    stat = statSync(imagePath);
  } catch (error) {
    throw new FirmwareError(
      'FIRMWARE_IMAGE_UNREADABLE',
      `cannot read ${imagePath}: ${(error as Error).message}`,
      { where: imagePath, cause: error },
    );
  }
  let tree: FileTree;
  let image: FirmwareReport['image'];
  let carves: Carve[] = [];
  if (stat.isDirectory()) {
    const directory = new DirectoryTree(imagePath, budget);
    tree = directory;
    const size = directory.entries().reduce((sum, e) => sum + e.size, 0);
    image = { sha256: null, format: 'directory', size };
  } else {
    const bytes = readImage(imagePath, limits.maxTotalBytes);
    const unpacked = unpackBytes(bytes, budget, basename(imagePath));
    if (unpacked.format === 'raw' && unpacked.carves.length === 0 && bytes.length > 0) {
      // Content rules still search the bytes, but no file rule sees a file: not a full scan.
      budget.warn(
        'unknown_format',
        'image',
        `no container or file system nospy reads was found in its ${bytes.length} bytes; only their raw content was searched`,
      );
    }
    tree = unpacked.tree;
    carves = unpacked.carves;
    image = {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      format: unpacked.format,
      size: bytes.length,
    };
  }
  const found = scanTree(tree, budget);
  const indicators = found.indicators
    .map((indicator) => judgeDeclared(indicator, declaration, sbomDeclaration))
    .sort(compareIndicators);
  return {
    image,
    carves: [...carves, ...found.carves],
    components: uniqueComponents(found.components),
    indicators,
    warnings: budget.warnings,
    complete: budget.warnings.length === 0,
    backdoor: indicators.some(isBackdoorIndicator),
  };
}

/**
 * A listener or destination against the declarations given. With the MUD file only, `declared`
 * is its verdict (the form `--mud` always had); with an SBOM, `declaredBy` also says which
 * declaration allows it, and `declared` is true only when every one given does.
 */
function judgeDeclared(
  indicator: Indicator,
  mud: Declaration | undefined,
  sbom: Declaration | undefined,
): Indicator {
  if (indicator.kind !== 'listening_service' && indicator.kind !== 'outbound_destination') {
    return indicator;
  }
  if (sbom === undefined) {
    return mud === undefined ? indicator : { ...indicator, declared: isDeclared(mud, indicator) };
  }
  const byMud = mud === undefined ? undefined : isDeclared(mud, indicator);
  const bySbom = isDeclared(sbom, indicator);
  return {
    ...indicator,
    declared: bySbom && byMud !== false,
    declaredBy: { ...(byMud === undefined ? {} : { mud: byMud }), sbom: bySbom },
  };
}

function readSbomDeclaration(path: string): Declaration | undefined {
  const { document } = readSbomFile(path);
  if (document.format !== 'CycloneDX') {
    throw new FirmwareError(
      'FIRMWARE_SBOM_UNUSABLE',
      `${path}: an ${document.format} ${document.specVersion} SBOM has no services, so it declares no listener or destination; give the release's CycloneDX SBOM`,
      { where: path },
    );
  }
  return sbomNetworkDeclaration(document);
}

/** A MUD file is a page of ACLs: RFC 8520 files run to kilobytes (the MUD parser's own bound). */
const MAX_MUD_BYTES = 1024 * 1024;

function readMud(path: string): ReturnType<typeof readMudDeclaration> {
  const text = readBoundedText(path, {
    maxBytes: MAX_MUD_BYTES,
    what: 'MUD file',
    failure: (error) =>
      new FirmwareError('FIRMWARE_MUD_INVALID', error.message, { where: path, cause: error }),
  });
  return readMudDeclaration(text, path);
}
