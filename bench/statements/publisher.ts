/**
 * The publishers of bench/statements, in their own process (as vendors are): signs `count`
 * distinct release envelopes first (signing is not measured), then `concurrency` keep-alive
 * clients POST them to `<url>/v1/statements` back to back for `seconds`, and prints
 * `{"done":…,"seconds":…,"bad":…}`. Every answer must be 200; others are counted as bad.
 *
 *   node --import tsx bench/statements/publisher.ts <url> <concurrency> <seconds> <count>
 */
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serializeEnvelope } from '../../src/statements/dsse.js';
import { loadPrivateKeyFile, loadStatementFile } from '../../src/statements/files.js';
import { RELEASE_PREDICATE_TYPE } from '../../src/statements/predicates/release.js';
import { signStatement } from '../../src/statements/sign.js';

const [url = '', concurrencyText = '32', secondsText = '4', countText = '20000'] =
  process.argv.slice(2);
const concurrency = Number(concurrencyText);
const seconds = Number(secondsText);
const count = Number(countText);

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const acme = loadPrivateKeyFile(`${examples}keys/example-acme-vendor.key`);
const release = loadStatementFile(`${examples}statements/release.yaml`).statement;
if (release.predicateType !== RELEASE_PREDICATE_TYPE) throw new Error('not a release');
const base = release.predicate;
// A run-unique tag: a second load against the same log publishes new statements, not old ones.
const run = Date.now().toString(36);
const bodies: Buffer[] = [];
for (let i = 0; i < count; i += 1) {
  const statement = { ...release, predicate: { ...base, version: `${base.version}-${run}.${i}` } };
  bodies.push(serializeEnvelope(signStatement(statement, acme)));
}

const target = new URL('/v1/statements', url);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post(body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let next = 0;
// Warm-up, not counted: the server's verifying threads start with its first submissions.
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let i = 0; i < 4 && next < bodies.length; i += 1) await post(bodies[next++] as Buffer);
  }),
);
let done = 0;
let bad = 0;
const start = process.hrtime.bigint();
const stopAt = start + BigInt(Math.round(seconds * 1e9));
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (process.hrtime.bigint() < stopAt && next < bodies.length) {
      const status = await post(bodies[next++] as Buffer);
      if (status === 200) done += 1;
      else bad += 1;
    }
  }),
);
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
agent.destroy();
process.stdout.write(`${JSON.stringify({ done, seconds: elapsed, bad })}\n`);
