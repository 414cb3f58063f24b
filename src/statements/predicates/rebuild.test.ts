import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authorStatement } from '../authoring.js';
import { StatementError } from '../errors.js';

const example = readFileSync(
  fileURLToPath(new URL('../../../examples/statements/rebuild.yaml', import.meta.url)),
  'utf8',
);

function problems(text: string): string {
  try {
    authorStatement(text, 'rebuild.yaml');
  } catch (error) {
    if (error instanceof StatementError) return error.message;
    throw error;
  }
  throw new Error('expected the statement to be refused');
}

describe('the rebuild predicate', () => {
  it('authors the example, with the released image as its subject', () => {
    const { name, statement } = authorStatement(example, 'rebuild.yaml');
    expect(name).toBe('rebuild');
    expect(statement.predicateType).toBe('https://nospy.dev/predicates/rebuild/v1');
    expect(statement.subject).toEqual([
      {
        name: 'release:1',
        digest: { sha256: '715f905400a0f59443bcc9827993e463f9a5c1e3d25a29bba896bd94829c9790' },
      },
    ]);
  });

  it('refuses a different verdict for a build that produced the release digest', () => {
    const text = example
      .replace('verdict: equivalent', 'verdict: different')
      .replace(
        'digest: sha256:baa5a0964d3320fbc0c6a922140453c8513ea24ab8fd0577034804a967248096',
        'digest: sha256:715f905400a0f59443bcc9827993e463f9a5c1e3d25a29bba896bd94829c9790',
      );
    expect(problems(text)).toMatch(
      /rebuild\.yaml:\d+:\d+: verdict: is different, but the build produced the release digest/,
    );
  });

  it('requires the diff report when the build produced another digest', () => {
    const text = example.replace(/diffReport:\n( {2}.*\n)+/, '');
    expect(problems(text)).toMatch(/diffReport: is required when the build did not produce/);
  });

  it('takes a build that produced the release digest without a diff report', () => {
    const text = example
      .replace(/diffReport:\n( {2}.*\n)+/, '')
      .replace(
        'digest: sha256:baa5a0964d3320fbc0c6a922140453c8513ea24ab8fd0577034804a967248096',
        'digest: sha256:715f905400a0f59443bcc9827993e463f9a5c1e3d25a29bba896bd94829c9790',
      );
    expect(authorStatement(text, 'rebuild.yaml').name).toBe('rebuild');
  });

  it('rejects an unknown field and a source URI that is not one, naming where', () => {
    expect(problems(`${example}speed: fast\n`)).toMatch(
      /rebuild\.yaml:\d+:\d+: speed: unknown field/,
    );
    expect(
      problems(example.replace('uri: https://git.acme.example/er/firmware', 'uri: not a uri')),
    ).toMatch(/source\.uri: expected a VCS URI/);
  });

  it('takes an scp-like git URI', () => {
    const text = example.replace(
      'uri: https://git.acme.example/er/firmware',
      'uri: git@git.acme.example:er/firmware.git',
    );
    expect(authorStatement(text, 'rebuild.yaml').name).toBe('rebuild');
  });

  it('refuses a verdict other than equivalent or different', () => {
    expect(problems(example.replace('verdict: equivalent', 'verdict: close enough'))).toMatch(
      /verdict/,
    );
  });
});

describe('the release-reproduced agreement clause', () => {
  const agreement = readFileSync(
    fileURLToPath(new URL('../../../examples/statements/agreement.yaml', import.meta.url)),
    'utf8',
  ).replace(
    'clauses:\n',
    'clauses:\n  - { clause: release-reproduced, evaluators: 2, within_days: 30 }\n',
  );

  it('takes a number of evaluators and a window in days', () => {
    const { statement } = authorStatement(agreement, 'agreement.yaml');
    if (statement.predicateType !== 'https://nospy.dev/predicates/agreement/v1')
      throw new Error('not an agreement');
    expect(statement.predicate.clauses[0]).toEqual({
      clause: 'release-reproduced',
      evaluators: 2,
      within_days: 30,
    });
  });

  it('refuses no evaluator at all, naming the field', () => {
    expect(problems(agreement.replace('evaluators: 2', 'evaluators: 0'))).toMatch(
      /clauses\[0\]\.evaluators: Too small/,
    );
  });
});
