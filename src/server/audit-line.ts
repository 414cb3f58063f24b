/**
 * One structured line per accepted write, so an operator can answer "who wrote what, when"
 * from the server's log alone: the action, who (a party's key, or a token by its name — never
 * the token itself), and what the write resulted in (a log index, a digest).
 */
import type { FastifyBaseLogger } from 'fastify';

export type AuditAction = 'entry.add' | 'statement.add' | 'blob.put' | 'triage.add';

/** Who wrote: the keys that signed (`name+keyid`), or the token's name in the tokens file. */
export type AuditActor = { readonly keys: readonly string[] } | { readonly token: string };

export interface AuditRecord {
  readonly action: AuditAction;
  readonly by: AuditActor;
  readonly index?: number;
  readonly leafHash?: string;
  readonly digest?: string;
  /** For a blob: false when the store already held it (the upload was idempotent). */
  readonly created?: boolean;
  /** For a statement: its predicate and the vendor it names. */
  readonly type?: string;
  readonly vendor?: string | null;
  /** For a triage decision: the finding it is about and the state it records. */
  readonly finding?: string;
  readonly state?: string;
}

/** Writes the audit line: `{"audit": {...}, "msg": "audit <action>"}` at info level. */
export function auditWrite(logger: FastifyBaseLogger, record: AuditRecord): void {
  logger.info({ audit: record }, `audit ${record.action}`);
}
