import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { Indicator } from './types.js';

const BEGIN = Buffer.from('-----BEGIN ', 'latin1');
const PRIVATE_LABEL = /^(RSA |DSA |EC |OPENSSH |ENCRYPTED )?PRIVATE KEY$/;
/** A PEM block longer than this is not a key (and the search for END must be bounded). */
const MAX_PEM = 64 * 1024;
const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/** The length a DER SEQUENCE header declares equals the data (X.690 §8.1.3): a real structure. */
function isDerSequence(der: Buffer): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false;
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first === der.length;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return false;
  let length = 0;
  for (let i = 0; i < count; i += 1) length = length * 256 + (der[2 + i] ?? 0);
  return 2 + count + length === der.length;
}

/** An SSH wire-format string (RFC 4251 §5) at `offset`: its bytes and where the next starts. */
function sshString(buf: Buffer, offset: number): { value: Buffer; next: number } | undefined {
  if (offset + 4 > buf.length) return undefined;
  const length = buf.readUInt32BE(offset);
  if (offset + 4 + length > buf.length) return undefined;
  return { value: buf.subarray(offset + 4, offset + 4 + length), next: offset + 4 + length };
}

/** The public key type inside an `openssh-key-v1` body (OpenSSH PROTOCOL.key). */
function openSshKeyType(body: Buffer): string | undefined {
  if (!body.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return undefined;
  let at = OPENSSH_MAGIC.length;
  for (let i = 0; i < 3; i += 1) {
    const field = sshString(body, at); // ciphername, kdfname, kdfoptions
    if (field === undefined) return undefined;
    at = field.next;
  }
  if (at + 4 > body.length || body.readUInt32BE(at) < 1) return undefined;
  const publicKey = sshString(body, at + 4);
  const type = publicKey === undefined ? undefined : sshString(publicKey.value, 0);
  return type?.value.toString('latin1');
}

/** SHA256 fingerprint as OpenSSH prints it (unpadded base64). */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function spkiFingerprint(
  der: Buffer,
  type: 'pkcs1' | 'pkcs8' | 'sec1' | undefined,
): { keyType?: string; fingerprint?: string } {
  if (type === undefined) return {};
  try {
    const key = createPrivateKey({ key: der, format: 'der', type });
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    return {
      ...(key.asymmetricKeyType === undefined ? {} : { keyType: key.asymmetricKeyType }),
      fingerprint: `SHA256:${createHash('sha256').update(spki).digest('base64').replace(/=+$/, '')}`,
    };
  } catch {
    return {};
  }
}

/** One private key with a real body found in a file. */
export interface FoundKey {
  readonly offset: number;
  readonly label: string;
  readonly keyType: string;
  readonly fingerprint?: string;
  readonly encrypted: boolean;
}

/**
 * PEM and OpenSSH private keys whose body is really a key: the BEGIN line must be followed by
 * base64 that decodes to a well-formed DER SEQUENCE (PKCS#1, SEC1, DSA, PKCS#8), an
 * `openssh-key-v1` structure, or a legacy encrypted body (Proc-Type/DEK-Info), and a matching
 * END line. A lone `-----BEGIN RSA PRIVATE KEY-----` inside a binary (a parser's constant),
 * public keys and certificates are never keys.
 */
export function findPrivateKeys(buf: Buffer, beginOffsets?: readonly number[]): FoundKey[] {
  const found: FoundKey[] = [];
  const starts = beginOffsets ?? allOffsets(buf, BEGIN);
  let skipTo = 0;
  for (const at of starts) {
    if (at < skipTo) continue;
    const labelEnd = buf.indexOf('-----', at + BEGIN.length, 'latin1');
    const label =
      labelEnd === -1 || labelEnd - at > 64
        ? ''
        : buf.toString('latin1', at + BEGIN.length, labelEnd);
    if (PRIVATE_LABEL.test(label)) {
      const end = buf.indexOf(`-----END ${label}-----`, labelEnd, 'latin1');
      if (end !== -1 && end - at <= MAX_PEM) {
        const key = readPemKey(buf.toString('latin1', labelEnd + 5, end), label, at);
        if (key !== undefined) {
          found.push(key);
          skipTo = end;
        }
      }
    }
  }
  return found;
}

function allOffsets(buf: Buffer, needle: Buffer): number[] {
  const offsets: number[] = [];
  for (
    let at = buf.indexOf(needle);
    at !== -1 && offsets.length < 64;
    at = buf.indexOf(needle, at + 1)
  )
    offsets.push(at);
  return offsets;
}

function readPemKey(inner: string, label: string, offset: number): FoundKey | undefined {
  const lines = inner
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const headers = lines.filter((l) => /^[A-Za-z-]+:/.test(l));
  const base64 = lines.filter((l) => !/^[A-Za-z-]+:/.test(l)).join('');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const body = Buffer.from(base64, 'base64');
  // The smallest real key body is an Ed25519 PKCS#8 structure of 48 bytes.
  if (body.length < 40) return undefined;
  const legacyEncrypted = headers.some((h) => /^Proc-Type:\s*4,ENCRYPTED/i.test(h));
  const kind = label.replace(/ ?PRIVATE KEY$/, '');
  if (label === 'OPENSSH PRIVATE KEY') {
    const keyType = openSshKeyType(body);
    if (keyType === undefined) return undefined;
    const cipher = sshString(body, OPENSSH_MAGIC.length)?.value.toString('latin1');
    const publicKey = publicBlobOfOpenSsh(body);
    return {
      offset,
      label,
      keyType,
      encrypted: cipher !== 'none',
      ...(publicKey === undefined ? {} : { fingerprint: sshFingerprint(publicKey) }),
    };
  }
  if (legacyEncrypted)
    return {
      offset,
      label,
      keyType: kind === '' ? 'unknown' : kind.toLowerCase(),
      encrypted: true,
    };
  if (!isDerSequence(body)) return undefined;
  if (label === 'ENCRYPTED PRIVATE KEY')
    return { offset, label, keyType: 'pkcs8-encrypted', encrypted: true };
  const type =
    label === 'PRIVATE KEY'
      ? 'pkcs8'
      : kind === 'RSA'
        ? 'pkcs1'
        : kind === 'EC'
          ? 'sec1'
          : undefined;
  const { keyType, fingerprint } = spkiFingerprint(body, type);
  return {
    offset,
    label,
    keyType: keyType ?? (kind === '' ? 'pkcs8' : kind.toLowerCase()),
    encrypted: false,
    ...(fingerprint === undefined ? {} : { fingerprint }),
  };
}

function publicBlobOfOpenSsh(body: Buffer): Buffer | undefined {
  let at = OPENSSH_MAGIC.length;
  for (let i = 0; i < 3; i += 1) {
    const field = sshString(body, at);
    if (field === undefined) return undefined;
    at = field.next;
  }
  return sshString(body, at + 4)?.value;
}

/** Dropbear's own host key format: an SSH string naming the key type, then its fields. */
export function dropbearKeyType(buf: Buffer): string | undefined {
  const type = sshString(buf, 0);
  if (type === undefined || type.value.length > 64) return undefined;
  const name = type.value.toString('latin1');
  if (!/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521))$/.test(name)) return undefined;
  // A key has more than its type: at least one further field must follow.
  return sshString(buf, type.next) === undefined ? undefined : name;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Key findings for one file. */
