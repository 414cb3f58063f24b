/**
 * Package URLs (github.com/package-url/purl-spec, PURL-SPECIFICATION.rst "How to parse a purl
 * string in its components"). Real SBOMs and advisories carry purls that break the spec; the
 * parser never throws: it returns the purl it could recover and the problems it met, so a reader
 * can report a malformed purl as a deviation on its component.
 */

/** A parsed, per-type normalised package URL. */
export interface PackageUrl {
  readonly type: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly version: string | undefined;
  readonly qualifiers: Readonly<Record<string, string>>;
  readonly subpath: string | undefined;
}

/** What parsing found: the purl (when recoverable) and every problem, in reading order. */
export interface PurlParseResult {
  readonly purl: PackageUrl | undefined;
  readonly problems: readonly string[];
}

const MAX_PURL_LENGTH = 4096;
const TYPE = /^[a-z.+-][a-z0-9.+-]*$/;
const QUALIFIER_KEY = /^[a-z.\-_][a-z0-9.\-_]*$/;

// Types whose namespace and name are case-insensitive, so the spec's canonical form lowercases
// them (purl-spec PURL-TYPES.rst: "not case sensitive and must be lowercased").
const LOWERCASE_NAMESPACE_AND_NAME = new Set([
  'alpm',
  'apk',
  'bitbucket',
  'composer',
  'deb',
  'github',
  'hex',
  'npm',
  'pypi',
]);

/**
 * The qualifier keys SBOMs and advisories use, as literals: a key sliced out of a purl is a new
 * string that V8 must look up in its string table before it can name a property, which cost
 * more than the rest of parsing a purl; a literal is already there.
 */
const KNOWN_QUALIFIER_KEYS = new Map(
  [
    'arch',
    'checksum',
    'checksums',
    'classifier',
    'distro',
    'download_url',
    'epoch',
    'extension',
    'file_name',
    'os',
    'platform',
    'repository_url',
    'type',
    'upstream',
    'vcs_url',
  ].map((key) => [key, key]),
);

function decode(part: string, what: string, problems: string[]): string {
  // Most parts carry no escape at all; decoding them would only copy them.
  if (!part.includes('%')) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    problems.push(`${what} '${part}' has an invalid percent-encoding; kept as written`);
    return part;
  }
}

/** Parses and normalises one purl; never throws. */
export function parsePurl(text: string): PurlParseResult {
  const problems: string[] = [];
  if (text.length > MAX_PURL_LENGTH) {
    return { purl: undefined, problems: [`purl is longer than ${MAX_PURL_LENGTH} characters`] };
  }
  let rest = text.trim();
  if (rest !== text) problems.push('purl has surrounding whitespace');
  if (/\s/.test(rest)) problems.push('purl contains unencoded whitespace');

  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const segments = rest
      .slice(hash + 1)
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .map((s) => decode(s, 'subpath segment', problems));
    subpath = segments.length > 0 ? segments.join('/') : undefined;
    rest = rest.slice(0, hash);
  }

  // No prototype: a qualifier named `__proto__` or `constructor` is data, not an accessor.
  const qualifiers = Object.create(null) as Record<string, string>;
  const question = rest.indexOf('?');
  if (question >= 0) {
    let query = rest.slice(question + 1);
    rest = rest.slice(0, question);
    if (query.includes('?')) {
      // Seen in Ubuntu's OSV data: `?arch=src?distro=focal`. Read the extra '?' as '&'.
      problems.push("purl has more than one '?'; read the extra '?' as '&'");
      query = query.replaceAll('?', '&');
    }
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        problems.push(`qualifier '${pair}' is not key=value; ignored`);
        continue;
      }
      const raw = pair.slice(0, eq).toLowerCase();
      const key = KNOWN_QUALIFIER_KEYS.get(raw) ?? raw;
      const value = decode(pair.slice(eq + 1), `qualifier ${key}`, problems);
      if (!QUALIFIER_KEY.test(key)) {
        problems.push(`qualifier key '${key}' has characters the spec does not allow; ignored`);
      } else if (Object.hasOwn(qualifiers, key)) {
        problems.push(`qualifier '${key}' is given twice; the first is kept`);
      } else if (value !== '') {
        qualifiers[key] = value;
      }
    }
  }

  const colon = rest.indexOf(':');
  if (colon < 0 || rest.slice(0, colon).toLowerCase() !== 'pkg') {
    return { purl: undefined, problems: [...problems, "purl does not start with 'pkg:'"] };
  }
  // The spec tolerates (and drops) slashes after the scheme: `pkg://npm/x` is `pkg:npm/x`.
  const path = rest
    .slice(colon + 1)
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
  const slash = path.indexOf('/');
  if (slash < 0) {
    return { purl: undefined, problems: [...problems, 'purl has no type or no name'] };
  }
  const type = path.slice(0, slash).toLowerCase();
  if (!TYPE.test(type)) {
    return { purl: undefined, problems: [...problems, `purl type '${type}' is not valid`] };
  }
  let remainder = path.slice(slash + 1);
  let version: string | undefined;
  const at = remainder.lastIndexOf('@');
  // An '@' that begins the remainder or a segment is an npm scope written unencoded, not a version.
  if (at > 0 && remainder[at - 1] !== '/') {
    version = decode(remainder.slice(at + 1), 'version', problems);
    if (version === '') {
      problems.push("purl has an '@' but no version");
      version = undefined;
    }
    remainder = remainder.slice(0, at);
  }
  const segments = remainder.split('/').filter((s) => s !== '');
  const rawName = segments.pop();
  if (rawName === undefined) {
    return { purl: undefined, problems: [...problems, 'purl has no name'] };
  }
  let name = decode(rawName, 'name', problems);
  let namespace: string | undefined =
    segments.length > 0
      ? segments.map((s) => decode(s, 'namespace', problems)).join('/')
      : undefined;
  if (LOWERCASE_NAMESPACE_AND_NAME.has(type)) {
    name = name.toLowerCase();
    namespace = namespace?.toLowerCase();
  }
  // PURL-TYPES pypi: "underscore _ replaced with dash -" in the canonical name.
  if (type === 'pypi') name = name.replaceAll('_', '-');
  return { purl: { type, namespace, name, version, qualifiers, subpath }, problems };
}

/** The canonical string of a purl (without qualifiers and subpath unless asked). */
export function formatPurl(purl: PackageUrl, options: { qualifiers?: boolean } = {}): string {
  const enc = (s: string): string => encodeURIComponent(s).replaceAll('%3A', ':');
  let text = `pkg:${purl.type}/`;
  if (purl.namespace !== undefined) text += `${purl.namespace.split('/').map(enc).join('/')}/`;
  text += enc(purl.name);
  if (purl.version !== undefined) text += `@${enc(purl.version)}`;
  if (options.qualifiers === true) {
    const keys = Object.keys(purl.qualifiers).sort();
    if (keys.length > 0) {
      text += `?${keys.map((k) => `${k}=${enc(purl.qualifiers[k] ?? '')}`).join('&')}`;
    }
    if (purl.subpath !== undefined) text += `#${purl.subpath.split('/').map(enc).join('/')}`;
  }
  return text;
}
