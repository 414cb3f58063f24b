/** Small readers of untyped JSON values: the document is hostile until read. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Bounds a reader enforces while walking a document. */
export interface ReadLimits {
  /** Most components (all nesting levels together). */
  readonly maxComponents: number;
  /** Deepest nesting of CycloneDX `components` inside components. */
  readonly maxNesting: number;
  /** Most services, dependencies or relationships. */
  readonly maxEntries: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxComponents: 500_000,
  maxNesting: 32,
  maxEntries: 1_000_000,
};
