/**
 * The comparison of two unpacked trees, entry by entry: added, removed, changed in content (with
 * the cause: an ELF build id, an embedded path, … or content) or only in metadata (timestamps,
 * ownership, permissions). An entry that is itself an archive in both trees is unpacked and
 * compared member by member under `<path>!`, so an archive rebuilt with other timestamps is a
 * metadata change, not a content change.
 *
 * Identical files are told apart by comparing their bytes (memcmp), not by hashing both: only the
 * entries that are reported are hashed.
 */
import type { UnpackBudget } from '../limits.js';
import type { FileTree, TreeEntry } from '../tree.js';
import { containerAt } from '../unpack/carve.js';
import { unpackBytes } from '../unpack/unpack.js';
import { attributeCauses, type AttributeMap } from './attributes.js';
import { explainByteRuns } from './byte-runs.js';
import { classify, causesOf, type Cause } from './classification.js';
import { compareElf } from './elf-compare.js';
import { readLayout, sha256Of, type ImageLayout } from './layout.js';
import type { DiffSide, FileDifference } from './report.js';
import { breaksEquivalence } from './report.js';

/** One side of a comparison: its tree, the attributes of its entries, and its budget. */
export interface TreeSide {
  readonly tree: FileTree;
  readonly attributes: AttributeMap;
  /** Shared by everything unpacked for this side, nested archives included. */
  readonly budget: UnpackBudget;
}

export interface TreeComparison {
  readonly files: FileDifference[];
  /** A note for people per reported path (the ELF sections that differ, a link's targets). */
  readonly notes: Map<string, string>;
  /** Regular files of the top level that were added, removed or changed: to scan for indicators. */
  readonly changed: Set<string>;
}

const symlinkSide = (entry: TreeEntry): DiffSide => {
  const target = Buffer.from(entry.target ?? '', 'utf8');
  return { sha256: sha256Of(target), size: target.length };
};

function readFile(side: TreeSide, path: string, where: string): Buffer | undefined {
  try {
    return side.tree.read(path);
  } catch (error) {
    side.budget.warn('unreadable', where, (error as Error).message);
    return undefined;
  }
}

function sideOf(side: TreeSide, entry: TreeEntry, where: string, bytes?: Buffer): DiffSide {
  if (entry.type === 'symlink') return symlinkSide(entry);
  if (entry.type !== 'file') return { sha256: null, size: 0 };
  const data = bytes ?? readFile(side, entry.path, where);
  return { sha256: data === undefined ? null : sha256Of(data), size: data?.length ?? entry.size };
}

/** Differences of the layouts' containers: header times and member order. */
export function containerDifferences(
  a: ImageLayout,
  b: ImageLayout,
  prefix = '',
): FileDifference[] {
  const out: FileDifference[] = [];
  const byWhere = new Map(b.containers.map((c) => [c.where, c]));
  for (const ca of a.containers) {
    const cb = byWhere.get(ca.where);
    if (cb === undefined || ca.bytes.equals(cb.bytes)) continue;
    const causes: Cause[] = [];
    if (ca.time !== undefined && cb.time !== undefined && ca.time !== cb.time)
      causes.push('timestamps');
    if (ca.order !== undefined && cb.order !== undefined && !sameOrder(ca.order, cb.order))
      causes.push('order');
    if (causes.length === 0) continue;
    out.push({
      path: `${prefix}${ca.where}`,
      change: 'metadata',
      classification: classify(causes),
      a: { sha256: sha256Of(ca.bytes), size: ca.bytes.length },
      b: { sha256: sha256Of(cb.bytes), size: cb.bytes.length },
    });
  }
  return out;
}

/** Whether the members both archives hold come in the same order. */
function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  const inA = new Set(a);
  const inB = new Set(b);
  const common = (list: readonly string[], other: Set<string>) => list.filter((p) => other.has(p));
  const ca = common(a, inB);
  const cb = common(b, inA);
  return ca.length === cb.length && ca.every((p, i) => p === cb[i]);
}

/**
 * Compares two trees. `prefix` and `depth` are those of a nested archive (`/lib/x.tar.gz!`).
 */
