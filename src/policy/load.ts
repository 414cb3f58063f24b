/**
 * Reads rule packs and the vendor registry from YAML, with every problem at file:line:column.
 * The shipped packs live in `src/policy/packs/*.yaml` (the npm package ships that folder); they
 * are found relative to this module whether it runs from `src/` (tsx, tests) or `dist/`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorText } from '../errors/error-text.js';
import { readBoundedText } from '../io/bounded-read.js';
import { describeIssue, pathText } from '../inventory/issues.js';
import { VendorResolver } from '../inventory/vendor.js';
import { parseYamlSource, positionOf, yamlValue, type YamlSource } from '../yaml/source.js';
import { compilePack } from './compile.js';
import { PolicyError } from './errors.js';
import type { CompiledPack } from './model.js';
import { packSchema, registrySchema, type RegistryInput } from './schema.js';
import { identitiesOf } from './registry.js';

/** A pack is a page of rules: a megabyte is far beyond any honest one. */
const MAX_PACK_BYTES = 1024 * 1024;
const REGISTRY_FILE = 'registry.yaml';

/** A problem found in a pack file, at its position. */
export interface LintProblem {
  readonly where: string;
  readonly message: string;
}

/** The folder of shipped packs: beside this module in src/, or src/policy/packs from dist/. */
export function shippedPacksDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'packs'), join(here, '..', '..', 'src', 'policy', 'packs')];
  const found = candidates.find((dir) => existsSync(join(dir, REGISTRY_FILE)));
  if (found === undefined) {
    throw new PolicyError(
      'POLICY_PACK_NOT_FOUND',
      `the shipped rule packs are missing (looked in ${candidates.join(', ')})`,
    );
  }
  return found;
}

/** Ids of the shipped packs, sorted. */
export function shippedPackIds(): string[] {
  return readdirSync(shippedPacksDir())
    .filter((name) => name.endsWith('.yaml') && name !== REGISTRY_FILE)
    .map((name) => basename(name, '.yaml'))
    .sort();
}

/** The shipped vendor registry. */
export function loadRegistry(file: string = join(shippedPacksDir(), REGISTRY_FILE)): RegistryInput {
  const source = readSource(file);
  const parsed = registrySchema.safeParse(packValue(source));
  if (!parsed.success)
    throw invalid([
      positioned(source, parsed.error.issues)[0] ?? { where: file, message: 'invalid registry' },
    ]);
  const conflicts = new VendorResolver(identitiesOf(parsed.data)).conflicts;
  if (conflicts.length > 0) {
    const c = conflicts[0];
    const where = positionOf(source, ['entities']);
    throw invalid([
      {
        where,
        message: `registry name '${c?.normalised ?? ''}' is claimed by ${c?.first.identity ?? ''} (${c?.first.role ?? ''}) and ${c?.second.identity ?? ''} (${c?.second.role ?? ''})`,
      },
    ]);
  }
  return parsed.data;
}

/** Resolves `--pack`: a shipped pack id, or a path to a pack file. */
export function packFile(ref: string): string {
  if (/^[a-z0-9][a-z0-9._-]*$/.test(ref) && !ref.endsWith('.yaml') && !ref.endsWith('.yml')) {
    const file = join(shippedPacksDir(), `${ref}.yaml`);
    if (!existsSync(file) || ref === 'registry') {
      throw new PolicyError(
        'POLICY_PACK_NOT_FOUND',
        `no shipped pack '${ref}' (shipped: ${shippedPackIds().join(', ')})`,
        { where: ref },
      );
    }
    return file;
  }
  return ref;
}

/** Loads and lints one pack; throws POLICY_PACK_INVALID with every problem when it has any. */
export function loadPack(ref: string, registry: RegistryInput = loadRegistry()): CompiledPack {
  const { pack, problems } = lintPack(ref, registry);
  if (pack === undefined || problems.length > 0) throw invalid(problems);
  return pack;
}

/** Every problem of one pack file (schema and consistency), and the pack when it compiled. */
export function lintPack(
  ref: string,
  registry: RegistryInput = loadRegistry(),
): { pack: CompiledPack | undefined; problems: LintProblem[] } {
  const file = packFile(ref);
  const source = readSource(file);
  const parsed = packSchema.safeParse(packValue(source));
  if (!parsed.success)
    return { pack: undefined, problems: positioned(source, parsed.error.issues) };
  const { pack, problems } = compilePack(parsed.data, registry, file);
  return {
    pack,
    problems: problems.map((p) => {
      const where = positionOf(source, p.path, p.key);
      const field = pathText(p.key === undefined ? p.path : [...p.path, p.key]);
      return { where, message: `${field === '' ? '' : `${field}: `}${p.message}` };
    }),
  };
}

/** The registry with every pack's own additions on top. */
export function mergeRegistries(
  base: RegistryInput,
  packs: readonly CompiledPack[],
): RegistryInput {
  let merged = base;
  for (const pack of packs) {
    if (pack.registry === undefined) continue;
    merged = {
      schema_version: 1,
      entities: { ...merged.entities, ...pack.registry.entities },
      known_vendors: { ...merged.known_vendors, ...pack.registry.known_vendors },
    };
  }
  return merged;
}

/** A pack's value; an alias bomb or nesting too deep is a syntax error. */
function packValue(source: YamlSource): unknown {
  const read = yamlValue(source, 1000);
  if ('problem' in read) {
    const { where, message } = read.problem;
    throw new PolicyError('POLICY_PACK_SYNTAX', `${where}: ${message}`, { where });
  }
  return read.value;
}

function readSource(file: string): YamlSource {
  let text: string;
  try {
    text = readBoundedText(file, { maxBytes: MAX_PACK_BYTES, what: 'pack' });
  } catch (error) {
    const missing = (error as { code?: string }).code === 'INPUT_NOT_FOUND';
    throw new PolicyError(
      missing ? 'POLICY_PACK_NOT_FOUND' : 'POLICY_PACK_UNREADABLE',
      missing ? `${file}: no such pack file` : errorText(error),
      { where: file, cause: error },
    );
  }
  const { source, syntax } = parseYamlSource(text, file);
  if (syntax !== undefined) {
    throw new PolicyError('POLICY_PACK_SYNTAX', `${syntax.where}: ${syntax.message}`, {
      where: syntax.where,
    });
  }
  return source;
}

function positioned(
  source: YamlSource,
  issues: readonly Parameters<typeof describeIssue>[0][],
): LintProblem[] {
  return issues.map((issue) => {
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const where = positionOf(source, issue.path, key);
    const field = pathText(key === undefined ? issue.path : [...issue.path, key]);
    return { where, message: `${field === '' ? '' : `${field}: `}${describeIssue(issue)}` };
  });
}

function invalid(problems: readonly LintProblem[]): PolicyError {
  const first = problems[0];
  return new PolicyError(
    'POLICY_PACK_INVALID',
    problems.map((p) => `${p.where}: ${p.message}`).join('\n') || 'invalid pack',
    first === undefined ? undefined : { where: first.where },
  );
}
