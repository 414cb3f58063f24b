import { MIRAI_CREDENTIALS, MIRAI_SOURCE } from '../data/mirai-credentials.js';
import { cryptMatches } from './crypt.js';
import type { Indicator } from './types.js';

/** What a password field holds (passwd(5), shadow(5)). */
export type PasswordState =
  | { readonly state: 'locked' | 'placeholder' }
  | { readonly state: 'empty' }
  | { readonly state: 'hash'; readonly type: string };

/** Classifies a password field; `!`, `*`, `!!`, `!<hash>`, `*LK*` are locked, `x` defers to shadow. */
export function classifyPassword(field: string): PasswordState {
  if (field === '') return { state: 'empty' };
  if (field === 'x') return { state: 'placeholder' };
  if (field.startsWith('!') || field.startsWith('*')) return { state: 'locked' };
  if (field.startsWith('$1$')) return { state: 'hash', type: 'md5crypt' };
  if (field.startsWith('$apr1$')) return { state: 'hash', type: 'apr1' };
  if (field.startsWith('$5$')) return { state: 'hash', type: 'sha256crypt' };
  if (field.startsWith('$6$')) return { state: 'hash', type: 'sha512crypt' };
  if (/^\$2[abxy]?\$/.test(field)) return { state: 'hash', type: 'bcrypt' };
  if (field.startsWith('$y$')) return { state: 'hash', type: 'yescrypt' };
  if (field.startsWith('$7$')) return { state: 'hash', type: 'scrypt' };
  if (field.startsWith('$gy$')) return { state: 'hash', type: 'gost-yescrypt' };
  if (/^[./0-9A-Za-z]{13}$/.test(field)) return { state: 'hash', type: 'des' };
  if (/^_[./0-9A-Za-z]{19}$/.test(field)) return { state: 'hash', type: 'bsdi-des' };
  return { state: 'hash', type: 'unknown' };
}

const NO_LOGIN_SHELL = /(nologin|\/false|\/sync|\/shutdown|\/halt)$/;

/** Files that hold account databases: passwd, shadow, master.passwd and their backups. */
export function isAccountFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^(passwd|shadow|master\.passwd)([-.].*)?$/.test(name);
}

// Recomputing a crypt hash costs a thousand digests per password tried, and an image often
// holds the same account database many times over (backups, several filesystems, a flash dump
// with every partition): each (account, hash) pair is tried once per process.
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, string | null>();

/** The Mirai password for this account that reproduces `hash`, if any. */
function knownDefault(account: string, hash: string): string | undefined {
  const key = `${account}\u0000${hash}`;
  const known = remembered.get(key);
  if (known !== undefined) return known ?? undefined;
  const found = tryDefaults(account, hash);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(key, found ?? null);
  return found;
}

function tryDefaults(account: string, hash: string): string | undefined {
  // Try the pairs for this account name first, then every password for cheap schemes.
  const own = MIRAI_CREDENTIALS.filter(([user]) => user === account).map(
    ([, password]) => password,
  );
  const cheap =
    hash.startsWith('$1$') || /^[./0-9A-Za-z]{13}$/.test(hash)
      ? MIRAI_CREDENTIALS.map(([, password]) => password)
      : [];
  for (const password of new Set([...own, ...cheap])) {
    if (cryptMatches(hash, password) === true) return password;
  }
  return undefined;
}

const shown = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * Account findings in one passwd/shadow-style file: hashes that are not locked (with their type
 * and, where it reproduces, the Mirai default they match), empty passwords on accounts that can
 * log in, and uid-0 accounts other than root.
 */
export function accountIndicators(
  path: string,
  text: string,
  shells: ReadonlyMap<string, string>,
): Indicator[] {
  const found: Indicator[] = [];
  const isShadow = path.includes('shadow');
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const fields = raw.split(':');
    const [account, password] = fields;
    if (
      account === undefined ||
      password === undefined ||
      fields.length < (isShadow ? 2 : 7) ||
      account === ''
    )
      return;
    if (!isShadow && fields[2] === '0' && account !== 'root') {
      found.push({
        kind: 'credential.uid0_extra_account',
        rule: 'FW-CRED-010',
        path,
        line,
        account,
        detail: `account ${account} has uid 0 (root privileges) besides root`,
        evidence: shown(raw),
      });
    }
    const state = classifyPassword(password);
    const shell = isShadow ? shells.get(account) : fields[6];
    if (state.state === 'empty') {
      if (shell !== undefined && NO_LOGIN_SHELL.test(shell)) return;
      found.push({
        kind: 'credential.password_hash',
        rule: 'FW-CRED-002',
        path,
        line,
        account,
        hashType: 'none',
        detail: `account ${account} has an empty password: login without one`,
        evidence: shown(raw),
      });
      return;
    }
    if (state.state !== 'hash') return;
    const matched = knownDefault(account, password);
    found.push({
      kind: 'credential.password_hash',
      rule: matched === undefined ? 'FW-CRED-001' : 'FW-CRED-003',
      path,
      line,
      account,
      hashType: state.type,
      detail:
        matched === undefined
          ? `account ${account} has a ${state.type} password hash that is not locked`
          : `account ${account} has the known default password ${JSON.stringify(matched)} (Mirai list)`,
      evidence: shown(raw),
      ...(matched === undefined
        ? {}
        : { knownCredential: `${account}:${matched}`, source: MIRAI_SOURCE }),
    });
  });
  return found;
}

/** Login shells by account, from a passwd file, so shadow entries can be judged. */
export function shellsOf(passwd: string | undefined): Map<string, string> {
  const shells = new Map<string, string>();
  for (const raw of (passwd ?? '').split(/\r?\n/)) {
    const fields = raw.split(':');
    if (fields.length >= 7 && fields[0] !== undefined) shells.set(fields[0], fields[6] ?? '');
  }
  return shells;
}
