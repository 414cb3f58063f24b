/**
 * What the CLI's human output may assume of where it goes: how wide it is and whether to colour.
 */

/** Columns when the output is not a terminal (a pipe, a file) or a terminal does not say. */
export const DEFAULT_COLUMNS = 80;

type Stream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as Stream).isTTY === true;
}

/** The terminal's width (`columns` of a TTY stream), else {@link DEFAULT_COLUMNS}. */
export function outputColumns(stream: NodeJS.WritableStream): number {
  const columns = (stream as Stream).columns;
  return isTerminal(stream) && typeof columns === 'number' && columns > 0
    ? columns
    : DEFAULT_COLUMNS;
}

/**
 * Whether to colour what goes to `stream`, the way Node decides for its own output
 * (tty.WriteStream#getColorDepth) and no-color.org asks:
 * - `FORCE_COLOR` set: colour when it is empty, `1`, `2`, `3` or `true`; any other value
 *   (`0`, `false`) is no colour. It wins over the rest, as in Node and chalk.
 * - else `NO_COLOR` set and not empty (whatever its value): no colour.
 * - else `TERM=dumb`: no colour.
 * - else colour only on a terminal: never escape codes in a pipe or a file.
 */
export function colourWanted(
  env: Readonly<Record<string, string | undefined>>,
  stream: NodeJS.WritableStream,
): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  const noColour = env['NO_COLOR'];
  if (noColour !== undefined && noColour !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return isTerminal(stream);
}
