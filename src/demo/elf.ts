/**
 * A minimal ELF64 little-endian x86-64 executable (System V gABI): one PT_LOAD segment holding
 * a GNU build-id note, `.text` and `.rodata`, and the section headers naming them. The demo's
 * `/usr/sbin/dropbear` is one, so that `nospy firmware diff` compares a real ELF section by
 * section; its build id is the SHA-1 of the code and data, as a linker's `--build-id=sha1` is.
 */
import { createHash } from 'node:crypto';

const BASE = 0x400000;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const SHT_NOTE = 7;
const SHF_ALLOC = 0x2;
const SHF_EXECINSTR = 0x4;

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

export function buildElf(text: Buffer, rodata: string): Buffer {
  const data = Buffer.from(rodata, 'latin1');
  const buildId = createHash('sha1').update(text).update(data).digest();
  const note = Buffer.alloc(16 + buildId.length);
  note.writeUInt32LE(4, 0); // namesz
  note.writeUInt32LE(buildId.length, 4); // descsz
  note.writeUInt32LE(3, 8); // NT_GNU_BUILD_ID
  note.write('GNU\0', 12, 'latin1');
  buildId.copy(note, 16);
  const names = Buffer.from('\0.note.gnu.build-id\0.text\0.rodata\0.shstrtab\0', 'latin1');
  const noteAt = 120;
  const textAt = align(noteAt + note.length, 16);
  const rodataAt = textAt + text.length;
  const loaded = rodataAt + data.length;
  const namesAt = loaded;
  const shoff = align(namesAt + names.length, 8);
  const out = Buffer.alloc(shoff + 5 * 64);
  // ELF header
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  out.writeUInt16LE(2, 16); // ET_EXEC
  out.writeUInt16LE(62, 18); // EM_X86_64
  out.writeUInt32LE(1, 20);
  out.writeBigUInt64LE(BigInt(BASE + textAt), 24); // e_entry
  out.writeBigUInt64LE(64n, 32); // e_phoff
  out.writeBigUInt64LE(BigInt(shoff), 40);
  out.writeUInt16LE(64, 52); // e_ehsize
  out.writeUInt16LE(56, 54); // e_phentsize
  out.writeUInt16LE(1, 56); // e_phnum
  out.writeUInt16LE(64, 58); // e_shentsize
  out.writeUInt16LE(5, 60); // e_shnum
  out.writeUInt16LE(4, 62); // e_shstrndx
  // PT_LOAD, read + execute, from the start of the file to the end of .rodata
  out.writeUInt32LE(1, 64);
  out.writeUInt32LE(5, 68);
  out.writeBigUInt64LE(0n, 72);
  out.writeBigUInt64LE(BigInt(BASE), 80);
  out.writeBigUInt64LE(BigInt(BASE), 88);
  out.writeBigUInt64LE(BigInt(loaded), 96);
  out.writeBigUInt64LE(BigInt(loaded), 104);
  out.writeBigUInt64LE(0x1000n, 112);
  note.copy(out, noteAt);
  text.copy(out, textAt);
  data.copy(out, rodataAt);
  names.copy(out, namesAt);
  const section = (
    i: number,
    name: number,
    type: number,
    flags: number,
    at: number,
    size: number,
    alignment: number,
  ) => {
    const h = shoff + i * 64;
    out.writeUInt32LE(name, h);
    out.writeUInt32LE(type, h + 4);
    out.writeBigUInt64LE(BigInt(flags), h + 8);
    out.writeBigUInt64LE(flags & SHF_ALLOC ? BigInt(BASE + at) : 0n, h + 16);
    out.writeBigUInt64LE(BigInt(at), h + 24);
    out.writeBigUInt64LE(BigInt(size), h + 32);
    out.writeBigUInt64LE(BigInt(alignment), h + 48);
  };
  section(1, 1, SHT_NOTE, SHF_ALLOC, noteAt, note.length, 4);
  section(2, 20, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, textAt, text.length, 16);
  section(3, 26, SHT_PROGBITS, SHF_ALLOC, rodataAt, data.length, 1);
  section(4, 34, SHT_STRTAB, 0, namesAt, names.length, 1);
  return out;
}
