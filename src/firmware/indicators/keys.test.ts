import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizedKeysIndicators,
  dropbearKeyType,
  findPrivateKeys,
  keyIndicators,
} from './keys.js';

const sshString = (value: Buffer | string): Buffer => {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};
const pem = (label: string, body: Buffer, headers = ''): string =>
  `-----BEGIN ${label}-----\n${headers}${body.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('private keys with a real body', () => {
  it('finds PKCS#1, SEC1 and PKCS#8 keys with their type and a fingerprint', () => {
    const text = [
      rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }),
      ec.privateKey.export({ format: 'pem', type: 'sec1' }),
      ec.privateKey.export({ format: 'pem', type: 'pkcs8' }),
    ].join('\n');
    const keys = findPrivateKeys(Buffer.from(text));
    expect(keys.map((k) => [k.label, k.keyType])).toEqual([
      ['RSA PRIVATE KEY', 'rsa'],
      ['EC PRIVATE KEY', 'ec'],
      ['PRIVATE KEY', 'ec'],
    ]);
    expect(keys[1]?.fingerprint).toBe(keys[2]?.fingerprint);
  });

  it('finds legacy-encrypted, PKCS#8-encrypted and OpenSSH keys', () => {
    const encrypted = rsa.privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-128-cbc',
      passphrase: 'x',
    });
    const legacy = pem(
      'RSA PRIVATE KEY',
      Buffer.alloc(608, 0x33),
      'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n',
    );
    const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(32, 9))]);
    const openssh = Buffer.concat([
      Buffer.from('openssh-key-v1\0', 'latin1'),
      sshString('none'),
      sshString('none'),
      sshString(''),
      Buffer.from([0, 0, 0, 1]),
      sshString(publicBlob),
      sshString(Buffer.alloc(80, 1)),
    ]);
    const keys = findPrivateKeys(
      Buffer.from([encrypted, legacy, pem('OPENSSH PRIVATE KEY', openssh)].join('\n')),
    );
    expect(keys.map((k) => [k.keyType, k.encrypted])).toEqual([
      ['pkcs8-encrypted', true],
      ['rsa', true],
      ['ssh-ed25519', false],
    ]);
  });

  it('ignores a lone BEGIN line inside a binary, a body that is not DER, public keys and certificates', () => {
    const binary = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
      Buffer.from('\0-----BEGIN RSA PRIVATE KEY-----\0-----END RSA PRIVATE KEY-----\0'),
    ]);
    expect(findPrivateKeys(binary)).toEqual([]);
    expect(findPrivateKeys(Buffer.from(pem('RSA PRIVATE KEY', Buffer.alloc(200, 0x41))))).toEqual(
      [],
    );
    expect(
      findPrivateKeys(Buffer.from(rsa.publicKey.export({ format: 'pem', type: 'spki' }))),
    ).toEqual([]);
    expect(findPrivateKeys(Buffer.from(pem('CERTIFICATE', Buffer.alloc(300, 0x30))))).toEqual([]);
  });

  it('reports an OpenSSH host key file as a static host key', () => {
    const file = Buffer.from(rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }));
    expect(keyIndicators('/etc/ssh/ssh_host_rsa_key', file).map((i) => [i.kind, i.rule])).toEqual([
      ['key.static_host_key', 'FW-KEY-002'],
    ]);
    expect(keyIndicators('/etc/ssl/key.pem', file).map((i) => [i.kind, i.rule])).toEqual([
      ['key.private', 'FW-KEY-001'],
    ]);
  });
});

describe('dropbear host keys', () => {
  it('reads the key type string of the binary format', () => {
    const key = Buffer.concat([
      sshString('ecdsa-sha2-nistp256'),
      sshString('nistp256'),
      sshString(Buffer.alloc(65, 4)),
    ]);
    expect(dropbearKeyType(key)).toBe('ecdsa-sha2-nistp256');
    expect(keyIndicators('/etc/dropbear/dropbear_ecdsa_host_key', key)[0]?.rule).toBe('FW-KEY-003');
  });

  it('rejects a file that only starts like one', () => {
    expect(dropbearKeyType(sshString('ssh-rsa'))).toBeUndefined();
    expect(dropbearKeyType(Buffer.from('not a key at all'))).toBeUndefined();
  });
});

describe('authorized_keys', () => {
  it('reports each key with its OpenSSH fingerprint and comment, skipping comments and options', () => {
    const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(32, 7))]);
    const text = `# keys\nfrom="10.0.0.0/8",no-pty ssh-ed25519 ${blob.toString('base64')} vendor@support\n\n`;
    const found = authorizedKeysIndicators('/root/.ssh/authorized_keys', text);
    expect(found.map((i) => [i.line, i.keyType, i.comment])).toEqual([
      [2, 'ssh-ed25519', 'vendor@support'],
    ]);
    expect(found[0]?.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
