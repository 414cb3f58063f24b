import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isNospyError } from '../../src/errors/nospy-error.js';
import { readSbomFile, readSbomText, DEFAULT_SBOM_LIMITS } from '../../src/sbom/read-sbom.js';

const dir = (sub: string) => fileURLToPath(new URL(`../fixtures/sbom/${sub}/`, import.meta.url));
const files = (sub: string) =>
  readdirSync(dir(sub)).map((name) => [name, `${dir(sub)}${name}`] as const);

describe('the published SBOM fixtures', () => {
  describe.each([
    ...files('cyclonedx/bom-examples'),
    ...files('cyclonedx/spec-tests-1.6').filter(([name]) => name.startsWith('valid-')),
    ...files('spdx'),
  ])('%s', (_name, path) => {
    it('reads, and is valid against its schema where nospy ships one', () => {
      const result = readSbomFile(path);
      expect(result.schema.violations).toEqual([]);
      expect(result.schema.valid).toBe(true);
      expect(result.document.deviations).toEqual([]);
    });
  });

  it('validates CycloneDX 1.2–1.6 and SPDX 2.3 against the schema of their version', () => {
    const validated = (p: string) => readSbomFile(p).schema;
    expect(
      validated(`${dir('cyclonedx/bom-examples')}SBOM-laravel-7.12.0.bom.1.4.json`),
    ).toMatchObject({ validated: true, schema: 'bom-1.4.schema.json' });
    expect(
      validated(`${dir('cyclonedx/bom-examples')}SBOM-cern-lhc-vdm-editor-e564943.bom.json`),
    ).toMatchObject({ validated: true, valid: true, schema: 'bom-1.2.schema.json' });
    expect(validated(`${dir('spdx')}SPDXJSONExample-v2.3.spdx.json`)).toMatchObject({
      validated: true,
      schema: 'spdx-2.3-schema.json',
    });
  });

  describe('the invalid-* CycloneDX 1.6 spec tests', () => {
    it.each([
      [
        'invalid-bomformat-1.6.json',
        [{ path: '/bomFormat', line: 3, column: 16, message: 'must be one of "CycloneDX"' }],
      ],
      [
        'invalid-dependency-1.6.json',
        [
          {
            path: '/dependencies/0',
            line: 28,
            column: 5,
            message: "missing required property 'ref'",
          },
          {
            path: '/dependencies/1/ref',
            line: 32,
            column: 14,
            message: 'must be at least 1 character(s) long',
          },
        ],
      ],
      [
        'invalid-service-data-1.6.json',
        [
          {
            path: '/services/0/data/0/flow',
            line: 16,
            column: 19,
            message: 'must be one of "inbound", "outbound", "bi-directional", "unknown"',
          },
        ],
      ],
    ])('%s fails validation with the precise path, position and reason', (name, violations) => {
      const result = readSbomFile(`${dir('cyclonedx/spec-tests-1.6')}${name}`);
      expect(result.schema.valid).toBe(false);
      expect(result.schema.violations).toEqual(violations);
    });
  });

  describe('CycloneDX 1.2 and 1.3 (the CERN 1.2 example, and the same BOM declared 1.3)', () => {
    const cern = readFileSync(
      `${dir('cyclonedx/bom-examples')}SBOM-cern-lhc-vdm-editor-e564943.bom.json`,
      'utf8',
    );
    const as13 = cern.replace('"specVersion": "1.2"', '"specVersion": "1.3"');

    it('validates the 1.3 form against bom-1.3', () => {
      expect(readSbomText('cern-1.3.json', as13).schema).toEqual({
        validated: true,
        schema: 'bom-1.3.schema.json',
        valid: true,
        violations: [],
      });
    });

    it.each([
      ['1.2', cern, 'bom-1.2.schema.json'],
      ['1.3', as13, 'bom-1.3.schema.json'],
    ])(
      'under %s, a component without a version (required before 1.4) fails with its position',
      (_version, text, schema) => {
        // The first component's version line, removed: the component stays well-formed JSON.
        const broken = text.replace('"version": "1.19.0",\n', '');
        expect(broken).not.toBe(text);
        const result = readSbomText('cern.json', broken);
        expect(result.schema).toMatchObject({ validated: true, schema, valid: false });
        expect(result.schema.violations).toEqual([
          {
            path: '/components/0',
            line: 46,
            column: 5,
            message: "missing required property 'version'",
          },
        ]);
      },
    );

    it('under 1.2, a hash algorithm outside the 1.2 list fails naming the allowed ones', () => {
      const broken = cern.replace('"alg": "SHA-512"', '"alg": "SHA-999"');
      const [violation, ...rest] = readSbomText('cern.json', broken).schema.violations;
      expect(rest).toEqual([]);
      expect(violation).toMatchObject({ path: '/components/0/hashes/0/alg', line: 54 });
      expect(violation?.message).toMatch(/^must be one of "MD5", "SHA-1", "SHA-256"/);
    });
  });

  describe('the SaaSBOM example', () => {
    it('reads services with endpoints, trust boundary and data flows', () => {
      const { document } = readSbomFile(
        `${dir('cyclonedx/bom-examples')}SaaSBOM-apigateway-microservices-datastores.bom.json`,
      );
      expect(document.services.length).toBe(6);
      const first = document.services[0]!;
      expect(first.endpoints.length).toBeGreaterThan(0);
      expect(first.endpoints[0]).toMatchObject({ protocol: 'https' });
      expect(first.flows.length).toBeGreaterThan(0);
    });
  });

  describe('the SPDX 2.3 example', () => {
    it('reads packages with purls, CPEs, checksums, licences and the dependency graph', () => {
      const { document } = readSbomFile(`${dir('spdx')}SPDXJSONExample-v2.3.spdx.json`);
      const glibc = document.components.find((c) => c.name === 'glibc');
      expect(glibc).toMatchObject({ ref: 'SPDXRef-Package', version: '2.11.1', primary: true });
      expect(glibc?.cpe).toMatch(/^cpe:2\.3:a:/);
      expect(glibc?.hashes.length).toBeGreaterThan(0);
      expect(document.components.some((c) => c.purl?.startsWith('pkg:maven/') === true)).toBe(true);
      expect(document.dependencies.length).toBeGreaterThan(0);
    });
  });
});

