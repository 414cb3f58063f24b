/**
 * Tools from outside npm that some tests need (a reference implementation to compare with, a
 * real packer to build images, a browser), how to tell whether this machine has each, and the
 * Debian package that provides it. Tests declare what they need with `requireTools`
 * (require-tools.ts); this module is free of vitest so that the reporter can use it too.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How a tool is found: commands and python3 through `PATH`, as the tests then run them. */
type Detection =
  | { readonly kind: 'command'; readonly command: string }
  /** A `python3` on PATH that imports the module (pyenv's python may come first and lack it). */
  | { readonly kind: 'python-module'; readonly module: string }
  /** Go source under Debian's GOPATH, for builds in GOPATH mode with no module download. */
  | { readonly kind: 'go-source'; readonly importPath: string }
  /** A server that must be listening (PostgreSQL): found when a TCP connection is accepted. */
  | { readonly kind: 'tcp-service'; readonly host: string; readonly port: number };

interface ToolSpec {
  readonly debianPackage: string;
  readonly detect: Detection;
}

const command = (name: string): Detection => ({ kind: 'command', command: name });

/** Debian's GOPATH for its golang-*-dev source packages. */
export const DEBIAN_GOPATH = '/usr/share/gocode';

/**
 * Every tool a test may require. Debian's Essential packages (coreutils, tar, findutils) are
 * assumed, as `npm` itself assumes a shell; dpkg is listed because machines that are not Debian
 * lack it.
 */
export const TOOLS = {
  chromium: { debianPackage: 'chromium', detect: command('chromium') },
  go: { debianPackage: 'golang-go', detect: command('go') },
  'golang.org/x/mod': {
    debianPackage: 'golang-golang-x-mod-dev',
    detect: { kind: 'go-source', importPath: 'golang.org/x/mod/sumdb' },
  },
  'python3-cryptography': {
    debianPackage: 'python3-cryptography',
    detect: { kind: 'python-module', module: 'cryptography' },
  },
  dpkg: { debianPackage: 'dpkg', detect: command('dpkg') },
  cpio: { debianPackage: 'cpio', detect: command('cpio') },
  xz: { debianPackage: 'xz-utils', detect: command('xz') },
  mksquashfs: { debianPackage: 'squashfs-tools', detect: command('mksquashfs') },
  unsquashfs: { debianPackage: 'squashfs-tools', detect: command('unsquashfs') },
  'mkfs.jffs2': { debianPackage: 'mtd-utils', detect: command('mkfs.jffs2') },
  // util-linux shipped mkfs.cramfs up to 2.39 (Debian 12, where it is Essential and so always
  // present); from 2.40 (Debian 13) it is in util-linux-extra.
  'mkfs.cramfs': { debianPackage: 'util-linux-extra', detect: command('mkfs.cramfs') },
  zip: { debianPackage: 'zip', detect: command('zip') },
  gcc: { debianPackage: 'gcc', detect: command('gcc') },
  objcopy: { debianPackage: 'binutils', detect: command('objcopy') },
  readelf: { debianPackage: 'binutils', detect: command('readelf') },
  // .ci/run starts the cluster when it is not running; the tests create a database per run.
  postgresql: {
    debianPackage: 'postgresql',
    detect: { kind: 'tcp-service', host: '127.0.0.1', port: 5432 },
  },
  // Tests start their own JetStream server on a free port (test/helpers/nats-server.ts).
  'nats-server': { debianPackage: 'nats-server', detect: command('nats-server') },
} as const satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

/** A tool a test group needed and did not find, as the reporter prints it. */
export interface MissingTool {
  readonly tool: ToolName;
  readonly debianPackage: string;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function commandsOnPath(name: string, path: string): string[] {
  return path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .filter(isExecutableFile);
}

/**
 * Where `tool` is on this machine, looking through `path` (a PATH value): the command, the
 * python3 that imports the module, or the Go source directory; undefined when it is missing.
 */
export function locateTool(tool: ToolName, path: string): string | undefined {
  const detect: Detection = TOOLS[tool].detect;
  switch (detect.kind) {
    case 'command':
      return commandsOnPath(detect.command, path)[0];
    case 'python-module':
      return commandsOnPath('python3', path).find(
        (python) =>
          spawnSync(python, ['-c', `import ${detect.module}`], {
            stdio: 'ignore',
            timeout: 30_000,
          }).status === 0,
      );
    case 'go-source': {
      const dir = join(DEBIAN_GOPATH, 'src', detect.importPath);
      return existsSync(dir) ? dir : undefined;
    }
    case 'tcp-service':
      return isListening(detect.host, detect.port) ? `${detect.host}:${detect.port}` : undefined;
  }
}

/**
 * Whether something accepts TCP connections at host:port. Synchronous like the other probes (a
 * child Node tries to connect), so a test file can decide what to skip as it is collected.
 */
function isListening(host: string, port: number): boolean {
  const probe = `require('node:net').connect(${port}, ${JSON.stringify(host)})
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return (
    spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 10_000 }).status === 0
  );
}

/** True when this is a CI run, where every tool must be there (`CI=true`, as .ci/run sets). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** `needs go (Debian package golang-go), …`: the skip note and the start of the CI failure. */
export function describeMissing(missing: readonly MissingTool[]): string {
  return `needs ${missing.map((m) => `${m.tool} (Debian package ${m.debianPackage})`).join(', ')}`;
}
