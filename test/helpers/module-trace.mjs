// `node --import ./module-trace.mjs …`: appends the URL of every ES module (and every package entry
// an ES module imports) the process loads to the file NOSPY_MODULE_TRACE names, one a line.
// Appended synchronously from the hooks thread, so no line is lost when the process exits.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
const file = process.env.NOSPY_MODULE_TRACE;
export async function load(url, context, next) {
  if (file) appendFileSync(file, url + '\\n');
  return next(url, context);
}`)}`,
);
