import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareElf } from '../../src/firmware/diff/elf-compare.js';
import { readElf } from '../../src/firmware/diff/elf.js';
import { requireTools } from '../helpers/require-tools.js';
import { compile, HELLO, objcopy, readelfSections } from './builds.js';

// Every ELF file here is built by gcc or objcopy, and readelf is the oracle.
const haveTools = requireTools('gcc', 'objcopy', 'readelf');
let exe: Buffer = Buffer.alloc(0);
const data = Buffer.from('firmware configuration blob\n');
const OBJECT_FORMATS = {
  'ELF32 big-endian': 'elf32-big',
  'ELF32 little-endian': 'elf32-little',
  'ELF64 big-endian': 'elf64-big',
};
const objects: Record<string, Buffer> = {};
beforeAll(() => {
  if (!haveTools) return;
  exe = compile(HELLO, ['-Wl,--build-id=sha1']);
  for (const [kind, format] of Object.entries(OBJECT_FORMATS))
    objects[kind] = objcopy(data, ['-I', 'binary', '-O', format]);
});

function sectionNames(buf: Buffer): string[] {
  const read = readElf(buf);
  if (!read.ok) throw new Error(read.reason);
  return read.elf.sections.map((s) => s.name);
}

describe('the ELF section reader', () => {
  it('lists the sections readelf lists for a gcc executable (ELF64 little-endian)', () => {
    expect(sectionNames(exe)).toEqual(readelfSections(exe));
    expect(sectionNames(exe)).toContain('.note.gnu.build-id');
  });

  for (const kind of Object.keys(OBJECT_FORMATS)) {
    it(`lists the sections readelf lists for an ${kind} object (objcopy)`, () => {
      const object = objects[kind] as Buffer;
      const read = readElf(object);
      if (!read.ok) throw new Error(read.reason);
      expect(read.elf.endian).toBe(kind.includes('big') ? 'big' : 'little');
      expect(read.elf.elfClass).toBe(kind.startsWith('ELF32') ? 32 : 64);
      expect(read.elf.sections.map((s) => s.name)).toEqual(readelfSections(object));
      const section = read.elf.sections.find((s) => s.name === '.data');
      expect(
        section === undefined
          ? undefined
          : object.subarray(section.offset, section.offset + section.size),
      ).toEqual(data);
    });
  }

  it('reads extended section numbering (the count and the name table index in section 0)', () => {
    const patched = Buffer.from(exe);
    const read = readElf(exe);
    if (!read.ok) throw new Error(read.reason);
    const shoff = Number(exe.readBigUInt64LE(40));
    const count = exe.readUInt16LE(60);
    const names = exe.readUInt16LE(62);
    patched.writeUInt16LE(0, 60); // e_shnum = 0: the count is section 0's sh_size
    patched.writeUInt16LE(0xffff, 62); // e_shstrndx = SHN_XINDEX: the index is section 0's sh_link
    patched.writeBigUInt64LE(BigInt(count), shoff + 32);
    patched.writeUInt32LE(names, shoff + 40);
    expect(sectionNames(patched)).toEqual(sectionNames(exe));
  });

  describe('when the header is hostile', () => {
    it('reports a truncated file instead of reading past it', () => {
      expect(readElf(exe.subarray(0, 40))).toEqual({
        ok: false,
        reason: 'file of 40 bytes is shorter than its header',
      });
    });

    it('reports a section table that runs past the end of the file', () => {
      const read = readElf(exe.subarray(0, exe.length - 100));
      expect(read).toEqual({
        ok: false,
        reason: 'the section header table runs past the end of the file',
      });
    });

    it('reports an e_shentsize below the size of a section header', () => {
      const patched = Buffer.from(exe);
      patched.writeUInt16LE(16, 58);
      expect(readElf(patched)).toEqual({ ok: false, reason: 'e_shentsize 16 is below 64' });
    });

    it('never throws, whatever bytes of the header and tables are changed', () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ at: fc.nat(exe.length - 1), byte: fc.nat(255) }), { maxLength: 16 }),
          fc.boolean(),
          (edits, headerOnly) => {
            const copy = Buffer.from(exe);
            for (const { at, byte } of edits) copy[headerOnly ? at % 64 : at] = byte;
            const read = readElf(copy);
            if (read.ok)
              for (const s of read.elf.sections) expect(s.name.length).toBeLessThanOrEqual(256);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});

describe('comparing two builds of an executable section by section', () => {
  it('finds only the build id when the linker was given another one', () => {
    const a = compile(HELLO, ['-Wl,--build-id=0x0102030405060708']);
    const b = compile(HELLO, ['-Wl,--build-id=0x0807060504030201']);
    expect(a.equals(b)).toBe(false);
    expect(compareElf(a, b)).toEqual({
      causes: new Set(['build-id']),
      sections: ['.note.gnu.build-id'],
    });
  });

  it('finds an embedded build path (__FILE__) in .rodata', () => {
    const source = '#include <stdio.h>\nint main(void){puts(__FILE__);return 0;}\n';
    const a = compile(source, ['-Wl,--build-id=none'], 'build-aaaa/prog.c');
    const b = compile(source, ['-Wl,--build-id=none'], 'build-bbbb/prog.c');
    expect(compareElf(a, b)).toEqual({ causes: new Set(['embedded-path']), sections: ['.rodata'] });
  });

  it('finds the compiler version string in .comment', () => {
    const a = compile(HELLO, ['-Wl,--build-id=none']);
    const read = readElf(a);
    if (!read.ok) throw new Error(read.reason);
    const comment = read.elf.sections.find((s) => s.name === '.comment');
    if (comment === undefined) throw new Error('gcc wrote no .comment');
    // The same section, as another release of the compiler would have written it.
    const b = Buffer.from(a);
    const text = a.toString('latin1', comment.offset, comment.offset + comment.size);
    b.write(text.replace(/\d/g, '9'), comment.offset, 'latin1');
    expect(compareElf(a, b)).toEqual({
      causes: new Set(['compiler-version']),
      sections: ['.comment'],
    });
  });

  it('calls a change of the code content', () => {
    const a = compile('int main(void){return 0;}\n', ['-Wl,--build-id=none']);
    const b = compile('int main(void){return 42;}\n', ['-Wl,--build-id=none']);
    const compared = compareElf(a, b);
    expect(compared?.causes).toEqual(new Set(['content']));
    expect(compared?.sections).toContain('.text');
  });

  it('catches bytes hidden in the padding of a loaded segment, outside every section', () => {
    const a = compile(HELLO, ['-Wl,--build-id=none']);
    const read = readElf(a);
    if (!read.ok) throw new Error(read.reason);
    const text = read.elf.sections.find((s) => s.name === '.text');
    const next = read.elf.sections.find(
      (s) => text !== undefined && s.offset > text.offset + text.size,
    );
    if (text === undefined || next === undefined) throw new Error('no gap after .text');
    const gap = text.offset + text.size;
    expect(gap).toBeLessThan(next.offset);
    const b = Buffer.from(a);
    b[gap] = 0xcc;
    expect(compareElf(a, b)).toEqual({
      causes: new Set(['content']),
      sections: [],
      note: 'bytes outside the sections (headers or loaded padding) differ',
    });
  });
});
