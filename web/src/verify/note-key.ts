/**
 * Note verifier keys in the browser (c2sp.org/signed-note): `<name>+<hex key ID>+base64(type ‖
 * public key)`, key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]. Type 0x01 is an Ed25519
 * note key (logs, statement signers), 0x04 an Ed25519 cosignature/v1 key (witnesses,
 * c2sp.org/tlog-cosignature). Signatures are checked with WebCrypto's Ed25519.
 */
import { concatBytes, decodeBase64Strict, sha256, utf8 } from './bytes.js';

export const KEY_TYPE_ED25519 = 0x01;
export const KEY_TYPE_COSIGNATURE_V1 = 0x04;

/** Longest verifier key read: a name of a few hundred characters and 33 bytes of key. */
const MAX_VKEY_LENGTH = 1024;

export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: typeof KEY_TYPE_ED25519 | typeof KEY_TYPE_COSIGNATURE_V1;
  readonly publicKey: Uint8Array;
  /** The key as given, trimmed. */
  readonly vkey: string;
  /** `name+hash`: how the page names the key (and a DSSE signature's keyid). */
  readonly handle: string;
}

/** A key name is non-empty, with no Unicode space and no `+` (c2sp.org/signed-note). */
function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\p{Z}\p{Cs}]/u.test(name);
}

/** Parses and checks a verifier key; throws an Error naming what is wrong with it. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const vkey = text.trim();
  const shown = vkey.length > 80 ? `${vkey.slice(0, 80)}…` : vkey;
  const fail = (why: string) => new Error(`"${shown}" is not a verifier key: ${why}`);
  if (vkey.length > MAX_VKEY_LENGTH) throw fail(`longer than ${String(MAX_VKEY_LENGTH)}`);
  // The base64 key may itself contain '+': split at the first two only.
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw fail('a verifier key is <name>+<8 hex digits>+<base64 key>');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  if (!isValidKeyName(name)) throw fail('the name is empty or holds a space or "+"');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw fail('the key ID is not 8 lowercase hex digits');
  const material = decodeBase64Strict(vkey.slice(second + 1));
  if (material === undefined) throw fail('the key is not base64');
  const type = material[0];
  if (type !== KEY_TYPE_ED25519 && type !== KEY_TYPE_COSIGNATURE_V1) {
    throw fail('its type is neither 0x01 (Ed25519) nor 0x04 (cosignature/v1)');
  }
  const publicKey = material.slice(1);
  if (publicKey.length !== 32) throw fail('an Ed25519 public key is 32 bytes');
  const digest = await sha256(utf8.encode(name), Uint8Array.of(0x0a, type), publicKey);
  const keyId = new DataView(digest.buffer).getUint32(0);
  if (keyId !== Number.parseInt(idHex, 16)) throw fail('the key ID does not match the key');
  return { name, keyId, type, publicKey, vkey, handle: `${name}+${idHex}` };
}

// Typed through `crypto.subtle` so that the module also compiles against Node's types (its tests).
const imported = new WeakMap<VerifierKey, ReturnType<typeof crypto.subtle.importKey>>();

/** Whether `signature` is `key`'s Ed25519 signature (RFC 8032) over `message`. */
export async function verifyEd25519(
  key: VerifierKey,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (signature.length !== 64) return false;
  let cryptoKey = imported.get(key);
  if (cryptoKey === undefined) {
    cryptoKey = crypto.subtle.importKey('raw', concatBytes(key.publicKey), 'Ed25519', false, [
      'verify',
    ]);
    imported.set(key, cryptoKey);
  }
  return crypto.subtle.verify(
    'Ed25519',
    await cryptoKey,
    concatBytes(signature),
    concatBytes(message),
  );
}