describe('a firmware SBOM with the faults real SBOMs carry', () => {
  const result = readSbomFile(`${dir('firmware')}router-1.5.cdx.json`);

  it('is valid against bom-1.5 and lists every component, nested ones included', () => {
    expect(result.schema).toMatchObject({ validated: true, valid: true });
    expect(result.document.components.map((c) => c.ref)).toEqual([
      'fw',
      'busybox',
      'dnsmasq',
      'dnsmasq-tag',
      'dropbear',
      'broken',
      'nested',
    ]);
    expect(result.document.components[0]).toMatchObject({
      primary: true,
      type: 'firmware',
      supplier: 'Example Networks',
    });
  });

  it('reports each malformed purl as a deviation on its component, with its position', () => {
    const purls = result.document.deviations.filter((d) => d.kind === 'purl');
    expect(purls).toEqual([
      {
        kind: 'purl',
        path: '/components/4/purl',
        line: 51,
        column: 15,
        message:
          "purl 'pkg:deb/ubuntu/libbroken?arch=src?distro=focal': purl has more than one '?'; read the extra '?' as '&'",
      },
      {
        kind: 'purl',
        path: '/components/4/components/0/purl',
        line: 58,
        column: 19,
        message: "malformed purl 'npm/not-a-purl@0.1': purl does not start with 'pkg:'",
      },
    ]);
  });

  it('reports a dependency on a ref that names nothing', () => {
    expect(result.document.deviations.filter((d) => d.kind === 'reference')).toMatchObject([
      {
        path: '/dependencies/2/dependsOn/0',
        message: "'ghost' names no component or service in this BOM",
      },
    ]);
  });

  it('reads the declared service with its port, protocol and nospy properties', () => {
    expect(result.document.services).toMatchObject([
      {
        ref: 'ssh',
        endpoints: [{ url: 'ssh://0.0.0.0:22', protocol: 'ssh', host: '0.0.0.0', port: 22 }],
        authenticated: true,
        trustBoundary: true,
        flows: ['bi-directional'],
        properties: { 'nospy:direction': 'listen', 'nospy:transport': 'tcp', 'nospy:port': '22' },
      },
    ]);
  });
});

