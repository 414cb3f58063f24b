/**
 * Signed-note keys (c2sp.org/signed-note; golang.org/x/mod/sumdb/note):
 *   verifier key  <name>+<hex key ID>+base64(type || public key)
 *   private key   PRIVATE+KEY+<name>+<hex key ID>+base64(type || 32-byte Ed25519 seed)
 *   key ID        SHA-256(name || 0x0A || type || public key)[:4], big-endian
 * Type 0x01 is an Ed25519 note signer (logs, statement signers); 0x04 an Ed25519
 * cosignature/v1 signer (witnesses, c2sp.org/tlog-cosignature). Both use the same key material.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as edSign,
  verify as edVerify,
  type KeyObject,
} from 'node:crypto';
import { TlogError } from './errors.js';

export const KEY_TYPE_ED25519 = 0x01;
export const KEY_TYPE_COSIGNATURE_V1 = 0x04;
export type NoteKeyType = typeof KEY_TYPE_ED25519 | typeof KEY_TYPE_COSIGNATURE_V1;

const PRIVATE_PREFIX = 'PRIVATE+KEY+';
/** DER prefixes that wrap a raw Ed25519 seed (PKCS#8) and public key (SPKI), RFC 8410. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
export const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface NoteVerifier {
  readonly name: string;
  /** The 4-byte key ID as a uint32. */
  readonly keyId: number;
  readonly type: NoteKeyType;
  readonly publicKey: Buffer;
  /** `<name>+<hex id>+<base64>`. */
  readonly vkey: string;
  readonly verify: (message: Uint8Array, signature: Uint8Array) => boolean;
}

export interface NoteSigner extends NoteVerifier {
  readonly sign: (message: Uint8Array) => Buffer;
  /** The `PRIVATE+KEY+…` text. */
  readonly skey: string;
}

/** A key name is non-empty, valid UTF-8, with no Unicode space and no `+` (c2sp.org/signed-note). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\p{Z}\p{Cs}]/u.test(name);
}

/** SHA-256(name || "\n" || type || public key)[:4] as a big-endian uint32. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** `name+hash`: the verifier key without its key material (a DSSE signature's keyid). */
export function keyHandle(key: Pick<NoteVerifier, 'name' | 'keyId'>): string {
  return `${key.name}+${formatKeyId(key.keyId)}`;
}

export function parseVerifierKey(text: string): NoteVerifier {
  const vkey = text.trim();
  const [name, idHex, material] = splitKey(vkey);
  if (name === undefined || idHex === undefined || material === undefined) {
    throw keyError('a verifier key has the form <name>+<hex key ID>+<base64 key>', vkey);
  }
  const { type, key } = decodeKeyMaterial(name, idHex, material, vkey);
  const publicKey = key;
  const object = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
    format: 'der',
    type: 'spki',
  });
  return verifierFrom(name, type, publicKey, object);
}

export function parsePrivateKey(text: string): NoteSigner {
  const skey = text.trim();
  if (!skey.startsWith(PRIVATE_PREFIX)) {
    throw keyError('a private key starts with PRIVATE+KEY+', redactKey(skey));
  }
  const [name, idHex, material] = splitKey(skey.slice(PRIVATE_PREFIX.length));
  if (name === undefined || idHex === undefined || material === undefined) {
    throw keyError(
      'a private key has the form PRIVATE+KEY+<name>+<hex key ID>+<base64 key>',
      redactKey(skey),
    );
  }
  const { type, key: seed } = decodeKeyMaterial(name, idHex, material, redactKey(skey), 'private');
  return signerFromSeed(name, type, seed);
}

/** A new random key, as the `PRIVATE+KEY+…` text and its verifier key. */
export function generateNoteKey(name: string, type: NoteKeyType = KEY_TYPE_ED25519): NoteSigner {
  if (!isValidKeyName(name))
    throw keyError('a key name must be non-empty with no spaces and no "+"', name);
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.d === undefined) throw keyError('the platform did not export an Ed25519 seed', name);
  return signerFromSeed(name, type, Buffer.from(jwk.d, 'base64url'));
}

/** The same key material as a signer of another type (a witness's 0x04 key from a 0x01 file). */
export function withKeyType(signer: NoteSigner, type: NoteKeyType): NoteSigner {
  return signerFromSeed(signer.name, type, seedOf(signer));
}

