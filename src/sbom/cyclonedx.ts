/**
 * Reads a CycloneDX JSON document (spec 1.2–1.6) into the SBOM model: components with nested
 * components, the dependency graph, and services with their endpoints.
 */
import { isObject, list, text, type JsonObject, type ReadLimits } from './fields.js';
import type {
  Component,
  Dependency,
  Deviation,
  SbomDocument,
  Service,
  ServiceEndpoint,
} from './model.js';
import { checkComponentPurl } from './purl-deviation.js';

function licensesOf(value: unknown): string[] {
  // CycloneDX "licenseChoice": [{license: {id | name}}] or [{expression}].
  const out: string[] = [];
  for (const choice of list(value)) {
    if (!isObject(choice)) continue;
    const expression = text(choice.expression);
    if (expression !== null) out.push(expression);
    const license = choice.license;
    if (isObject(license)) {
      const id = text(license.id) ?? text(license.name);
      if (id !== null) out.push(id);
    }
  }
  return out;
}

function supplierOf(value: unknown): string | null {
  return isObject(value) ? text(value.name) : null;
}

/** Reads what an endpoint IRI says: protocol, host, port (when written). */
export function endpointOf(url: string): ServiceEndpoint {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)(?::([0-9]{1,5}))?/i.exec(url);
  if (m === null) return { url, protocol: null, host: null, port: null };
  const port = m[3] === undefined ? null : Number(m[3]);
  return {
    url,
    protocol: (m[1] ?? '').toLowerCase(),
    host: m[2] === undefined || m[2] === '' ? null : m[2],
    port: port !== null && port <= 65535 ? port : null,
  };
}

interface Walk {
  readonly components: Component[];
  readonly services: Service[];
  readonly deviations: Deviation[];
  readonly limits: ReadLimits;
  limited: boolean;
}

function readComponent(value: JsonObject, path: string, primary: boolean, walk: Walk): Component {
  const hashes = list(value.hashes).flatMap((h) =>
    isObject(h) && typeof h.alg === 'string' && typeof h.content === 'string'
      ? [{ alg: h.alg, content: h.content }]
      : [],
  );
  const purl = text(value.purl);
  if (purl !== null) walk.deviations.push(...checkComponentPurl(purl, `${path}/purl`));
  return {
    ref: text(value['bom-ref']) ?? path,
    name: text(value.name) ?? '',
    version: text(value.version),
    group: text(value.group),
    type: text(value.type),
    purl,
    cpe: text(value.cpe),
    supplier: supplierOf(value.supplier) ?? supplierOf(value.manufacturer),
    hashes,
    licenses: licensesOf(value.licenses),
    path,
    primary,
  };
}

function walkComponents(value: unknown, path: string, depth: number, walk: Walk): void {
  const items = list(value);
  if (items.length === 0) return;
  if (depth > walk.limits.maxNesting) {
    walk.deviations.push({
      kind: 'limit',
      path,
      message: `components nested deeper than ${walk.limits.maxNesting} levels; not read`,
    });
    return;
  }
  items.forEach((item, i) => {
    if (walk.limited || !isObject(item)) return;
    if (walk.components.length >= walk.limits.maxComponents) {
      walk.limited = true;
      walk.deviations.push({
        kind: 'limit',
        path: `${path}/${i}`,
        message: `more than ${walk.limits.maxComponents} components; the rest were not read`,
      });
      return;
    }
    const at = `${path}/${i}`;
    walk.components.push(readComponent(item, at, false, walk));
    walkComponents(item.components, `${at}/components`, depth + 1, walk);
  });
}

function propertiesOf(value: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const p of list(value)) {
    if (
      isObject(p) &&
      typeof p.name === 'string' &&
      typeof p.value === 'string' &&
      p.name.startsWith('nospy:')
    ) {
      out[p.name] = p.value;
    }
  }
  return out;
}

function walkServices(value: unknown, path: string, depth: number, walk: Walk): void {
  if (depth > walk.limits.maxNesting) {
    walk.deviations.push({
      kind: 'limit',
      path,
      message: `services nested deeper than ${walk.limits.maxNesting} levels; not read`,
    });
    return;
  }
  list(value).forEach((item, i) => {
    if (!isObject(item) || walk.services.length >= walk.limits.maxEntries) return;
    const at = `${path}/${i}`;
    walk.services.push({
      ref: text(item['bom-ref']) ?? at,
      name: text(item.name) ?? '',
      version: text(item.version),
      provider: supplierOf(item.provider),
      endpoints: list(item.endpoints).flatMap((e) =>
        typeof e === 'string' ? [endpointOf(e)] : [],
      ),
      authenticated: typeof item.authenticated === 'boolean' ? item.authenticated : null,
      trustBoundary:
        typeof item['x-trust-boundary'] === 'boolean' ? item['x-trust-boundary'] : null,
      flows: list(item.data).flatMap((d) =>
        isObject(d) && typeof d.flow === 'string' ? [d.flow] : [],
      ),
      properties: propertiesOf(item.properties),
      path: at,
    });
    walkServices(item.services, `${at}/services`, depth + 1, walk);
  });
}

function readDependencies(value: unknown, known: ReadonlySet<string>, walk: Walk): Dependency[] {
  const out: Dependency[] = [];
  list(value).forEach((item, i) => {
    if (!isObject(item) || out.length >= walk.limits.maxEntries) return;
    const ref = text(item.ref);
    if (ref === null || ref === '') return; // the schema reports it
    const dependsOn = list(item.dependsOn).filter((d): d is string => typeof d === 'string');
    // CycloneDX §dependencies: refs point at components or services of this BOM.
    if (!known.has(ref)) {
      walk.deviations.push({
        kind: 'reference',
        path: `/dependencies/${i}/ref`,
        message: `'${ref}' names no component or service in this BOM`,
      });
    }
    dependsOn.forEach((d, j) => {
      if (!known.has(d)) {
        walk.deviations.push({
          kind: 'reference',
          path: `/dependencies/${i}/dependsOn/${j}`,
          message: `'${d}' names no component or service in this BOM`,
        });
      }
    });
    out.push({ ref, dependsOn });
  });
  return out;
}

/** Reads a parsed CycloneDX document. Never throws on content; what is wrong becomes a deviation. */
export function readCycloneDx(
  doc: JsonObject,
  specVersion: string,
  limits: ReadLimits,
): SbomDocument {
  const walk: Walk = { components: [], services: [], deviations: [], limits, limited: false };
  const metadata = isObject(doc.metadata) ? doc.metadata : undefined;
  if (metadata !== undefined && isObject(metadata.component)) {
    walk.components.push(readComponent(metadata.component, '/metadata/component', true, walk));
    walkComponents(metadata.component.components, '/metadata/component/components', 1, walk);
  }
  walkComponents(doc.components, '/components', 0, walk);
  walkServices(doc.services, '/services', 0, walk);
  const known = new Set<string>([
    ...walk.components.map((c) => c.ref),
    ...walk.services.map((s) => s.ref),
  ]);
  const dependencies = readDependencies(doc.dependencies, known, walk);
  const subject = walk.components.find((c) => c.primary);
  return {
    format: 'CycloneDX',
    specVersion,
    name: subject === undefined ? null : subject.name,
    components: walk.components,
    dependencies,
    services: walk.services,
    deviations: walk.deviations,
  };
}
