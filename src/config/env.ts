import { parse as parseYamlScalar } from 'yaml';
import { z } from 'zod';

/** Environment variables with well-known names that feed config fields directly. */
export const ENV_ALIASES: Readonly<Record<string, readonly string[]>> = {
  DATABASE_URL: ['store', 'url'],
  NATS_URL: ['nats', 'url'],
};

/** Every config leaf path reachable through the schema's strict objects. */
export function leafPaths(schema: z.ZodType, prefix: readonly string[] = []): string[][] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) =>
      leafPaths(child, [...prefix, key]),
    );
  }
  return [[...prefix]];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as z.ZodType;
    } else {
      return current;
    }
  }
}

/** `['server', 'port']` → `NOSPY_SERVER_PORT`; camelCase fields become snake case. */
export function envName(path: readonly string[]): string {
  return `NOSPY_${path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}

export interface EnvSetting {
  readonly variable: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

/**
 * The config settings the environment makes. Values are read as YAML scalars so that
 * `NOSPY_SERVER_PORT=8080` is a number and `NOSPY_LOGGING_PRETTY=true` a boolean, exactly as
 * they would be in the file.
 */
export function settingsFromEnv(
  schema: z.ZodType,
  env: Readonly<Record<string, string | undefined>>,
): EnvSetting[] {
  const settings: EnvSetting[] = [];
  const known = new Map<string, readonly string[]>();
  const leaves = leafPaths(schema);
  const lists = new Set(listPaths(schema).map((p) => p.join('.')));
  // An alias feeds a field only once the schema has it (NATS_URL before the bus exists is unused).
  // Aliases come first so that the field's own NOSPY_* variable, applied after, wins over them.
  for (const [variable, path] of Object.entries(ENV_ALIASES)) {
    if (leaves.some((leaf) => leaf.join('.') === path.join('.'))) known.set(variable, path);
  }
  for (const path of leaves) known.set(envName(path), path);
  for (const [variable, path] of known) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    settings.push({
      variable,
      path,
      value: lists.has(path.join('.')) ? parseEnvList(raw) : parseEnvValue(raw),
    });
  }
  return settings;
}

/** The leaves whose value is a list (`check.flows`, `check.packs`, …). */
function listPaths(schema: z.ZodType, prefix: readonly string[] = []): string[][] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) =>
      listPaths(child, [...prefix, key]),
    );
  }
  return inner instanceof z.ZodArray ? [[...prefix]] : [];
}

/**
 * A list from the environment: a JSON array (`["a.ndjson","b.ndjson"]`, which may hold what a
 * file's list holds) or comma-separated words (`a.ndjson,b.ndjson`; blanks around commas and
 * empty items dropped). What does not parse as either is left for the schema to refuse.
 */
export function parseEnvList(raw: string): unknown {
  const text = raw.trim();
  if (text.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? value : raw;
    } catch {
      return raw;
    }
  }
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseEnvValue(raw: string): unknown {
  try {
    const value: unknown = parseYamlScalar(raw);
    // Only scalars: an environment variable never smuggles in a whole object.
    return typeof value === 'object' && value !== null ? raw : value;
  } catch {
    return raw;
  }
}