describe('bounds and unreadable input', () => {
  it('rejects text that is not JSON with SBOM_SYNTAX and a position', () => {
    expect(() => readSbomText('x.json', '{\n  "bomFormat": "CycloneDX",\n  oops\n}')).toThrow(
      expect.objectContaining({
        code: 'SBOM_SYNTAX',
        message: expect.stringMatching(/^x\.json:3:3: not valid JSON/),
      }),
    );
  });

  it('rejects JSON nested deeper than the limit with SBOM_LIMIT before parsing', () => {
    const deep = `{"bomFormat":"CycloneDX","x":${'['.repeat(600)}${']'.repeat(600)}}`;
    expect(() => readSbomText('deep.json', deep)).toThrow(
      expect.objectContaining({ code: 'SBOM_LIMIT' }),
    );
  });

  it('stops reading components at the component limit and says so', () => {
    const doc = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: Array.from({ length: 5 }, (_, i) => ({ type: 'library', name: `c${i}` })),
    };
    const result = readSbomText('many.json', JSON.stringify(doc), {
      ...DEFAULT_SBOM_LIMITS,
      maxComponents: 3,
    });
    expect(result.document.components.length).toBe(3);
    expect(result.document.deviations).toMatchObject([{ kind: 'limit', path: '/components/3' }]);
  });

  it('stops at the nesting limit of components inside components', () => {
    let component: Record<string, unknown> = { type: 'library', name: 'leaf' };
    for (let i = 0; i < 5; i += 1)
      component = { type: 'library', name: `level${i}`, components: [component] };
    const doc = { bomFormat: 'CycloneDX', specVersion: '1.6', components: [component] };
    const result = readSbomText('nested.json', JSON.stringify(doc), {
      ...DEFAULT_SBOM_LIMITS,
      maxNesting: 2,
    });
    expect(result.document.components.length).toBe(3);
    expect(result.document.deviations[0]).toMatchObject({
      kind: 'limit',
      message: expect.stringContaining('deeper than 2'),
    });
  });

  it('reports duplicate items where the schema requires unique ones, naming both indexes', () => {
    const doc = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        { type: 'library', name: 'x', version: '1' },
        { type: 'library', name: 'y' },
        { version: '1', name: 'x', type: 'library' },
      ],
    };
    const result = readSbomText('dup.json', JSON.stringify(doc, null, 1));
    expect(result.schema.violations).toEqual([
      {
        path: '/components',
        line: 4,
        column: 16,
        message: 'must NOT have duplicate items (items 0 and 2 are identical)',
      },
    ]);
  });

  it('rejects a document that is neither CycloneDX nor SPDX with SBOM_FORMAT_UNKNOWN', () => {
    expect(() => readSbomText('x.json', '{"name": "x"}')).toThrow(
      expect.objectContaining({ code: 'SBOM_FORMAT_UNKNOWN' }),
    );
  });

  test.prop([fc.jsonValue({ maxDepth: 4 })], { numRuns: 60 })(
    'never crashes on arbitrary content in CycloneDX fields: it reads or throws an SbomError',
    (value) => {
      const doc = {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        components: value,
        services: value,
        dependencies: value,
        metadata: { component: value },
      };
      try {
        readSbomText('random.json', JSON.stringify(doc));
      } catch (error) {
        expect(isNospyError(error)).toBe(true);
      }
    },
  );
});
