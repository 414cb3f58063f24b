/**
 * The structure check (`npm run structure`, `.dependency-cruiser.mjs`) must be able to fail: these
 * cases run its own rules with one exemption taken away and expect the chain it then finds.
 * The project as it is passes the check in `npm test` itself.
 */
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CRUISE_TIMEOUT = 180_000;

async function violationsOf(
  files: readonly string[],
  change: (rules: NonNullable<ICruiseOptions['ruleSet']>) => void,
): Promise<ICruiseResult['summary']['violations']> {
  const options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.mjs`);
  const ruleSet = structuredClone(options.ruleSet ?? {});
  change(ruleSet);
  const { output } = await cruise(
    [...files],
    { ...options, baseDir: ROOT, ruleSet, validate: true, outputType: 'json' },
    {},
    { tsConfig: extractTSConfig(`${ROOT}tsconfig.json`) },
  );
  const result: ICruiseResult = typeof output === 'string' ? JSON.parse(output) : output;
  return result.summary.violations;
}

function pureCore(rules: NonNullable<ICruiseOptions['ruleSet']>) {
  const rule = rules.forbidden?.find((r) => r.name === 'pure-core');
  if (rule === undefined) throw new Error('no pure-core rule in .dependency-cruiser.mjs');
  return rule;
}

describe('the structure check', () => {
  describe("when a part's loader is not left out of the pure cores", () => {
    it(
      'names the chain from the MUD loader to node:fs',
      async () => {
        const violations = await violationsOf(['src/mud/load.ts'], (rules) => {
          pureCore(rules).from = { path: '^src/mud/' };
        });
        expect(violations.map((v) => [v.rule.name, v.from, v.to])).toContainEqual([
          'pure-core',
          'src/mud/load.ts',
          'fs',
        ]);
      },
      CRUISE_TIMEOUT,
    );
  });

  describe('when the chain to the server is made of type-only imports', () => {
    it(
      'still names it',
      async () => {
        const violations = await violationsOf(['src/log/witness-server.ts'], (rules) => {
          pureCore(rules).from = { path: '^src/log/witness-server[.]ts$' };
        });
        expect(violations.map((v) => [v.from, v.to])).toContainEqual([
          'src/log/witness-server.ts',
          'src/server/log-routes.ts',
        ]);
      },
      CRUISE_TIMEOUT,
    );
  });
});
