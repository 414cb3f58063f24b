/**
 * A bounded ELF reader: the file header, the program headers and the section headers with their
 * names, for ELF32 and ELF64 in either byte order (System V gABI, "ELF Header", "Sections",
 * "Program Header"). Only what comparing two builds needs; every offset and count is checked
 * against the file before it is used, because the bytes come from a firmware image.
 */

/** One section as its header describes it. */
export interface ElfSection {
  readonly name: string;
  readonly type: number;
  /** SHF_* flags (only the low 32 bits are kept: the gABI defines none above them). */
  readonly flags: number;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

/** One program header (segment). */
export interface ElfSegment {
  readonly type: number;
  readonly offset: number;
  readonly filesz: number;
}

export interface ElfFile {
  readonly elfClass: 32 | 64;
  readonly endian: 'little' | 'big';
  readonly machine: number;
  /** Where e_shoff sits in the file header, and its width: it moves when a section grows. */
  readonly shoffField: { readonly at: number; readonly width: 4 | 8 };
  readonly headerSize: number;
  readonly programHeaders: { readonly offset: number; readonly size: number };
  readonly sectionHeaders: { readonly offset: number; readonly size: number };
  readonly segments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
}

export type ElfRead =
  { readonly ok: true; readonly elf: ElfFile } | { readonly ok: false; readonly reason: string };

export const SHT_NOBITS = 8;
export const SHF_ALLOC = 0x2;
const SHN_XINDEX = 0xffff;
const SHN_LORESERVE = 0xff00;
/** More sections or segments than any real executable has; a header claiming more is hostile. */
const MAX_SECTIONS = 65_536;
const MAX_SEGMENTS = 4096;
const MAX_NAME = 256;

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** True when the bytes start with the ELF magic (`\x7fELF`). */
export function isElf(buf: Buffer): boolean {
  return buf.length >= 4 && ELF_MAGIC.every((b, i) => buf[i] === b);
}

class Reader {
  constructor(
    readonly buf: Buffer,
    readonly little: boolean,
  ) {}
  u16(at: number): number {
    return this.little ? this.buf.readUInt16LE(at) : this.buf.readUInt16BE(at);
  }
  u32(at: number): number {
    return this.little ? this.buf.readUInt32LE(at) : this.buf.readUInt32BE(at);
  }
  u64(at: number): bigint {
    return this.little ? this.buf.readBigUInt64LE(at) : this.buf.readBigUInt64BE(at);
  }
}

/** A 64-bit file offset or size as a number, or undefined when it cannot lie within the file. */
function fileNumber(value: bigint, limit: number): number | undefined {
  return value > BigInt(limit) ? undefined : Number(value);
}

/**
 * Reads the headers of an ELF file. Returns a reason instead of throwing when the bytes are not
 * a well-formed ELF file (a truncated or hostile header is data to report, not a crash).
 */
export function readElf(buf: Buffer): ElfRead {
  const fail = (reason: string): ElfRead => ({ ok: false, reason });
  if (!isElf(buf)) return fail('no ELF magic');
  const elfClass = buf[4] === 1 ? 32 : buf[4] === 2 ? 64 : undefined;
  const endian = buf[5] === 1 ? 'little' : buf[5] === 2 ? 'big' : undefined;
  if (elfClass === undefined) return fail(`EI_CLASS ${String(buf[4])} is neither ELF32 nor ELF64`);
  if (endian === undefined) return fail(`EI_DATA ${String(buf[5])} is neither LSB nor MSB`);
  const headerSize = elfClass === 32 ? 52 : 64;
  if (buf.length < headerSize)
    return fail(`file of ${buf.length} bytes is shorter than its header`);
  const r = new Reader(buf, endian === 'little');
  const wide = elfClass === 64;
  const word = (at: number): number | undefined =>
    wide ? fileNumber(r.u64(at), buf.length) : r.u32(at);
  const machine = r.u16(18);
  const phoff = word(wide ? 32 : 28);
  const shoffAt = wide ? 40 : 32;
  const shoff = word(shoffAt);
  const phentsize = r.u16(wide ? 54 : 42);
  const phnum = r.u16(wide ? 56 : 44);
  const shentsize = r.u16(wide ? 58 : 46);
  let shnum = r.u16(wide ? 60 : 48);
  let shstrndx = r.u16(wide ? 62 : 50);
  if (phoff === undefined) return fail('e_phoff lies beyond the file');
  if (shoff === undefined) return fail('e_shoff lies beyond the file');

  const segments: ElfSegment[] = [];
  const phMin = wide ? 56 : 32;
  if (phnum > 0) {
    if (phentsize < phMin) return fail(`e_phentsize ${phentsize} is below ${phMin}`);
    if (phnum > MAX_SEGMENTS) return fail(`e_phnum ${phnum} is above ${MAX_SEGMENTS}`);
    if (phoff + phnum * phentsize > buf.length)
      return fail('the program header table runs past the end of the file');
    for (let i = 0; i < phnum; i += 1) {
      const at = phoff + i * phentsize;
      const offset = word(wide ? at + 8 : at + 4);
      const filesz = word(wide ? at + 32 : at + 16);
      if (offset === undefined || filesz === undefined || offset + filesz > buf.length)
        return fail(`segment ${i} runs past the end of the file`);
      segments.push({ type: r.u32(at), offset, filesz });
    }
  }

  const shMin = wide ? 64 : 40;
  const header = (i: number): ElfSection & { nameAt: number } => {
    const at = shoff + i * shentsize;
    const number = (value: number | undefined, what: string): number => {
      if (value === undefined) throw new RangeError(`section ${i}: ${what} lies beyond the file`);
      return value;
    };
    return {
      nameAt: r.u32(at),
      name: '',
      type: r.u32(at + 4),
      flags: wide ? Number(r.u64(at + 8) & 0xffffffffn) : r.u32(at + 8),
      addr: wide ? r.u64(at + 16) : BigInt(r.u32(at + 12)),
      offset: number(word(wide ? at + 24 : at + 16), 'sh_offset'),
      size: wide ? Number(r.u64(at + 32) & 0xffffffffffffn) : r.u32(at + 20),
      link: r.u32(wide ? at + 40 : at + 24),
      info: r.u32(wide ? at + 44 : at + 28),
      entsize: number(word(wide ? at + 56 : at + 36), 'sh_entsize'),
    };
  };
  const sections: ElfSection[] = [];
  if (shoff !== 0) {
    if (shentsize < shMin) return fail(`e_shentsize ${shentsize} is below ${shMin}`);
    if (shoff + shMin > buf.length) return fail('the section header table lies beyond the file');
    try {
      // gABI "Extended section numbering": counts that do not fit 16 bits live in section 0.
      const zero = header(0);
      if (shnum === 0) shnum = Math.min(zero.size, MAX_SECTIONS + 1);
      if (shstrndx === SHN_XINDEX) shstrndx = zero.link;
      if (shnum > MAX_SECTIONS) return fail(`more than ${MAX_SECTIONS} sections`);
      if (shoff + shnum * shentsize > buf.length)
        return fail('the section header table runs past the end of the file');
      const raw = Array.from({ length: shnum }, (_, i) => header(i));
      for (const [i, s] of raw.entries()) {
        if (s.type !== SHT_NOBITS && s.offset + s.size > buf.length)
          return fail(`section ${i} runs past the end of the file`);
      }
      const names =
        shstrndx !== 0 && shstrndx < SHN_LORESERVE && shstrndx < raw.length
          ? raw[shstrndx]
          : undefined;
      for (const s of raw) {
        const { nameAt, ...section } = s;
        sections.push({
          ...section,
          name: names === undefined ? '' : sectionName(buf, names, nameAt),
        });
      }
    } catch (error) {
      if (error instanceof RangeError) return fail(error.message);
      throw error;
    }
  }
  return {
    ok: true,
    elf: {
      elfClass,
      endian,
      machine,
      shoffField: { at: shoffAt, width: wide ? 8 : 4 },
      headerSize,
      programHeaders: { offset: phoff, size: phnum * phentsize },
      sectionHeaders: { offset: shoff, size: shoff === 0 ? 0 : shnum * shentsize },
      segments,
      sections,
    },
  };
}

/** A section name from the string table, bounded to the table and to MAX_NAME bytes. */
function sectionName(buf: Buffer, table: ElfSection, at: number): string {
  if (table.type === SHT_NOBITS || at >= table.size) return '';
  const start = table.offset + at;
  const end = Math.min(table.offset + table.size, start + MAX_NAME);
  const nul = buf.indexOf(0, start);
  return buf.toString('latin1', start, nul === -1 || nul > end ? end : nul);
}
