/**
 * The back-door indicators present in one image and not the other. The rules of
 * `nospy firmware scan` run only over the files that differ, since an identical file yields the
 * same indicators on both sides; a rule that reads another file for context (the login shells of
 * `/etc/passwd`, the ports of `/etc/services`, sshd's `Port`) is why any change to one of those
 * files scans both trees whole.
 */
import { scanTree } from '../scan-tree.js';
import type { Indicator } from '../indicators/types.js';
import type { UnpackBudget } from '../limits.js';
import type { FileTree, TreeEntry } from '../tree.js';

/** Files the rules read as context while judging other files (src/firmware/indicators). */
export const CONTEXT_FILES: readonly string[] = [
  '/etc/passwd',
  '/etc/services',
  '/etc/ssh/sshd_config',
];

/** A tree whose listing is restricted to some paths; reads still see the whole tree. */
class SelectedTree implements FileTree {
  readonly #entries: readonly TreeEntry[];
  constructor(
    private readonly tree: FileTree,
    paths: ReadonlySet<string>,
  ) {
    this.#entries = tree.entries().filter((e) => paths.has(e.path));
  }
  entries(): readonly TreeEntry[] {
    return this.#entries;
  }
  get(path: string): TreeEntry | undefined {
    return this.tree.get(path);
  }
  read(path: string): Buffer | undefined {
    return this.tree.read(path);
  }
}

const keyOf = (i: Indicator): string => `${i.kind}\0${i.rule}\0${i.path}\0${i.detail}`;

/** Indicators of `a` not matched by one of `b` (as multisets: line numbers may move). */
function without(a: readonly Indicator[], b: readonly Indicator[]): Indicator[] {
  const counts = new Map<string, number>();
  for (const i of b) counts.set(keyOf(i), (counts.get(keyOf(i)) ?? 0) + 1);
  return a.filter((i) => {
    const n = counts.get(keyOf(i)) ?? 0;
    if (n === 0) return true;
    counts.set(keyOf(i), n - 1);
    return false;
  });
}

const byPlace = (x: Indicator, y: Indicator): number =>
  x.path.localeCompare(y.path) ||
  (x.line ?? 0) - (y.line ?? 0) ||
  (x.offset ?? 0) - (y.offset ?? 0) ||
  x.rule.localeCompare(y.rule);

/** Indicators only in `a`, only in `b`, judging the `changed` paths (or all, for context files). */
export function indicatorDelta(
  a: { readonly tree: FileTree; readonly budget: UnpackBudget },
  b: { readonly tree: FileTree; readonly budget: UnpackBudget },
  changed: ReadonlySet<string>,
): { onlyInA: Indicator[]; onlyInB: Indicator[] } {
  const whole = CONTEXT_FILES.some((p) => changed.has(p));
  const view = (tree: FileTree): FileTree => (whole ? tree : new SelectedTree(tree, changed));
  const ia = scanTree(view(a.tree), a.budget).indicators;
  const ib = scanTree(view(b.tree), b.budget).indicators;
  return { onlyInA: without(ia, ib).sort(byPlace), onlyInB: without(ib, ia).sort(byPlace) };
}
