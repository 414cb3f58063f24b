import { describe, expect, it } from 'vitest';
import { parseYamlSource, positionOf } from './source.js';

const TEXT = `server:
  port: 8080
  hosts:
    - a.example
    - b.example
name: nospy
`;

describe('reading YAML text with positions', () => {
  describe('when the text is well formed', () => {
    it('returns the document and no syntax problem', () => {
      const { source, syntax } = parseYamlSource(TEXT, 'nospy.yaml');
      expect(syntax).toBeUndefined();
      expect(source.file).toBe('nospy.yaml');
      expect(source.doc.toJS()).toEqual({
        server: { port: 8080, hosts: ['a.example', 'b.example'] },
        name: 'nospy',
      });
    });

    it('reads JSON as the YAML 1.2 subset it is', () => {
      const { source, syntax } = parseYamlSource('{"a": [1, 2]}', 'x.json');
      expect(syntax).toBeUndefined();
      expect(source.doc.toJS()).toEqual({ a: [1, 2] });
    });
  });

  describe('when the text has a syntax error', () => {
    it('names the file, line and column of the first one', () => {
      const { syntax } = parseYamlSource('a: 1\nb: [1, 2\n', 'bad.yaml');
      expect(syntax?.where).toMatch(/^bad\.yaml:\d+:\d+$/);
      expect(syntax?.message).not.toBe('');
    });

    it('treats a key given twice in one mapping as an error at the second', () => {
      const { syntax } = parseYamlSource('a: 1\nb: 2\na: 3\n', 'twice.yaml');
      expect(syntax?.where).toBe('twice.yaml:3:1');
    });
  });
});

describe('the position of a value', () => {
  const { source } = parseYamlSource(TEXT, 'nospy.yaml');

  it('is the start of the value along a path of keys and indices', () => {
    expect(positionOf(source, ['server', 'port'])).toBe('nospy.yaml:2:9');
    expect(positionOf(source, ['server', 'hosts', 1])).toBe('nospy.yaml:5:7');
  });

  it('is the deepest node the document has when the value is missing', () => {
    expect(positionOf(source, ['server', 'missing'])).toBe('nospy.yaml:2:3');
    expect(positionOf(source, ['server', 'hosts', 7])).toBe('nospy.yaml:4:5');
  });

  it('is the key itself when asked for a key inside the mapping at the path', () => {
    expect(positionOf(source, ['server'], 'hosts')).toBe('nospy.yaml:3:3');
  });

  it('is the key of a scalar value when scalars are located at their key', () => {
    expect(positionOf(source, ['server', 'port'], undefined, { scalarAtKey: true })).toBe(
      'nospy.yaml:2:3',
    );
    expect(positionOf(source, ['server', 'hosts'], undefined, { scalarAtKey: true })).toBe(
      'nospy.yaml:4:5',
    );
  });
});
