import { CliError } from './errors.js';

/** `--now <time>`: the instant a verification is judged at, as an RFC 3339 time. */
export function parseNow(text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new CliError(
      'CLI_USAGE',
      `--now ${text}: expected an RFC 3339 time such as 2026-06-01T00:00:00Z`,
    );
  }
  return date;
}
