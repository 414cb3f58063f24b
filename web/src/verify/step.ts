/** One step of an in-browser verification, as the log page lists it. */
import type { KeySource } from './trust.js';

export type StepStatus = 'ok' | 'bad' | 'warn' | 'skip';

export interface Step {
  readonly what: string;
  readonly status: StepStatus;
  readonly detail: string;
  /** The key the step checked against, and who supplied it. */
  readonly key?: { readonly handle: string; readonly source: KeySource };
}

/** How a key's origin is said beside its name. */
export function sourceWords(source: KeySource): string {
  return source === 'user' ? 'your key' : "the server's own key, not independent";
}
