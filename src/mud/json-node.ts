import { MudError } from './errors.js';

/**
 * One JSON object of a MUD file being read, with its path, the keys read so far (so that what
 * is left over can be reported rather than silently dropped), and typed accessors whose errors
 * name the path.
 */
export class JsonNode {
  private readonly used = new Set<string>();

  constructor(
    readonly value: Readonly<Record<string, unknown>>,
    readonly path: string,
  ) {}

  /** Wraps `value` when it is a JSON object, else throws MUD_INVALID naming `path`. */
  static of(value: unknown, path: string, what: string): JsonNode {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid(path, `${what} must be a JSON object, found ${describe(value)}`);
    }
    return new JsonNode(value as Record<string, unknown>, path);
  }

  /** The first of `names` present (marking it read), with its key; undefined when none is. */
  take(...names: string[]): { key: string; value: unknown; path: string } | undefined {
    for (const name of names) {
      if (Object.hasOwn(this.value, name)) {
        this.used.add(name);
        return { key: name, value: this.value[name], path: this.child(name) };
      }
    }
    return undefined;
  }

  /** Marks every one of `names` read (all of them, unlike `take`). */
  markRead(...names: string[]): void {
    for (const name of names) this.used.add(name);
  }

  /** Keys not read yet. */
  rest(): string[] {
    return Object.keys(this.value).filter((key) => !this.used.has(key));
  }

  child(key: string): string {
    return /^[A-Za-z_][\w:-]*$/.test(key)
      ? `${this.path}.${key}`
      : `${this.path}[${JSON.stringify(key)}]`;
  }
}

export function invalid(path: string, message: string): MudError {
  return new MudError('MUD_INVALID', `${path}: ${message}`, { where: path });
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function asString(value: unknown, path: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    throw invalid(
      path,
      `${what} must be a non-empty string of at most 2048 characters, found ${describe(value)}`,
    );
  }
  return value;
}

/** An integer in [min, max]; RFC 7951 §6.1 also allows 64-bit numbers as strings, smaller ones never. */
export function asInteger(
  value: unknown,
  path: string,
  what: string,
  min: number,
  max: number,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(
      path,
      `${what} must be an integer from ${min} to ${max}, found ${describe(value)}`,
    );
  }
  return value;
}

export function asArray(value: unknown, path: string, what: string): readonly unknown[] {
  if (!Array.isArray(value))
    throw invalid(path, `${what} must be a JSON array, found ${describe(value)}`);
  return value;
}

/** RFC 7951 §6.9: a YANG `empty` leaf is `[null]`. */
export function isEmptyLeaf(value: unknown): boolean {
  return Array.isArray(value) && value.length === 1 && value[0] === null;
}

/** Identity values may carry their module prefix (RFC 7951 §6.8); compare without it. */
export function stripPrefix(value: string): string {
  const colon = value.lastIndexOf(':');
  return colon < 0 ? value : value.slice(colon + 1);
}
