/**
 * What a token lets its holder do. `read`: the operator's product API (`/v1` findings, devices,
 * vendors, releases, compliance, summary) and `/metrics`; `triage`: read, and (when the API
 * takes them) triage decisions; `submit`: writes to the log (`POST /add`, `PUT /v1/blobs`);
 * `admin`: everything. The log's own endpoints are public and need none (docs/security.md).
 */
export const SCOPES = ['read', 'triage', 'submit', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The scopes each scope includes besides itself. */
const INCLUDES: Readonly<Record<Scope, readonly Scope[]>> = {
  read: [],
  triage: ['read'],
  submit: [],
  admin: ['read', 'triage', 'submit'],
};

/** Whether holding `held` grants `needed`. */
export function grants(held: Iterable<Scope>, needed: Scope): boolean {
  for (const scope of held) if (scope === needed || INCLUDES[scope].includes(needed)) return true;
  return false;
}

/** `read,triage` → the scopes, or a problem naming the word that is not one. */
export function parseScopes(text: string): readonly Scope[] | { readonly problem: string } {
  const words = text.split(',').map((word) => word.trim());
  const scopes: Scope[] = [];
  for (const word of words) {
    if (!(SCOPES as readonly string[]).includes(word)) {
      return { problem: `"${word.slice(0, 32)}" is not a scope (${SCOPES.join(', ')})` };
    }
    if (!scopes.includes(word as Scope)) scopes.push(word as Scope);
  }
  return scopes;
}