export function keyIndicators(
  path: string,
  data: Buffer,
  beginOffsets?: readonly number[],
): Indicator[] {
  const name = basename(path);
  const found: Indicator[] = [];
  if (/^dropbear_\w+_host_key$/.test(name) || path.startsWith('/etc/dropbear/')) {
    const keyType = dropbearKeyType(data);
    if (keyType !== undefined) {
      found.push({
        kind: 'key.static_host_key',
        rule: 'FW-KEY-003',
        path,
        offset: 0,
        keyType,
        detail: `dropbear ${keyType} host key shipped in the image: every device shares it`,
        evidence: `${data.subarray(0, 4).toString('hex')} ${keyType}`,
      });
      return found;
    }
  }
  const hostKeyFile = /^ssh_host_\w+_key$/.test(name);
  for (const key of findPrivateKeys(data, beginOffsets)) {
    found.push({
      kind: hostKeyFile ? 'key.static_host_key' : 'key.private',
      rule: hostKeyFile ? 'FW-KEY-002' : 'FW-KEY-001',
      path,
      offset: key.offset,
      keyType: key.keyType,
      ...(key.fingerprint === undefined ? {} : { fingerprint: key.fingerprint }),
      detail: hostKeyFile
        ? `OpenSSH ${key.keyType} host key shipped in the image: every device shares it`
        : `${key.encrypted ? 'encrypted ' : ''}${key.keyType} private key (${key.label}) with a key body`,
      evidence: `-----BEGIN ${key.label}-----`,
    });
  }
  return found;
}

const AUTHORIZED_KEY =
  /(?:^|\s)((?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp(?:256|384|521)|sk-[\w@.-]+))\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*))?$/;

/** Every key in an `authorized_keys` file: someone can log in with it on every device. */
export function authorizedKeysIndicators(path: string, text: string): Indicator[] {
  const name = basename(path);
  if (name !== 'authorized_keys' && name !== 'authorized_keys2') return [];
  const found: Indicator[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = AUTHORIZED_KEY.exec(trimmed);
    if (match === null) return;
    const keyType = match[1] ?? '';
    const comment = match[3]?.trim() ?? '';
    found.push({
      kind: 'ssh.authorized_keys',
      rule: 'FW-SSH-001',
      path,
      line: index + 1,
      keyType,
      fingerprint: sshFingerprint(Buffer.from(match[2] ?? '', 'base64')),
      ...(comment === '' ? {} : { comment }),
      detail: `pre-installed ${keyType} key can log in over SSH${comment === '' ? '' : ` (${comment})`}`,
      evidence: trimmed.length > 120 ? `${trimmed.slice(0, 120)}…` : trimmed,
    });
  });
  return found;
}
