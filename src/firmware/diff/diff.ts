/**
 * `nospy firmware diff <a> <b>`: two images (or unpacked directories) compared through the same
 * unpackers as `nospy firmware scan`, file by file, with the cause of every difference and the
 * back-door indicators found in one only. The images are equivalent when no file was added,
 * removed or changed in content (differences of timestamps, order, ownership or container bytes
 * leave every file's bytes the same).
 *
 * A comparison that could not look at everything is not a comparison: when either side was not
 * unpacked whole (a limit, a missing tool, an unreadable file), the diff stops with
 * FIRMWARE_DIFF_INCOMPLETE instead of calling the rest equivalent.
 */
import { statSync } from 'node:fs';
import { FirmwareError } from '../errors.js';
import { DEFAULT_LIMITS, UnpackBudget, type UnpackLimits } from '../limits.js';
import { readImage } from '../read-image.js';
import { DirectoryTree, type FileTree } from '../tree.js';
import { unpackBytes } from '../unpack/unpack.js';
import { directoryAttributes, type AttributeMap } from './attributes.js';
import { compareTrees, containerDifferences } from './compare-trees.js';
import { indicatorDelta } from './indicators.js';
import { readLayout, sha256Of, type ImageLayout } from './layout.js';
import { breaksEquivalence, type DiffReport, type FileDifference } from './report.js';

export interface DiffOptions {
  readonly limits?: UnpackLimits;
}

/** What was compared: each image's digest (null for a directory), format and size. */
export interface DiffedImage {
  readonly path: string;
  readonly sha256: string | null;
  readonly format: string;
  readonly size: number;
}

export interface DiffOutcome {
  readonly report: DiffReport;
  readonly a: DiffedImage;
  readonly b: DiffedImage;
  /** Notes for people by reported path (the ELF sections that differ, a link's targets). */
  readonly notes: ReadonlyMap<string, string>;
}

interface OpenedSide {
  readonly image: DiffedImage;
  readonly bytes: Buffer | undefined;
  readonly directory: string | undefined;
}

function open(path: string, limits: UnpackLimits): OpenedSide {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new FirmwareError(
      'FIRMWARE_IMAGE_UNREADABLE',
      `cannot read ${path}: ${(error as Error).message}`,
      {
        where: path,
        cause: error,
      },
    );
  }
  if (stat.isDirectory()) {
    return {
      image: { path, sha256: null, format: 'directory', size: 0 },
      bytes: undefined,
      directory: path,
    };
  }
  const bytes = readImage(path, limits.maxTotalBytes);
  return {
    image: { path, sha256: sha256Of(bytes), format: 'raw', size: bytes.length },
    bytes,
    directory: undefined,
  };
}

interface UnpackedSide {
  readonly image: DiffedImage;
  readonly tree: FileTree;
  readonly attributes: AttributeMap;
  readonly layout: ImageLayout | undefined;
  readonly budget: UnpackBudget;
}

function unpack(side: OpenedSide, limits: UnpackLimits): UnpackedSide {
  const budget = new UnpackBudget(limits);
  if (side.directory !== undefined) {
    const tree = new DirectoryTree(side.directory, budget);
    const size = tree.entries().reduce((sum, e) => sum + e.size, 0);
    return {
      image: { ...side.image, size },
      tree,
      attributes: directoryAttributes(side.directory, tree),
      layout: undefined,
      budget,
    };
  }
  const bytes = side.bytes ?? Buffer.alloc(0);
  // One name for a raw image on both sides: the file names of the two images do not matter.
  const unpacked = unpackBytes(bytes, budget, 'image');
  const layout = readLayout(bytes, limits);
  return {
    image: { ...side.image, format: unpacked.format },
    tree: unpacked.tree,
    attributes: layout.attributes,
    layout,
    budget,
  };
}

function incomplete(sides: readonly UnpackedSide[]): FirmwareError | undefined {
  const problems = sides.flatMap((s) =>
    s.budget.warnings.map((w) => `${s.image.path}: ${w.reason} at ${w.where}: ${w.detail}`),
  );
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, 10);
  return new FirmwareError(
    'FIRMWARE_DIFF_INCOMPLETE',
    `the images cannot be compared whole; not unpacked:\n${shown.join('\n')}${
      problems.length > shown.length ? `\n(and ${problems.length - shown.length} more)` : ''
    }`,
    { where: sides.find((s) => s.budget.warnings.length > 0)?.image.path ?? 'image' },
  );
}

/** Compares image (or directory) `a` with `b`. */
export function diffFirmware(pathA: string, pathB: string, options: DiffOptions = {}): DiffOutcome {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const oa = open(pathA, limits);
  const ob = open(pathB, limits);
  if (oa.bytes !== undefined && ob.bytes !== undefined && oa.image.sha256 === ob.image.sha256) {
    // Bit for bit the same image: nothing to unpack.
    const report: DiffReport = {
      equivalent: true,
      files: [],
      indicators: { onlyInA: [], onlyInB: [] },
    };
    return { report, a: oa.image, b: ob.image, notes: new Map() };
  }
  const a = unpack(oa, limits);
  const b = unpack(ob, limits);
  const compared = compareTrees(a, b);
  const files: FileDifference[] = [...compared.files];
  if (a.layout !== undefined && b.layout !== undefined)
    files.push(...containerDifferences(a.layout, b.layout));
  const indicators = indicatorDelta(a, b, compared.changed);
  const problem = incomplete([a, b]);
  if (problem !== undefined) throw problem;
  if (files.length === 0 && a.image.sha256 !== null && b.image.sha256 !== null) {
    // Every file, attribute and header the same, and yet the bytes differ: compression,
    // padding or layout of the containers.
    files.push({
      path: 'image',
      change: 'metadata',
      classification: 'container',
      a: { sha256: a.image.sha256, size: a.image.size },
      b: { sha256: b.image.sha256, size: b.image.size },
    });
  }
  files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  const report: DiffReport = {
    equivalent: !files.some(breaksEquivalence),
    files,
    indicators,
  };
  return { report, a: a.image, b: b.image, notes: compared.notes };
}
