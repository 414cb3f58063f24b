/**
 * The `POST /add` clients of bench/writes, in their own process: autocannon with a distinct
 * entry per request (its command line cannot vary the body), printing autocannon's JSON result.
 *
 *   node bench/writes/add-load.mjs <url> <connections> <seconds> <token>
 */
import autocannon from 'autocannon';

const [url = '', connections = '256', seconds = '5', token = ''] = process.argv.slice(2);
// Unique across runs against one log: a repeated entry would be answered from the index.
const run = `${process.pid}-${Date.now().toString(36)}`;
let next = 0;
const result = await autocannon({
  url: `${url}/add`,
  connections: Number(connections),
  duration: Number(seconds),
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
  requests: [
    {
      setupRequest: (/** @type {Record<string, unknown>} */ request) => ({
        ...request,
        body: `bench entry ${run} ${next++}`,
      }),
    },
  ],
});
process.stdout.write(`${JSON.stringify(result)}\n`);
