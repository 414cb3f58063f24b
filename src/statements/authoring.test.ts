import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorStatement, deviceSubject } from './authoring.js';
import { StatementError } from './errors.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const D = sha('image');

function errorOf(text: string): StatementError {
  try {
    authorStatement(text, 'stmt.yaml');
  } catch (error) {
    if (error instanceof StatementError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const deployment = `type: deployment
subject:
  - name: fw.bin
    sha256: ${D}
operator: telco
device:
  id: er-1
observedAt: 2026-03-20T14:05:00Z
method: ssh-show-version
`;

describe('authoring YAML', () => {
  it('turns a deployment into an in-toto Statement v1 with the nospy predicate type', () => {
    const { name, statement } = authorStatement(deployment, 'stmt.yaml');
    expect(name).toBe('deployment');
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://nospy.dev/predicates/deployment/v1');
    expect(statement.subject).toEqual([{ name: 'fw.bin', digest: { sha256: D } }]);
  });

  it('hashes a subject given by file through the file-system adapter', () => {
    const text = deployment.replace(`    sha256: ${D}`, '    file: images/fw.bin');
    const seen: string[] = [];
    const { statement } = authorStatement(text, 'stmt.yaml', {
      digestOfFile: (path) => {
        seen.push(path);
        return D;
      },
    });
    expect(seen).toEqual(['images/fw.bin']);
    expect(statement.subject[0]?.digest.sha256).toBe(D);
  });

  it('gives an access grant its devices as subjects when none is written', () => {
    const text = `type: access
grantId: G-1
vendor: acme
operator: telco
devices: [er-1]
window: { from: 2026-04-10T08:00:00Z, until: 2026-04-10T12:00:00Z }
sourceNetworks: [198.51.100.0/28]
services: [{ protocol: tcp, ports: [22] }]
purpose: diagnostics
ticket: T-1
`;
    expect(authorStatement(text, 'a.yaml').statement.subject).toEqual([deviceSubject('er-1')]);
    expect(deviceSubject('er-1')).toEqual({
      name: 'device:er-1',
      digest: { sha256: sha('device:er-1') },
    });
  });
});

describe('when the YAML is wrong', () => {
  it('names file:line:column of an unknown field', () => {
    const error = errorOf(`${deployment}firmwareBackdoor: false\n`);
    expect(error.code).toBe('STATEMENT_AUTHORING_INVALID');
    expect(error.message).toBe('stmt.yaml:10:1: firmwareBackdoor: unknown field');
  });

  it('names file:line:column of a bad value', () => {
    const error = errorOf(deployment.replace('ssh-show-version', 'telepathy'));
    expect(error.message).toMatch(
      /^stmt\.yaml:9:1: method: Invalid option: expected one of "ssh-show-version"/,
    );
  });

  it('points a missing field at the mapping that lacks it', () => {
    const error = errorOf(deployment.replace('  id: er-1\n', '  site: fra\n'));
    expect(error.message).toBe(
      'stmt.yaml:7:3: device.id: missing required field (expected string)',
    );
  });

  it('rejects an unknown type, pointing at it', () => {
    expect(errorOf(deployment.replace('type: deployment', 'type: promise')).message).toBe(
      'stmt.yaml:1:1: type must be one of agreement, release, access, deployment, canary, rebuild, inventory',
    );
  });

  it('reports a YAML syntax error with its position', () => {
    expect(errorOf('type: release\nsubject: [\n').message).toMatch(/^stmt\.yaml:\d+:\d+: /);
  });

  it('rejects an invalid CIDR in an access grant, pointing at the list entry', () => {
    const text = `type: access
grantId: G-1
vendor: acme
operator: telco
devices: [er-1]
window: { from: 2026-04-10T08:00:00Z, until: 2026-04-10T12:00:00Z }
sourceNetworks: [198.51.100.1/28]
services: [{ protocol: tcp, ports: [22] }]
purpose: diagnostics
ticket: T-1
`;
    expect(errorOf(text).message).toBe(
      'a.yaml:7:18: sourceNetworks[0]: expected a CIDR prefix such as 192.0.2.0/24'.replace(
        'a.yaml',
        'stmt.yaml',
      ),
    );
  });
});
