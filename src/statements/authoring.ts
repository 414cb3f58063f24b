/**
 * The authoring format: a YAML file a person writes and `nospy statement sign` turns into a
 * signed in-toto Statement.
 *
 *   type: release                 # agreement | release | access | deployment | canary | rebuild | inventory
 *   subject:                      # optional for access (the devices), canary (the text) and
 *                                 # rebuild (the released image)
 *     - name: edgeos-3.1.0.bin
 *       sha256: 3f5a…             # or  file: images/edgeos-3.1.0.bin  (hashed on signing)
 *   vendor: acme                  # every other top-level field is the predicate
 *   sbom: { format: cyclonedx, digest: sha256:9c1e… }   # a digest may be written sha256:<hex>
 *
 * Every problem names `file:line:column`.
 */
import { createHash } from 'node:crypto';
import { StatementError } from './errors.js';
import { ACCESS_PREDICATE_TYPE } from './predicates/access.js';
import { CANARY_PREDICATE_TYPE } from './predicates/canary.js';
import { REBUILD_PREDICATE_TYPE } from './predicates/rebuild.js';
import {
  checkStatement,
  formatIssue,
  IN_TOTO_STATEMENT_TYPE,
  PREDICATE_NAMES,
  PREDICATES,
  type PredicateName,
  type Statement,
  type StatementIssue,
} from './statement.js';
import {
  locate,
  parseStatementYaml,
  statementYamlValue,
  type YamlSource,
} from './yaml-document.js';

/** Largest authoring file read: statements are pages, not data sets. */
export const MAX_AUTHORING_BYTES = 256 * 1024;

export interface AuthoringOptions {
  /** The sha256 (hex) of a file a subject names with `file:`, relative to the YAML file. */
  readonly digestOfFile?: (path: string, where: string) => string;
  /**
   * A release's SBOM and MUD documents given as files (`nospy statement sign --sbom/--mud`): their
   * digests replace the YAML's, so a statement cannot name other bytes than the ones uploaded.
   */
  readonly documents?: ReleaseDocuments;
}

/** A release's SBOM and MUD file, hashed (and, when uploaded, in the blob store). */
export interface ReleaseDocuments {
  readonly sbom?: {
    readonly sha256: string;
    readonly format: 'cyclonedx' | 'spdx';
    readonly inBlobStore: boolean;
  };
  readonly mud?: { readonly sha256: string; readonly inBlobStore: boolean };
}

export interface AuthoredStatement {
  readonly name: PredicateName;
  readonly statement: Statement;
}

/** The subject name nospy gives a device in an access grant; its digest is sha256 of this name. */
export function deviceSubject(device: string): { name: string; digest: { sha256: string } } {
  const name = `device:${device}`;
  return { name, digest: { sha256: sha256Hex(name) } };
}

/** Turns authoring YAML into a statement; throws STATEMENT_AUTHORING_INVALID naming file:line:col. */
export function authorStatement(
  text: string,
  file: string,
  options: AuthoringOptions = {},
): AuthoredStatement {
  if (Buffer.byteLength(text, 'utf8') > MAX_AUTHORING_BYTES) {
    throw new StatementError(
      'STATEMENT_AUTHORING_INVALID',
      `${file}: more than the ${MAX_AUTHORING_BYTES} bytes a statement file may have`,
      { where: file },
    );
  }
  const source = parseStatementYaml(text, file, 'STATEMENT_AUTHORING_INVALID');
  const raw: unknown = statementYamlValue(source, 'STATEMENT_AUTHORING_INVALID');
  if (!isRecord(raw))
    throw problem(
      source,
      [],
      'a statement file is a mapping with type, subject and the predicate fields',
    );
  const { type, subject, ...fields } = raw;
  if (typeof type !== 'string' || !(PREDICATE_NAMES as string[]).includes(type)) {
    throw problem(source, ['type'], `type must be one of ${PREDICATE_NAMES.join(', ')}`);
  }
  const name = type as PredicateName;
  const predicate = withDocuments(name, friendlyDigests(fields), options.documents, source);
  const subjects =
    subject === undefined
      ? defaultSubjects(name, predicate, source)
      : friendlySubjects(subject, source, options);
  const statement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: subjects,
    predicateType: PREDICATES[name].predicateType,
    predicate,
  };
  const checked = checkStatement(statement);
  if (!checked.ok) throw issuesError(source, checked.issues);
  return { name: checked.name, statement: checked.statement };
}

