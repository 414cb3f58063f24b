/**
 * Verifying a log entry's inclusion in the browser, with WebCrypto only: parse a
 * c2sp.org/tlog-proof@v1, read the entry from its c2sp.org/tlog-tiles data tile, hash it
 * (RFC 6962 §2.1), recompute the root from the proof (RFC 9162 §2.1.3.2) and check the
 * checkpoint's Ed25519 note signature (c2sp.org/signed-note) against the log's verifier key.
 */

const encoder = new TextEncoder();

export interface ParsedProof {
  readonly index: number;
  readonly hashes: readonly Uint8Array[];
  readonly checkpoint: string;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** The signed text: the note body up to and including its last newline. */
  readonly body: string;
  readonly signatures: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

function base64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

/** c2sp.org/tlog-proof@v1: header, optional extra, `index <n>`, hashes, empty line, checkpoint. */
export function parseProof(text: string): ParsedProof {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new Error('the proof has no empty line before the checkpoint');
  const lines = text.slice(0, split).split('\n');
  if (lines[0] !== 'c2sp.org/tlog-proof@v1')
    throw new Error('line 1 is not c2sp.org/tlog-proof@v1');
  let at = 1;
  if (lines[at]?.startsWith('extra ') === true) at += 1;
  const indexLine = lines[at] ?? '';
  const match = /^index (0|[1-9][0-9]{0,15})$/.exec(indexLine);
  if (match?.[1] === undefined) throw new Error(`line ${String(at + 1)} is not "index <n>"`);
  const hashes = lines.slice(at + 1).map((line, i) => {
    const hash = base64(line);
    if (hash.length !== 32) throw new Error(`line ${String(at + i + 2)} is not a SHA-256 hash`);
    return hash;
  });
  return { index: Number(match[1]), hashes, checkpoint: text.slice(split + 2) };
}

/** A checkpoint note: `origin`, `size`, base64 root, then `— name base64(keyhash ‖ sig)` lines. */
export function parseCheckpoint(note: string): Checkpoint {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint has no signature block');
  const body = note.slice(0, split + 1);
  const [origin, sizeText, rootText] = body.split('\n');
  if (origin === undefined || sizeText === undefined || rootText === undefined) {
    throw new Error('the checkpoint body has fewer than three lines');
  }
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText))
    throw new Error('the checkpoint size is not a number');
  const root = base64(rootText);
  if (root.length !== 32) throw new Error('the checkpoint root is not a SHA-256 hash');
  const signatures = note
    .slice(split + 2)
    .split('\n')
    .filter((line) => line.startsWith('\u2014 '))
    .map((line) => {
      const [, name, sig] = line.split(' ');
      return { name: name ?? '', bytes: base64(sig ?? '') };
    });
  return { origin, size: Number(sizeText), root, body, signatures };
}

/** The path of the data tile holding entry `index` in a tree of `size` (c2sp.org/tlog-tiles). */
export function entryTilePath(index: number, size: number): string {
  const n = Math.floor(index / 256);
  const width = Math.min(256, size - n * 256);
  let digits = String(n);
  while (digits.length % 3 !== 0) digits = `0${digits}`;
  const groups = digits.match(/.{3}/g) ?? ['000'];
  const path = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return `tile/entries/${path}${width < 256 ? `.p/${String(width)}` : ''}`;
}

/** The entries of a data tile: each is a 16-bit big-endian length, then that many bytes. */
export function splitEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bundle.length) {
    if (at + 2 > bundle.length) throw new Error(`entry bundle truncated at byte ${String(at)}`);
    const length = ((bundle[at] ?? 0) << 8) | (bundle[at + 1] ?? 0);
    if (at + 2 + length > bundle.length)
      throw new Error(`entry bundle truncated at byte ${String(at)}`);
    entries.push(bundle.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
}

/** RFC 6962 §2.1: leaf hash = SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(0), entry);
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to (undefined if its length is wrong). */
export async function rootFromInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array | undefined> {
  if (index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(Uint8Array.of(1), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/**
 * Checks the checkpoint's signature by the verifier key `<name>+<hex key hash>+<base64(0x01 ‖ key)>`
 * (c2sp.org/signed-note): the line must name the key and carry its 4-byte key hash.
 */
export async function verifyCheckpointSignature(
  checkpoint: Checkpoint,
  verifierKey: string,
): Promise<boolean> {
  // The base64 key may itself contain '+': split at the first two only.
  const match = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(verifierKey.trim());
  const [, name, hashHex, keyText] = match ?? [];
  if (name === undefined || hashHex === undefined || keyText === undefined) {
    throw new Error('the verifier key is not <name>+<hash>+<key>');
  }
  const key = base64(keyText);
  if (key.length !== 33 || key[0] !== 1) throw new Error('the verifier key is not an Ed25519 key');
  const expectedHash = await sha256(encoder.encode(`${name}\n`), key);
  if (hex(expectedHash.slice(0, 4)) !== hashHex)
    throw new Error('the verifier key hash does not match');
  const line = checkpoint.signatures.find(
    (s) => s.name === name && s.bytes.length === 68 && hex(s.bytes.slice(0, 4)) === hashHex,
  );
  if (line === undefined) return false;
  const publicKey = await crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, [
    'verify',
  ]);
  return crypto.subtle.verify(
    'Ed25519',
    publicKey,
    line.bytes.slice(4),
    encoder.encode(checkpoint.body),
  );
}
