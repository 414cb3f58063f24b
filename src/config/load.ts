import { existsSync } from 'node:fs';
import { errorText } from '../errors/error-text.js';
import { readBoundedText } from '../io/bounded-read.js';
import { resolve } from 'node:path';
import { parseYamlSource, positionOf, yamlValue, type YamlSource } from '../yaml/source.js';
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
  /**
   * The top-level sections (`server`, `check`…) the file, a `NOSPY_*` variable or a flag set:
   * a section absent from all three holds only its defaults, which say nothing of the setup.
   */
  readonly named: ReadonlySet<string>;
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
  const fromFile: unknown = source === undefined ? {} : (configValue(source) ?? {});
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
  return { config: result.data, file, named: new Set(Object.keys(merged)) };
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

function configValue(source: YamlSource): unknown {
  const read = yamlValue(source);
  if ('problem' in read) {
    const { where, message } = read.problem;
    throw new ConfigError('CONFIG_SYNTAX', `${where}: ${message}`, { where });
  }
  return read.value;
}

function readConfigFile(file: string): YamlSource {
  let text: string;
  try {
    text = readBoundedText(file, { maxBytes: MAX_CONFIG_BYTES, what: 'configuration' });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('CONFIG_UNREADABLE', errorText(error), {
      where: file,
      cause: error,
    });
  }
  const { source, syntax } = parseYamlSource(text, file);
  if (syntax !== undefined) {
    throw new ConfigError('CONFIG_SYNTAX', `${syntax.where}: ${syntax.message}`, {
      where: syntax.where,
    });
  }
  return source;
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
  source: YamlSource | undefined,
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
  const steps = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  return positionOf(source, steps, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
}
