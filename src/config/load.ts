import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { settingsFromEnv, type EnvSetting } from './env.js';
import { configSchema, type NospyConfig } from './schema.js';

/** Largest config file read: a config is a page of YAML, not a data set. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface FlagSetting {
  /** The flag as the user typed it, e.g. `--port`. */
  readonly flag: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

export interface LoadConfigOptions {
  /** `--config`; when absent, `NOSPY_CONFIG`, then `./nospy.yaml` if it exists. */
  readonly file?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly flags?: readonly FlagSetting[];
  readonly cwd?: string;
}

export interface LoadedConfig {
  readonly config: NospyConfig;
  /** The file read, if any. */
  readonly file: string | undefined;
}

/**
 * Reads the configuration with precedence flags > `NOSPY_*` environment > file > defaults, and
 * validates the result. Every error names where the bad value came from: `file:line:column`, the
 * environment variable, or the flag.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = locateConfigFile(options.file, env, cwd);
  const source = file === undefined ? undefined : readConfigFile(file);
  const fromFile: unknown = source === undefined ? {} : (source.doc.toJS() ?? {});
  if (typeof fromFile !== 'object' || Array.isArray(fromFile)) {
    throw new ConfigError('CONFIG_INVALID', 'the configuration must be a mapping of fields', {
      where: `${file ?? ''}:1:1`,
    });
  }
  const envSettings = settingsFromEnv(configSchema, env);
  const merged = structuredClone(fromFile) as Record<string, unknown>;
  for (const setting of envSettings) setIn(merged, setting.path, setting.value);
  for (const setting of options.flags ?? []) setIn(merged, setting.path, setting.value);

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    // Every problem at once, each with its own place, so one edit fixes them all.
    const problems = result.error.issues.map((issue) => {
      const where = locateIssue(issue, file, source, envSettings, options.flags ?? []);
      return { where, text: `${where}: ${describeIssue(issue)}` };
    });
    throw new ConfigError('CONFIG_INVALID', problems.map((p) => p.text).join('\n'), {
      where: problems[0]?.where ?? 'configuration',
    });
  }
  return { config: result.data, file };
}

function locateConfigFile(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string | undefined {
  const named = explicit ?? (env.NOSPY_CONFIG === '' ? undefined : env.NOSPY_CONFIG);
  if (named !== undefined) {
    const path = resolve(cwd, named);
    if (!existsSync(path)) {
      throw new ConfigError('CONFIG_NOT_FOUND', `configuration file not found: ${named}`, {
        where: named,
      });
    }
    return path;
  }
  const fallback = resolve(cwd, 'nospy.yaml');
  return existsSync(fallback) ? fallback : undefined;
}

interface ConfigSource {
  readonly doc: Document;
  readonly lines: LineCounter;
}

function readConfigFile(file: string): ConfigSource {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new ConfigError(
        'CONFIG_UNREADABLE',
        `${file}: configuration is ${bytes.length} bytes, more than the ${MAX_CONFIG_BYTES} allowed`,
        { where: file },
      );
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('CONFIG_UNREADABLE', `${file}: cannot read: ${String(error)}`, {
      where: file,
      cause: error,
    });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const pos = lines.linePos(syntax.pos[0]);
    const where = `${file}:${pos.line}:${pos.col}`;
    throw new ConfigError('CONFIG_SYNTAX', `${where}: ${firstLine(syntax.message)}`, { where });
  }
  return { doc, lines };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const prefix = field === '' ? '' : `${field}.`;
    return `unknown field ${issue.keys.map((k) => `"${prefix}${k}"`).join(', ')}`;
  }
  return `${field === '' ? 'configuration' : `field "${field}"`}: ${issue.message}`;
}

/** Where the value behind an issue came from: a flag, an environment variable, or the file. */
function locateIssue(
  issue: z.core.$ZodIssue,
  file: string | undefined,
  source: ConfigSource | undefined,
  env: readonly EnvSetting[],
  flags: readonly FlagSetting[],
): string {
  const path = issue.path.map(String);
  const key = path.join('.');
  const flag = flags.findLast((f) => f.path.join('.') === key);
  if (flag !== undefined) return flag.flag;
  const variable = env.find((e) => e.path.join('.') === key);
  if (variable !== undefined) return variable.variable;
  if (file === undefined || source === undefined) return 'configuration';
  const offset = nodeOffset(
    source.doc,
    path,
    issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined,
  );
  const pos = source.lines.linePos(offset);
  return `${file}:${pos.line}:${pos.col}`;
}

/** The offset of the deepest node along `path` that the file has (a key when one is named). */
function nodeOffset(doc: Document, path: readonly string[], key: string | undefined): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of key === undefined ? path : [...path, key]) {
    if (!isMap(node)) break;
    const pair = node.items.find(
      (item) => isScalar(item.key) && String(item.key.value) === segment,
    );
    if (pair === undefined) break;
    offset =
      segment === key
        ? (rangeStart(pair.key) ?? offset)
        : (rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset);
    node = pair.value;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}
