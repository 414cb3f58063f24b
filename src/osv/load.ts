/**
 * Reads OSV data offline: a directory tree of JSON and YAML records, or the OSV bucket's
 * per-ecosystem zip files (`<ECOSYSTEM>/all.zip`). A file that is not an OSV record is skipped
 * with a warning naming it; bounds stop a hostile tree or archive.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../io/errors.js';
import { readBoundedFile } from '../io/bounded-read.js';
import { parse as parseYaml } from 'yaml';
import { OsvError } from './errors.js';
import { looksLikeOsv, parseOsvRecord, type OsvRecord } from './record.js';
import { DEFAULT_ZIP_LIMITS, readZipEntries, type ZipLimits } from './zip-reader.js';

export interface OsvLoadLimits {
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly maxDepth: number;
  readonly zip: ZipLimits;
}

export const DEFAULT_OSV_LIMITS: OsvLoadLimits = {
  maxFileBytes: 16 * 1024 * 1024,
  maxFiles: 2_000_000,
  maxDepth: 16,
  zip: DEFAULT_ZIP_LIMITS,
};

/** A file or zip entry that was skipped, and why. */
export interface OsvWarning {
  /** The file, or `archive.zip!entry.json` for a zip entry. */
  readonly file: string;
  readonly message: string;
}

export interface OsvLoadResult {
  readonly records: OsvRecord[];
  readonly warnings: OsvWarning[];
  /** How many files and zip entries were read. */
  readonly filesRead: number;
}

const RECORD_FILE = /\.(json|ya?ml)$/i;

/** Parses one file's bytes into records (a JSON array of records is accepted too). */
export function parseOsvDocument(name: string, bytes: Buffer, out: OsvLoadResult): void {
  let value: unknown;
  const text = bytes.toString('utf8');
  try {
    value = /\.ya?ml$/i.test(name) ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (error) {
    out.warnings.push({
      file: name,
      message: `not JSON/YAML: ${(error as Error).message.split('\n')[0] ?? ''}`,
    });
    return;
  }
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  values.forEach((item, i) => {
    const where = values.length > 1 ? `${name}[${i}]` : name;
    if (!looksLikeOsv(item)) {
      out.warnings.push({
        file: where,
        message: 'not an OSV record (no id and modified); skipped',
      });
      return;
    }
    const result = parseOsvRecord(item);
    if (result.ok) out.records.push(result.record);
    else
      out.warnings.push({
        file: where,
        message: `not a valid OSV record: ${result.problems.slice(0, 5).join('; ')}`,
      });
  });
}

function loadZip(
  path: string,
  limits: OsvLoadLimits,
  out: OsvLoadResult & { filesRead: number },
): void {
  for (const entry of readZipEntries(path, limits.zip)) {
    const name = `${path}!${entry.name}`;
    if ('skipped' in entry) {
      out.warnings.push({ file: name, message: `zip entry skipped: ${entry.skipped}` });
      continue;
    }
    if (!RECORD_FILE.test(entry.name)) {
      out.warnings.push({ file: name, message: 'not a .json/.yaml file; skipped' });
      continue;
    }
    out.filesRead += 1;
    if (out.filesRead > limits.maxFiles)
      throw new OsvError('OSV_LIMIT', `more than ${limits.maxFiles} OSV files`);
    parseOsvDocument(name, entry.data, out);
  }
}

function loadTree(
  dir: string,
  depth: number,
  limits: OsvLoadLimits,
  out: OsvLoadResult & { filesRead: number },
): void {
  if (depth > limits.maxDepth) {
    out.warnings.push({
      file: dir,
      message: `deeper than ${limits.maxDepth} directories; skipped`,
    });
    return;
  }
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Symbolic links are not followed: a link back up the tree would loop.
    if (entry.isSymbolicLink()) {
      out.warnings.push({ file: path, message: 'symbolic link; not followed' });
    } else if (entry.isDirectory()) {
      loadTree(path, depth + 1, limits, out);
    } else if (/\.zip$/i.test(entry.name)) {
      loadZip(path, limits, out);
    } else if (RECORD_FILE.test(entry.name)) {
      readRecordFile(path, limits, out);
    } else {
      out.warnings.push({ file: path, message: 'not a .json/.yaml/.zip file; skipped' });
    }
  }
}

function readRecordFile(
  path: string,
  limits: OsvLoadLimits,
  out: OsvLoadResult & { filesRead: number },
  /** Named by the user (not found in a tree): too large is an error, not a file to skip. */
  named = false,
): void {
  let bytes: Buffer;
  try {
    bytes = readBoundedFile(path, { maxBytes: limits.maxFileBytes, what: 'OSV record file' });
  } catch (error) {
    if (!(error instanceof InputError) || error.code !== 'INPUT_TOO_LARGE') throw error;
    if (named) throw new OsvError('OSV_LIMIT', error.message, { where: path, cause: error });
    out.warnings.push({ file: path, message: `${error.message}; skipped` });
    return;
  }
  out.filesRead += 1;
  if (out.filesRead > limits.maxFiles)
    throw new OsvError('OSV_LIMIT', `more than ${limits.maxFiles} OSV files`);
  parseOsvDocument(path, bytes, out);
}

/**
 * Loads every OSV record under the given sources: each a directory (recursive), a zip file,
 * or a single JSON/YAML record file.
 */
export function loadOsvSources(
  sources: readonly string[],
  limits: OsvLoadLimits = DEFAULT_OSV_LIMITS,
): OsvLoadResult {
  const out = { records: [] as OsvRecord[], warnings: [] as OsvWarning[], filesRead: 0 };
  for (const source of sources) {
    let stat;
    try {
      stat = lstatSync(source);
      if (stat.isSymbolicLink()) stat = statSync(source);
    } catch (error) {
      throw new OsvError('OSV_UNREADABLE', `OSV data ${source}: ${(error as Error).message}`, {
        where: source,
        cause: error,
      });
    }
    try {
      if (stat.isDirectory()) loadTree(source, 0, limits, out);
      else if (/\.zip$/i.test(source)) loadZip(source, limits, out);
      else readRecordFile(source, limits, out, true);
    } catch (error) {
      if (error instanceof OsvError) throw error;
      throw new OsvError('OSV_UNREADABLE', `OSV data ${source}: ${(error as Error).message}`, {
        where: source,
        cause: error,
      });
    }
  }
  return out;
}
