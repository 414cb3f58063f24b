/**
 * Compares two ELF files section by section, the way a reviewer reads a non-reproducible
 * executable: which sections differ, and whether each difference is one a build leaves behind
 * (a build id, the compiler's version string, debug information, an embedded path or date) or
 * code and data that run.
 *
 * Nothing outside the sections is waved through: when the loaded sections keep their sizes and
 * places, every byte of the file up to the end of the last loaded section or segment (headers,
 * program headers, padding a loader maps) must be equal apart from the sections already found to
 * differ and the file header's e_shoff; otherwise the difference is `content`. Code hidden in the padding
 * between two sections of a loaded segment is therefore caught.
 */
import { explainByteRuns } from './byte-runs.js';
import type { Cause } from './classification.js';
import { readElf, SHF_ALLOC, SHT_NOBITS, type ElfFile, type ElfSection } from './elf.js';

export interface ElfComparison {
  readonly causes: Set<Cause>;
  /** The sections whose bytes or headers differ, by name (`.text`, `.note.gnu.build-id`). */
  readonly sections: readonly string[];
  /** A sentence for people: what differs beyond the sections, when something does. */
  readonly note?: string;
}

/** What a difference confined to one section means, by the section's name. */
function causeOfSection(name: string): Cause | undefined {
  if (name === '.note.gnu.build-id' || name === '.gnu_debuglink' || name === '.gnu_debugaltlink')
    return 'build-id';
  if (name === '.comment') return 'compiler-version';
  if (name.startsWith('.debug_') || name.startsWith('.zdebug_')) return 'debug-info';
  return undefined;
}

/** Sections paired by name and occurrence (names may repeat, e.g. in relocatable objects). */
function pairSections(
  a: readonly ElfSection[],
  b: readonly ElfSection[],
): { pairs: [ElfSection, ElfSection][]; unpaired: string[] } {
  const keyed = (list: readonly ElfSection[]) => {
    const seen = new Map<string, number>();
    return new Map(
      list.map((s) => {
        const n = seen.get(s.name) ?? 0;
        seen.set(s.name, n + 1);
        return [`${s.name}\0${String(n)}`, s] as const;
      }),
    );
  };
  const ka = keyed(a);
  const kb = keyed(b);
  const pairs: [ElfSection, ElfSection][] = [];
  const unpaired: string[] = [];
  for (const [key, sa] of ka) {
    const sb = kb.get(key);
    if (sb === undefined) unpaired.push(sa.name);
    else pairs.push([sa, sb]);
  }
  for (const [key, sb] of kb) if (!ka.has(key)) unpaired.push(sb.name);
  return { pairs, unpaired };
}

const bytesOf = (buf: Buffer, s: ElfSection): Buffer =>
  s.type === SHT_NOBITS ? Buffer.alloc(0) : buf.subarray(s.offset, s.offset + s.size);

const sameHeader = (x: ElfSection, y: ElfSection): boolean =>
  x.type === y.type &&
  x.flags === y.flags &&
  x.addr === y.addr &&
  x.size === y.size &&
  x.entsize === y.entsize &&
  x.link === y.link &&
  x.info === y.info;

/** The end of what a loader reads: the last loaded section or segment, and the headers. */
function loadedEnd(elf: ElfFile): number {
  let end = Math.max(elf.headerSize, elf.programHeaders.offset + elf.programHeaders.size);
  for (const s of elf.sections) {
    if ((s.flags & SHF_ALLOC) !== 0 && s.type !== SHT_NOBITS)
      end = Math.max(end, s.offset + s.size);
  }
  for (const p of elf.segments) end = Math.max(end, p.offset + p.filesz);
  return end;
}

/** `a` and `b` equal over [0, end) except inside the masked ranges. */
function equalOutside(a: Buffer, b: Buffer, end: number, masks: readonly [number, number][]) {
  const sorted = [...masks].sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [from, to] of sorted) {
    if (from > at && !a.subarray(at, from).equals(b.subarray(at, from))) return false;
    at = Math.max(at, to);
  }
  return at >= end || a.subarray(at, end).equals(b.subarray(at, end));
}

