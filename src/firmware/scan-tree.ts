import { isAccountFile, accountIndicators, shellsOf } from './indicators/accounts.js';
import {
  binaryComponents,
  isPackageDatabase,
  mayCarryVersion,
  packageComponents,
} from './indicators/components.js';
import { findTokens, PEM_BEGIN } from './indicators/content.js';
import { authorizedKeysIndicators, keyIndicators } from './indicators/keys.js';
import { knownStringIndicators } from './indicators/known-strings.js';
import { startupIndicators, startupKindOf } from './indicators/startup.js';
import type { Component, Indicator } from './indicators/types.js';
import type { UnpackBudget } from './limits.js';
import type { FileTree } from './tree.js';
import { containerAt, type Carve } from './unpack/carve.js';
import { unpackBytes } from './unpack/unpack.js';

/** What the rules found in a tree (and in the archives nested inside it). */
export interface TreeFindings {
  readonly indicators: Indicator[];
  readonly components: Component[];
  readonly carves: Carve[];
}

/** Text rules read config files only; a multi-megabyte "inittab" is not one. */
const MAX_TEXT_FILE = 4 * 1024 * 1024;

function withPrefix<T extends { path: string }>(items: T[], prefix: string): T[] {
  return prefix === '' ? items : items.map((item) => ({ ...item, path: `${prefix}${item.path}` }));
}

/**
 * Runs every rule over every regular file of a tree, once per file. A file that is itself a
 * container (a nested .tar.gz, a squashfs blob) is unpacked with the same budget and its tree
 * scanned under `<path>!`, up to the depth limit.
 */
export function scanTree(
  tree: FileTree,
  budget: UnpackBudget,
  prefix = '',
  depth = 0,
): TreeFindings {
  const indicators: Indicator[] = [];
  const components: Component[] = [];
  const carves: Carve[] = [];
  const shells = shellsOf(tree.read('/etc/passwd')?.toString('latin1'));
  for (const entry of tree.entries()) {
    if (entry.type !== 'file') continue;
    const { path } = entry;
    if (entry.size > budget.limits.maxFileBytes) {
      budget.warn(
        'limit.file_bytes',
        `${prefix}${path}`,
        `file of ${entry.size} bytes not scanned`,
      );
      continue;
    }
    let data: Buffer | undefined;
    try {
      data = tree.read(path);
    } catch (error) {
      // A file of an unpacked directory the scanner may not read: say so and go on.
      budget.warn('unreadable', `${prefix}${path}`, (error as Error).message);
      continue;
    }
    if (data === undefined) continue;
    const nested = entry.opaque === true ? undefined : containerAt(data, 0);
    if (nested !== undefined) {
      if (depth + 1 > budget.limits.maxDepth) {
        budget.warn(
          'limit.depth',
          `${prefix}${path}`,
          `nested ${nested} deeper than ${budget.limits.maxDepth}; not unpacked`,
        );
      } else {
        const inner = unpackBytes(data, budget, path.slice(path.lastIndexOf('/') + 1));
        const where = `${prefix}${path}`;
        carves.push(
          ...inner.carves.map((c) => ({
            ...c,
            within: c.within === undefined ? where : `${where}>${c.within}`,
          })),
        );
        const found = scanTree(inner.tree, budget, `${where}!`, depth + 1);
        indicators.push(...found.indicators);
        components.push(...found.components);
        carves.push(...found.carves);
        continue;
      }
    }
    const hits = findTokens(data);
    const local: Indicator[] = [
      ...knownStringIndicators(path, data, hits),
      ...keyIndicators(path, data, hits.get(PEM_BEGIN) ?? []),
    ];
    const localComponents: Component[] = mayCarryVersion(path, data)
      ? binaryComponents(path, data, hits)
      : [];
    if (data.length <= MAX_TEXT_FILE) {
      const isStartup = startupKindOf(path) !== undefined;
      const isAccounts = isAccountFile(path);
      const isPackages = isPackageDatabase(path);
      const isAuthorized = /\/authorized_keys2?$/.test(path);
      if (isStartup || isAccounts || isPackages || isAuthorized) {
        const text = data.toString('latin1');
        if (isStartup) local.push(...startupIndicators(tree, path, text));
        if (isAccounts) local.push(...accountIndicators(path, text, shells));
        if (isAuthorized) local.push(...authorizedKeysIndicators(path, text));
        if (isPackages) localComponents.push(...packageComponents(path, text));
      }
    }
    indicators.push(...withPrefix(local, prefix));
    components.push(...withPrefix(localComponents, prefix));
  }
  return { indicators, components, carves };
}