/**
 * The same public key as a verifier of another type: a witness's cosignature/v1 (0x04) verifier
 * key from its Ed25519 (0x01) one. The key ID changes with the type (it hashes the type byte).
 */
export function verifierWithKeyType(verifier: NoteVerifier, type: NoteKeyType): NoteVerifier {
  const object = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, verifier.publicKey]),
    format: 'der',
    type: 'spki',
  });
  return verifierFrom(verifier.name, type, verifier.publicKey, object);
}

const seeds = new WeakMap<NoteSigner, Buffer>();
function seedOf(signer: NoteSigner): Buffer {
  const seed = seeds.get(signer);
  if (seed === undefined) throw keyError('not a signer made by this module', signer.name);
  return seed;
}

export function signerFromSeed(name: string, type: NoteKeyType, seed: Uint8Array): NoteSigner {
  if (seed.length !== 32) throw keyError(`an Ed25519 seed is 32 bytes, not ${seed.length}`, name);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicObject = createPublicKey(privateKey);
  const jwk = publicObject.export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x ?? '', 'base64url');
  const verifier = verifierFrom(name, type, publicKey, publicObject);
  const signer: NoteSigner = {
    ...verifier,
    skey: `${PRIVATE_PREFIX}${name}+${formatKeyId(verifier.keyId)}+${Buffer.concat([Buffer.from([type]), seed]).toString('base64')}`,
    sign: (message) => edSign(null, message, privateKey),
  };
  seeds.set(signer, Buffer.from(seed));
  return signer;
}

function verifierFrom(
  name: string,
  type: NoteKeyType,
  publicKey: Buffer,
  object: KeyObject,
): NoteVerifier {
  const keyId = computeKeyId(name, type, publicKey);
  return {
    name,
    keyId,
    type,
    publicKey,
    vkey: `${name}+${formatKeyId(keyId)}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`,
    verify: (message, signature) =>
      signature.length === 64 && edVerify(null, message, object, signature),
  };
}

function decodeKeyMaterial(
  name: string,
  idHex: string,
  material: string,
  shown: string,
  kind: 'public' | 'private' = 'public',
): { type: NoteKeyType; key: Buffer } {
  if (!isValidKeyName(name))
    throw keyError('the key name must be non-empty with no spaces and no "+"', shown);
  if (!/^[0-9a-f]{8}$/.test(idHex))
    throw keyError('the key ID must be 8 lowercase hex digits', shown);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(material) || material.length % 4 !== 0) {
    throw keyError('the key material is not base64', shown);
  }
  const bytes = Buffer.from(material, 'base64');
  const type = bytes[0];
  if (type !== KEY_TYPE_ED25519 && type !== KEY_TYPE_COSIGNATURE_V1) {
    throw keyError(
      `unsupported key type 0x${(type ?? 0).toString(16).padStart(2, '0')} (want 0x01 Ed25519 or 0x04 cosignature/v1)`,
      shown,
    );
  }
  const key = bytes.subarray(1);
  if (key.length !== 32)
    throw keyError(`an Ed25519 key is 32 bytes, this one is ${key.length}`, shown);
  const publicKey =
    kind === 'public'
      ? key
      : createPublicKey(
          createPrivateKey({
            key: Buffer.concat([PKCS8_ED25519_PREFIX, key]),
            format: 'der',
            type: 'pkcs8',
          }),
        ).export({ format: 'jwk' }).x;
  const publicBytes = typeof publicKey === 'string' ? Buffer.from(publicKey, 'base64url') : key;
  const expected = computeKeyId(name, type, publicBytes);
  if (Number.parseInt(idHex, 16) !== expected) {
    throw keyError(
      `the key ID ${idHex} does not match the key (expected ${formatKeyId(expected)})`,
      shown,
    );
  }
  return { type, key: Buffer.from(key) };
}

/** name, key ID and key material; base64 may itself contain `+`, so split at the first two only. */
function splitKey(text: string): [string?, string?, string?] {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return [];
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

/** Never print private key material in an error. */
function redactKey(skey: string): string {
  const [name, idHex] = splitKey(skey.slice(PRIVATE_PREFIX.length));
  return name === undefined ? 'PRIVATE+KEY+…' : `${PRIVATE_PREFIX}${name}+${idHex ?? ''}+…`;
}

function keyError(reason: string, shown: string): TlogError {
  return new TlogError('TLOG_KEY_INVALID', `invalid note key "${shown}": ${reason}`, {
    where: shown,
  });
}