/**
 * The non-zero bytes after everything loaded that no section and no header table covers (data
 * appended to an executable), which must be the same in both. Zero padding may differ in length
 * when an unloaded section (`.comment`, `.debug_*`) grew.
 */
function unloadedExtrasEqual(a: Buffer, ea: ElfFile, b: Buffer, eb: ElfFile): boolean {
  const extras = (buf: Buffer, elf: ElfFile): Uint8Array => {
    const covered: [number, number][] = elf.sections
      .filter((s) => s.type !== SHT_NOBITS)
      .map((s) => [s.offset, s.offset + s.size]);
    covered.push([elf.sectionHeaders.offset, elf.sectionHeaders.offset + elf.sectionHeaders.size]);
    covered.sort((x, y) => x[0] - y[0]);
    const parts: Buffer[] = [];
    let at = loadedEnd(elf);
    for (const [from, to] of [...covered, [buf.length, buf.length] as [number, number]]) {
      if (from > at) parts.push(buf.subarray(at, from));
      at = Math.max(at, to);
    }
    return Uint8Array.from(Buffer.concat(parts)).filter((byte) => byte !== 0);
  };
  return Buffer.from(extras(a, ea)).equals(Buffer.from(extras(b, eb)));
}

/**
 * Compares two ELF files; undefined when either is not a readable ELF file or they are of
 * different classes, byte orders or machines (then there is nothing section-wise to say).
 */
export function compareElf(a: Buffer, b: Buffer): ElfComparison | undefined {
  const ra = readElf(a);
  const rb = readElf(b);
  if (!ra.ok || !rb.ok) return undefined;
  const ea = ra.elf;
  const eb = rb.elf;
  if (ea.elfClass !== eb.elfClass || ea.endian !== eb.endian || ea.machine !== eb.machine)
    return undefined;
  const causes = new Set<Cause>();
  const differing: string[] = [];
  const { pairs, unpaired } = pairSections(ea.sections, eb.sections);
  if (unpaired.length > 0) {
    causes.add('content');
    differing.push(...unpaired);
  }
  // Differing sections at the same place and size are masked when the rest is compared.
  const masks: [number, number][] = [];
  let layoutKept = unpaired.length === 0;
  for (const [sa, sb] of pairs) {
    const xa = bytesOf(a, sa);
    const xb = bytesOf(b, sb);
    const alloc = (sa.flags & SHF_ALLOC) !== 0;
    if (alloc && (sa.offset !== sb.offset || sa.size !== sb.size)) layoutKept = false;
    if (sameHeader(sa, sb) && xa.equals(xb)) continue;
    differing.push(sa.name);
    const named = causeOfSection(sa.name);
    const explained =
      named !== undefined && (!alloc || sa.size === sb.size)
        ? new Set<Cause>([named])
        : sa.size === sb.size && sa.type === sb.type && sa.flags === sb.flags && sa.addr === sb.addr
          ? explainByteRuns(xa, xb)
          : new Set<Cause>(['content']);
    for (const c of explained) causes.add(c);
    // Named already: the bytes outside every differing section are what is compared next.
    if (sa.offset === sb.offset && sa.size === sb.size && sa.type !== SHT_NOBITS)
      masks.push([sa.offset, sa.offset + sa.size]);
  }
  let note: string | undefined;
  if (!layoutKept) {
    if (!causes.has('content')) {
      causes.add('content');
      note = 'the loaded sections moved or changed size';
    }
  } else {
    masks.push([ea.shoffField.at, ea.shoffField.at + ea.shoffField.width]);
    const end = Math.max(loadedEnd(ea), loadedEnd(eb));
    if (end > a.length || end > b.length || !equalOutside(a, b, end, masks)) {
      causes.add('content');
      note = 'bytes outside the sections (headers or loaded padding) differ';
    }
  }
  if (!unloadedExtrasEqual(a, ea, b, eb)) {
    causes.add('content');
    note ??= 'bytes after the loaded part that belong to no section differ';
  } else if (differing.length === 0 && causes.size === 0 && !a.equals(b)) {
    // Only alignment padding after everything loaded differs.
    causes.add('container');
  }
  return { causes, sections: differing, ...(note === undefined ? {} : { note }) };
}
