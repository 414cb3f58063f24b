/**
 * Vendor identity resolution: which company (or its subsidiary) does the vendor name an operator
 * recorded refer to? Names are normalised (Unicode NFKC, case, punctuation, legal suffixes), then
 * matched against each identity's canonical name, aliases and subsidiaries: a Latin-script name
 * matches when its tokens are a prefix of the recorded name's tokens, a name in Chinese (or other
 * CJK) script when the recorded name starts with it. The longest matching name wins, so an
 * explicit not-affiliated near-miss ("Huawei Marine", "大华银行") beats the shorter name it
 * resembles. Every match says which name matched.
 */

/** How a registry name relates to its identity. */
export type NameRole = 'canonical' | 'alias' | 'subsidiary' | 'not-affiliated';

/** A company (or a category) as the registry knows it. */
export interface VendorIdentity {
  readonly id: string;
  readonly canonical: string;
  readonly aliases?: readonly string[];
  readonly subsidiaries?: readonly string[];
  /** Names that look like this identity's but belong to unrelated companies. */
  readonly notAffiliated?: readonly string[];
}

/** The outcome of resolving one recorded name. */
export interface VendorMatch {
  /** The identity the name resolved to (for `not-affiliated`, the identity it is NOT part of). */
  readonly identity: string;
  readonly role: NameRole;
  /** The registry name that matched, as written in the registry. */
  readonly name: string;
}

// nospy policy reference §VENDOR RESOLUTION: punctuation separates tokens. Decided by Unicode
// class (punctuation, symbols, separators, controls), so no script's letters are ever dropped:
// a name in Cyrillic or Korean keeps its letters as a Latin one does.
const SEPARATORS = /[\p{P}\p{S}\p{Z}\p{C}]+/gu;
const LEGAL_SUFFIX_TOKENS = new Set([
  'co',
  'company',
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sau',
  'srl',
  'bv',
  'nv',
  'ab',
  'oy',
  'pty',
  'pte',
  'kk',
]);
// Legal forms written in Chinese, longest first: 股份有限公司 (joint-stock), 有限责任公司, 有限公司…
const CJK_LEGAL_SUFFIXES = ['股份有限公司', '有限责任公司', '有限公司', '集团', '公司'];
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

/**
 * Unicode case folding as far as JavaScript offers it: NFKC (full-width and compatibility forms),
 * then upper and lower case, so `ß` folds to `ss` as `SS` does.
 */
export function foldName(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * The normalised form of a vendor name: folded, punctuation and spacing turned into single
 * spaces, trailing legal forms dropped (empty only when the name has no letter or digit).
 */
export function normaliseVendorName(name: string): string {
  let text = foldName(name).replace(SEPARATORS, ' ');
  let tokens = text.split(' ').filter((t) => t.length > 0);
  while (tokens.length > 1 && LEGAL_SUFFIX_TOKENS.has(tokens[tokens.length - 1] ?? '')) {
    tokens = tokens.slice(0, -1);
  }
  text = tokens.join(' ');
  let stripped = true;
  while (stripped) {
    stripped = false;
    for (const suffix of CJK_LEGAL_SUFFIXES) {
      if (text.length > suffix.length && text.endsWith(suffix)) {
        text = text.slice(0, -suffix.length).trimEnd();
        stripped = true;
      }
    }
  }
  return text;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  match?: VendorMatch;
}

interface CjkName {
  readonly key: string;
  readonly match: VendorMatch;
}

/** A name claimed by two identities: the registry is ambiguous. */
export interface NameConflict {
  readonly normalised: string;
  readonly first: VendorMatch;
  readonly second: VendorMatch;
}

/**
 * Resolves recorded vendor names against a set of identities. Results are memoised per distinct
 * recorded name, so a million items from a few hundred vendors cost a few hundred resolutions.
 */
export class VendorResolver {
  private readonly root: TrieNode = { children: new Map() };
  private readonly cjk: CjkName[] = [];
  private readonly memo = new Map<string, VendorMatch | null>();
  /** Names claimed twice; the first claim is kept. */
  readonly conflicts: NameConflict[] = [];

  constructor(identities: Iterable<VendorIdentity>) {
    for (const identity of identities) {
      this.add(identity.id, 'canonical', identity.canonical);
      for (const name of identity.aliases ?? []) this.add(identity.id, 'alias', name);
      for (const name of identity.subsidiaries ?? []) this.add(identity.id, 'subsidiary', name);
      for (const name of identity.notAffiliated ?? [])
        this.add(identity.id, 'not-affiliated', name);
    }
    // Longest first, so the first CJK prefix that fits is the most specific.
    this.cjk.sort((a, b) => b.key.length - a.key.length);
  }

  /** The identity a recorded name refers to, or undefined when no registry name fits. */
  resolve(recorded: string): VendorMatch | undefined {
    const cached = this.memo.get(recorded);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.lookup(normaliseVendorName(recorded));
    this.memo.set(recorded, found ?? null);
    return found;
  }

  private lookup(norm: string): VendorMatch | undefined {
    if (norm === '') return undefined;
    let best: VendorMatch | undefined;
    let bestLength = 0;
    let node = this.root;
    let consumed = 0;
    for (const token of norm.split(' ')) {
      const next = node.children.get(token);
      if (next === undefined) break;
      consumed += token.length + (consumed === 0 ? 0 : 1);
      node = next;
      if (node.match !== undefined) {
        best = node.match;
        bestLength = consumed;
      }
    }
    if (CJK.test(norm)) {
      const compact = norm.replace(/ /g, '');
      const hit = this.cjk.find((name) => compact.startsWith(name.key));
      if (hit !== undefined && hit.key.length > bestLength) best = hit.match;
    }
    return best;
  }

  private add(identity: string, role: NameRole, name: string): void {
    const norm = normaliseVendorName(name);
    if (norm === '') return;
    const match: VendorMatch = { identity, role, name };
    if (CJK.test(norm)) {
      const key = norm.replace(/ /g, '');
      const existing = this.cjk.find((n) => n.key === key);
      if (existing === undefined) this.cjk.push({ key, match });
      else this.conflict(norm, existing.match, match);
      return;
    }
    let node = this.root;
    for (const token of norm.split(' ')) {
      let next = node.children.get(token);
      if (next === undefined) {
        next = { children: new Map() };
        node.children.set(token, next);
      }
      node = next;
    }
    if (node.match === undefined) node.match = match;
    else this.conflict(norm, node.match, match);
  }

  private conflict(normalised: string, first: VendorMatch, second: VendorMatch): void {
    // One identity naming itself twice (an alias equal to the canonical name once normalised)
    // is harmless; a name both affiliated and not, or claimed by two identities, is not.
    const firstOut = first.role === 'not-affiliated';
    const secondOut = second.role === 'not-affiliated';
    if (first.identity === second.identity && firstOut === secondOut) return;
    this.conflicts.push({ normalised, first, second });
  }
}
