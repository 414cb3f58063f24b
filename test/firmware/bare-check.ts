/**
 * The bare-machine check of firmware scanning (docs/CONVENTIONS.md, "A bare machine"), in two
 * steps because the images can only be built where the packers are:
 *
 *   npx tsx test/firmware/bare-check.ts pack <dir>      # with squashfs-tools, mtd-utils, zip…
 *   npx tsx test/firmware/bare-check.ts compare <dir>   # on the bare machine (or bare PATH)
 *
 * `pack` writes the planted tree of the firmware tests as a tar and as every format the tools
 * on this machine can make (squashfs with each compressor, JFFS2, CramFS, zip). `compare` runs
 * the built CLI (`node bin/nospy.js firmware scan --json`, as a user would) on each and checks
 * that its components and indicators equal the tar's and that nothing was left unexamined;
 * it prints one line per image and exits 1 on any difference.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateTool } from '../helpers/tools.js';
import {
  pack,
  PACK_TOOLS,
  plantedTree,
  SQUASHFS_COMPRESSORS,
  writeTree,
  type PackFormat,
} from './images.js';

const FORMATS: readonly PackFormat[] = [
  ...SQUASHFS_COMPRESSORS.map((c): PackFormat => `squashfs-${c}`),
  'jffs2',
  'cramfs',
  'zip',
];
const REFERENCE: PackFormat = 'tar-gnu';
const cli = fileURLToPath(new URL('../../bin/nospy.js', import.meta.url));

function packAll(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const root = writeTree(plantedTree());
  try {
    for (const format of [REFERENCE, ...FORMATS]) {
      const missing = PACK_TOOLS[format].filter(
        (tool) => locateTool(tool, process.env.PATH ?? '') === undefined,
      );
      if (missing.length > 0) {
        process.stdout.write(`${format}: not packed, needs ${missing.join(', ')}\n`);
        continue;
      }
      writeFileSync(join(dir, `planted.${format}`), pack(root, format));
      process.stdout.write(`${format}: planted.${format}\n`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

interface ScanJson {
  readonly image: { readonly format: string };
  readonly summary?: unknown;
  readonly components: unknown[];
  readonly indicators: unknown[];
  readonly warnings: unknown[];
}

function scan(file: string): { status: number | null; report: ScanJson } {
  const run = spawnSync(process.execPath, [cli, 'firmware', 'scan', '--json', file], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.stdout.length === 0)
    throw new Error(`nospy firmware scan ${file} printed nothing: ${run.stderr.toString()}`);
  return { status: run.status, report: JSON.parse(run.stdout.toString()) as ScanJson };
}

function compareAll(dir: string): number {
  const reference = scan(join(dir, `planted.${REFERENCE}`));
  process.stdout.write(
    `${REFERENCE}: exit ${reference.status}, ${reference.report.components.length} components, ${reference.report.indicators.length} indicators, ${reference.report.warnings.length} warnings (the reference)\n`,
  );
  let differences = 0;
  const images = readdirSync(dir).filter((name) => name !== `planted.${REFERENCE}`);
  for (const format of FORMATS) {
    const name = `planted.${format}`;
    if (!images.includes(name)) {
      process.stdout.write(`${format}: no image in ${dir}\n`);
      differences += 1;
      continue;
    }
    const { status, report } = scan(join(dir, name));
    const same =
      JSON.stringify(report.components) === JSON.stringify(reference.report.components) &&
      JSON.stringify(report.indicators) === JSON.stringify(reference.report.indicators) &&
      report.warnings.length === 0 &&
      status === reference.status;
    if (!same) differences += 1;
    process.stdout.write(
      `${format}: ${same ? 'same as the tar' : 'DIFFERS from the tar'} (format ${report.image.format}, exit ${status}, ${report.components.length} components, ${report.indicators.length} indicators, ${report.warnings.length} warnings)\n`,
    );
  }
  return differences;
}

const [command, dir] = process.argv.slice(2);
if (dir === undefined || (command !== 'pack' && command !== 'compare')) {
  process.stderr.write('usage: bare-check.ts pack|compare <dir>\n');
  process.exit(2);
}
if (command === 'pack') packAll(dir);
else process.exitCode = compareAll(dir) === 0 ? 0 : 1;