export function compareTrees(a: TreeSide, b: TreeSide, prefix = '', depth = 0): TreeComparison {
  const files: FileDifference[] = [];
  const notes = new Map<string, string>();
  const changed = new Set<string>();
  const entriesA = new Map(a.tree.entries().map((e) => [e.path, e]));
  const entriesB = new Map(b.tree.entries().map((e) => [e.path, e]));
  const paths = [...new Set([...entriesA.keys(), ...entriesB.keys()])].sort();
  for (const path of paths) {
    const where = `${prefix}${path}`;
    const ea = entriesA.get(path);
    const eb = entriesB.get(path);
    if (eb === undefined && ea !== undefined) {
      files.push({
        path: where,
        change: 'removed',
        classification: null,
        a: sideOf(a, ea, where),
        b: null,
      });
      if (ea.type === 'file') changed.add(path);
      continue;
    }
    if (ea === undefined && eb !== undefined) {
      files.push({
        path: where,
        change: 'added',
        classification: null,
        a: null,
        b: sideOf(b, eb, where),
      });
      if (eb.type === 'file') changed.add(path);
      continue;
    }
    if (ea === undefined || eb === undefined) continue;
    const attributes = (): Cause[] => {
      const xa = a.attributes.get(path);
      const xb = b.attributes.get(path);
      return xa === undefined || xb === undefined ? [] : attributeCauses(xa, xb);
    };
    if (ea.type !== eb.type) {
      files.push({
        path: where,
        change: 'content',
        classification: 'content',
        a: sideOf(a, ea, where),
        b: sideOf(b, eb, where),
      });
      notes.set(where, `a ${ea.type} in a, a ${eb.type} in b`);
      if (ea.type === 'file' || eb.type === 'file') changed.add(path);
      continue;
    }
    if (ea.type === 'symlink' && ea.target !== eb.target) {
      files.push({
        path: where,
        change: 'content',
        classification: 'content',
        a: symlinkSide(ea),
        b: symlinkSide(eb),
      });
      notes.set(where, `link to ${ea.target ?? ''} in a, to ${eb.target ?? ''} in b`);
      continue;
    }
    if (ea.type !== 'file') {
      const causes = attributes();
      if (causes.length > 0) {
        files.push({
          path: where,
          change: 'metadata',
          classification: classify(causes),
          a: sideOf(a, ea, where),
          b: sideOf(b, eb, where),
        });
      }
      continue;
    }
    const da = readFile(a, path, where);
    const db = readFile(b, path, where);
    if (da === undefined || db === undefined) continue;
    if (da.equals(db)) {
      const causes = attributes();
      if (causes.length > 0) {
        const same = { sha256: sha256Of(da), size: da.length };
        files.push({
          path: where,
          change: 'metadata',
          classification: classify(causes),
          a: same,
          b: same,
        });
      }
      continue;
    }
    changed.add(path);
    const sides = {
      a: { sha256: sha256Of(da), size: da.length },
      b: { sha256: sha256Of(db), size: db.length },
    };
    const nested = nestedComparison(a, b, da, db, where, depth);
    if (nested !== undefined) {
      files.push(...nested.files);
      for (const [k, v] of nested.notes) notes.set(k, v);
      const equivalent = !nested.files.some(breaksEquivalence);
      // The archive's own bytes differ: by what its members' metadata explains, else its layout.
      const causes = [
        ...nested.files.flatMap((f) => causesOf(f.classification ?? 'content')),
        ...attributes(),
      ];
      files.push({
        path: where,
        change: equivalent ? 'metadata' : 'content',
        classification: !equivalent
          ? 'content'
          : classify(causes.length > 0 ? causes : ['container']),
        ...sides,
      });
      continue;
    }
    const elf = compareElf(da, db);
    const causes = elf?.causes ?? explainByteRuns(da, db);
    if (elf !== undefined) {
      notes.set(
        where,
        [`ELF sections differ: ${elf.sections.join(', ') || '(none)'}`, elf.note]
          .filter(Boolean)
          .join('; '),
      );
    }
    files.push({ path: where, change: 'content', classification: classify(causes), ...sides });
  }
  return { files, notes, changed };
}

/**
 * Two versions of an archive found inside the trees (the same container type at offset 0 in
 * both): unpacked with each side's budget and compared member by member, with their layouts.
 */
function nestedComparison(
  a: TreeSide,
  b: TreeSide,
  da: Buffer,
  db: Buffer,
  where: string,
  depth: number,
): TreeComparison | undefined {
  const type = containerAt(da, 0);
  if (type === undefined || containerAt(db, 0) !== type) return undefined;
  if (depth + 1 > a.budget.limits.maxDepth) {
    a.budget.warn(
      'limit.depth',
      where,
      `nested ${type} deeper than ${a.budget.limits.maxDepth}; not compared`,
    );
    return undefined;
  }
  const name = where.slice(where.lastIndexOf('/') + 1);
  const ua = unpackBytes(da, a.budget, name);
  const ub = unpackBytes(db, b.budget, name);
  const la = readLayout(da, a.budget.limits);
  const lb = readLayout(db, b.budget.limits);
  const inner = compareTrees(
    { tree: ua.tree, attributes: la.attributes, budget: a.budget },
    { tree: ub.tree, attributes: lb.attributes, budget: b.budget },
    `${where}!`,
    depth + 1,
  );
  inner.files.push(...containerDifferences(la, lb, `${where}!`));
  return inner;
}