/** A release predicate with the given documents' digests (and the SBOM's format when absent). */
function withDocuments(
  name: PredicateName,
  predicate: Record<string, unknown>,
  documents: ReleaseDocuments | undefined,
  source: YamlSource,
): Record<string, unknown> {
  if (documents?.sbom === undefined && documents?.mud === undefined) return predicate;
  if (name !== 'release') {
    throw problem(source, ['type'], '--sbom and --mud belong to a release statement');
  }
  const out = { ...predicate };
  const { sbom, mud } = documents;
  if (sbom !== undefined) {
    const given = isRecord(out.sbom) ? out.sbom : {};
    out.sbom = {
      ...given,
      format: given.format ?? sbom.format,
      digest: { sha256: sbom.sha256 },
      ...(sbom.inBlobStore ? { inBlobStore: true } : {}),
    };
  }
  if (mud !== undefined) {
    const given = isRecord(out.mud) ? out.mud : {};
    out.mud = {
      ...given,
      digest: { sha256: mud.sha256 },
      ...(mud.inBlobStore ? { inBlobStore: true } : {}),
    };
  }
  return out;
}

/** `digest: sha256:<hex>` → `digest: { sha256: <hex> }`, anywhere in the predicate. */
function friendlyDigests(value: unknown): Record<string, unknown> {
  const walk = (node: unknown, key: string | undefined): unknown => {
    if (key === 'digest' || key === 'textDigest') {
      if (typeof node === 'string' && node.startsWith('sha256:')) return { sha256: node.slice(7) };
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, undefined));
    if (isRecord(node))
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    return node;
  };
  return walk(value, undefined) as Record<string, unknown>;
}

function friendlySubjects(
  value: unknown,
  source: YamlSource,
  options: AuthoringOptions,
): unknown[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw problem(source, ['subject'], 'subject must be a list of {name, sha256} or {name, file}');
  }
  return value.map((entry: unknown, index) => {
    const path = ['subject', index];
    if (!isRecord(entry))
      throw problem(source, path, 'a subject is {name, sha256} or {name, file}');
    const { name, sha256, file, ...rest } = entry;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined)
      throw problem(source, [...path, unknown], `unknown subject field "${unknown}"`);
    if ((sha256 === undefined) === (file === undefined)) {
      throw problem(source, path, 'a subject has exactly one of sha256 or file');
    }
    if (file !== undefined) {
      if (typeof file !== 'string') throw problem(source, [...path, 'file'], 'file must be a path');
      if (options.digestOfFile === undefined) {
        throw problem(source, [...path, 'file'], 'subjects given by file need the file system');
      }
      const where = locate(source, [...path, 'file']);
      return { name: name ?? file, digest: { sha256: options.digestOfFile(file, where) } };
    }
    return { name, digest: { sha256 } };
  });
}

/** Subjects derived from the predicate where there is no file to name. */
function defaultSubjects(
  name: PredicateName,
  predicate: Record<string, unknown>,
  source: YamlSource,
): unknown[] {
  if (
    PREDICATES[name].predicateType === ACCESS_PREDICATE_TYPE &&
    Array.isArray(predicate.devices)
  ) {
    return predicate.devices.map((d) => deviceSubject(String(d)));
  }
  if (PREDICATES[name].predicateType === CANARY_PREDICATE_TYPE) {
    const text = predicate.text;
    const textDigest = predicate.textDigest;
    const digest =
      typeof text === 'string'
        ? sha256Hex(text)
        : isRecord(textDigest) && typeof textDigest.sha256 === 'string'
          ? textDigest.sha256
          : undefined;
    if (digest !== undefined) {
      const until = isRecord(predicate.period) ? String(predicate.period.until) : '';
      return [{ name: `canary:${String(predicate.vendor)}:${until}`, digest: { sha256: digest } }];
    }
  }
  if (PREDICATES[name].predicateType === REBUILD_PREDICATE_TYPE && isRecord(predicate.release)) {
    // The released image the attestation is about, named after the release's log index.
    const { index, digest } = predicate.release;
    if (isRecord(digest) && typeof digest.sha256 === 'string')
      return [{ name: `release:${String(index)}`, digest: { sha256: digest.sha256 } }];
  }
  throw problem(source, [], `a ${name} statement needs a subject list`);
}

function issuesError(source: YamlSource, issues: readonly StatementIssue[]): StatementError {
  const problems = issues.map((issue) => {
    const yamlPath = toYamlPath(issue.path);
    const where = locate(source, yamlPath);
    return { where, text: `${where}: ${formatIssue({ path: yamlPath, message: issue.message })}` };
  });
  return new StatementError('STATEMENT_AUTHORING_INVALID', problems.map((p) => p.text).join('\n'), {
    where: problems[0]?.where ?? source.file,
  });
}

/** Statement paths → authoring paths: predicate fields sit at the top level of the YAML. */
function toYamlPath(path: readonly (string | number)[]): (string | number)[] {
  if (path[0] === 'predicate') return path.slice(1);
  if (path[0] === 'subject') return path.slice(0, 2);
  return [...path];
}

function problem(
  source: YamlSource,
  path: readonly (string | number)[],
  message: string,
): StatementError {
  const where = locate(source, path);
  return new StatementError('STATEMENT_AUTHORING_INVALID', `${where}: ${message}`, { where });
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
