/**
 * The user's own keys, as pasted or uploaded: a nospy trust file (YAML, the format of
 * src/statements/trust.ts: parties with roles and keys, the log's key, the witnesses and their
 * quorum) or bare verifier keys, one a line. Parsed strictly, as the CLI reads a trust file.
 */
import { parse } from 'yaml';
import {
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  parseVerifierKey,
  type VerifierKey,
} from './note-key.js';
import { trustFromKeys, type SignerKey, type Trust } from './trust.js';

/** As the CLI's bound: a page of names and keys. */
export const MAX_TRUST_TEXT = 1024 * 1024;
const ROLES = ['vendor', 'operator', 'regulator', 'auditor', 'evaluator'];

/**
 * Parses what the user gave: lines that each hold a verifier key (blank lines and `#` comments
 * aside), or else a trust file. Throws an Error that names the line or field at fault.
 */
export async function parseUserTrust(text: string, name: string | undefined): Promise<Trust> {
  if (text.length > MAX_TRUST_TEXT) throw new Error('the keys are more than 1 MiB of text');
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new Error('no keys given');
  if (lines.every((l) => /^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(l))) {
    if (lines.length > 256) throw new Error('more than 256 verifier keys');
    const keys: VerifierKey[] = [];
    for (const [i, line] of lines.entries()) {
      try {
        keys.push(await parseVerifierKey(line));
      } catch (error) {
        throw new Error(`key ${String(i + 1)}: ${(error as Error).message}`, { cause: error });
      }
    }
    return trustFromKeys(keys);
  }
  return parseTrustFile(text, name);
}

async function parseTrustFile(text: string, name: string | undefined): Promise<Trust> {
  const file = name ?? 'the pasted trust file';
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 0 });
  } catch (error) {
    throw new Error(
      `${file} is neither verifier keys, one a line, nor YAML: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const at = (path: string, why: string) => new Error(`${file}: ${path} ${why}`);
  const record = fields(doc, ['parties', 'log', 'witnesses'], 'the document', at);
  const key = async (value: unknown, path: string, type?: number): Promise<VerifierKey> => {
    if (typeof value !== 'string') throw at(path, 'must be a verifier key (a string)');
    let parsed: VerifierKey;
    try {
      parsed = await parseVerifierKey(value);
    } catch (error) {
      throw at(path, (error as Error).message.replace(/^"[^"]*" /, ''));
    }
    if (type !== undefined && parsed.type !== type) {
      throw at(
        path,
        `is a type 0x0${String(parsed.type)} key; here a type 0x0${String(type)} key is needed`,
      );
    }
    return parsed;
  };

  if (
    !Array.isArray(record.parties) ||
    record.parties.length === 0 ||
    record.parties.length > 1024
  ) {
    throw at('parties', 'must list 1 to 1024 parties');
  }
  const signers: SignerKey[] = [];
  for (const [i, entry] of (record.parties as unknown[]).entries()) {
    const path = `parties[${String(i)}]`;
    const party = fields(entry, ['name', 'role', 'keys'], path, at);
    if (typeof party.name !== 'string' || party.name === '')
      throw at(`${path}.name`, 'must be a name');
    if (typeof party.role !== 'string' || !ROLES.includes(party.role)) {
      throw at(`${path}.role`, `must be one of ${ROLES.join(', ')}`);
    }
    if (!Array.isArray(party.keys) || party.keys.length === 0 || party.keys.length > 32) {
      throw at(`${path}.keys`, 'must list 1 to 32 verifier keys');
    }
    for (const [k, value] of (party.keys as unknown[]).entries()) {
      const parsed = await key(value, `${path}.keys[${String(k)}]`);
      const owner = signers.find((s) => s.key.vkey === parsed.vkey);
      if (owner !== undefined) {
        // One key, one party: otherwise a signature could not say who signed.
        throw at(`${path}.keys[${String(k)}]`, `is already a key of party "${owner.party ?? ''}"`);
      }
      signers.push({ key: parsed, party: party.name, role: party.role });
    }
  }

  let log: Trust['log'];
  if (record.log !== undefined) {
    const entry = fields(record.log, ['origin', 'key'], 'log', at);
    if (entry.origin !== undefined && (typeof entry.origin !== 'string' || entry.origin === '')) {
      throw at('log.origin', 'must be the log origin (a string)');
    }
    log = {
      kind: 'named',
      origin: entry.origin,
      key: await key(entry.key, 'log.key', KEY_TYPE_ED25519),
    };
  }

  let witnesses: Trust['witnesses'] = { quorum: 0, keys: [] };
  if (record.witnesses !== undefined) {
    const entry = fields(record.witnesses, ['quorum', 'keys'], 'witnesses', at);
    if (!Array.isArray(entry.keys) || entry.keys.length > 64) {
      throw at('witnesses.keys', 'must list at most 64 witnesses');
    }
    const keys: VerifierKey[] = [];
    for (const [i, value] of (entry.keys as unknown[]).entries()) {
      const path = `witnesses.keys[${String(i)}]`;
      const witness = fields(value, ['name', 'key'], path, at);
      const parsed = await key(witness.key, `${path}.key`, KEY_TYPE_COSIGNATURE_V1);
      if (keys.some((k) => k.vkey === parsed.vkey)) throw at(path, 'repeats a witness key');
      keys.push(parsed);
    }
    const quorum = entry.quorum;
    if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 0) {
      throw at('witnesses.quorum', 'must be a whole number from 0');
    }
    if (quorum > keys.length) {
      throw at(
        'witnesses.quorum',
        `is ${String(quorum)} but only ${String(keys.length)} witness keys are listed`,
      );
    }
    witnesses = { quorum, keys };
  }
  const label = name === undefined ? 'the trust file you pasted' : `your trust file ${name}`;
  return { source: 'user', label, log, witnesses, signers };
}

/** An object with only the `allowed` fields (as the CLI's strict schema), for `path`. */
function fields(
  value: unknown,
  allowed: readonly string[],
  path: string,
  at: (path: string, why: string) => Error,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw at(path, 'must be a mapping');
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!allowed.includes(name)) throw at(path, `has an unknown field "${name}"`);
  }
  return record;
}
