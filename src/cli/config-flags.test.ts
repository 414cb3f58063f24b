import { describe, expect, it } from 'vitest';
import { LogError } from '../log/errors.js';
import { configFlags, toInt } from './config-flags.js';

describe('the config settings a command takes as flags', () => {
  describe('when no flag is given', () => {
    it('sets nothing, leaving every setting to the environment and the file', () => {
      expect(configFlags({})).toEqual([]);
    });
  });

  describe('when every flag is given', () => {
    it('sets data, server.port (as a number), server.host and trust, naming each flag', () => {
      expect(configFlags({ data: 'd', port: '9000', host: '0.0.0.0', trust: 't.yaml' })).toEqual([
        { flag: '--data', path: ['data'], value: 'd' },
        { flag: '--port', path: ['server', 'port'], value: 9000 },
        { flag: '--host', path: ['server', 'host'], value: '0.0.0.0' },
        { flag: '--trust', path: ['trust'], value: 't.yaml' },
      ]);
    });
  });

  describe('when --port is not a non-negative integer', () => {
    it.each(['-1', '8080x', '', '01', '1e3'])('rejects %j with LOG_USAGE naming --port', (port) => {
      try {
        configFlags({ port });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(LogError);
        expect((error as LogError).code).toBe('LOG_USAGE');
        expect((error as LogError).message).toContain('--port');
      }
    });
  });
});

describe('an integer flag', () => {
  it('reads 0 and the largest nine-digit value', () => {
    expect(toInt('--n', '0')).toBe(0);
    expect(toInt('--n', '999999999')).toBe(999_999_999);
  });

  it('rejects a ten-digit value, which no count or port needs', () => {
    expect(() => toInt('--n', '1000000000')).toThrow(LogError);
  });
});
