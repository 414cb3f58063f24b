/**
 * Shell command lines as init scripts, inittab and crontabs write them, reduced to the
 * simple commands they run. This is not a shell: it finds `prog args…` in a line well enough
 * to see which daemons start and which hosts are contacted, and ignores what is commented out.
 */

/** One simple command: the program's basename and its arguments (quotes removed). */
export interface SimpleCommand {
  readonly program: string;
  readonly args: readonly string[];
}

/** Drops a `#` comment that starts a word (the shell's rule), outside quotes. */
export function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i += 1;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i += 1;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return line.slice(0, i);
  }
  return line;
}

/** Splits a line into words, treating `; & | ( ) \`` and `$(` as command separators. */
function segments(line: string): string[][] {
  const result: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) result.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] ?? '';
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1] ?? '';
      inWord = true;
      i += 1;
    } else if (/\s/.test(c)) endWord();
    else if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '`')
      endCommand();
    else if (c === '$' && line[i + 1] === '(') {
      endCommand();
      i += 1;
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return result;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Words that run the command after them (`exec telnetd`, `busybox telnetd`, `nohup nc …`). */
const WRAPPERS = new Set([
  'exec',
  'nohup',
  'busybox',
  'sudo',
  'env',
  'nice',
  'setsid',
  'chroot',
  'time',
  'eval',
]);

/** Unwraps start-stop-daemon, procd and the wrappers above to the real program. */
function unwrap(words: readonly string[]): SimpleCommand | undefined {
  let rest = [...words];
  for (let guard = 0; guard < 8 && rest.length > 0; guard += 1) {
    while (rest.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0] ?? '')) rest = rest.slice(1);
    const first = rest[0];
    if (first === undefined) return undefined;
    const program = basename(first);
    if (WRAPPERS.has(program)) {
      rest = rest.slice(1);
      if (program === 'nice')
        while (rest[0]?.startsWith('-') === true) rest = rest.slice(rest[0] === '-n' ? 2 : 1);
      if (program === 'chroot') rest = rest.slice(1);
      continue;
    }
    if (program === 'start-stop-daemon') {
      const exec = rest.findIndex(
        (w) => w === '--exec' || w === '-x' || w === '--startas' || w === '-a',
      );
      const dashdash = rest.indexOf('--');
      const target = exec === -1 ? undefined : rest[exec + 1];
      if (target === undefined) return undefined;
      return { program: basename(target), args: dashdash === -1 ? [] : rest.slice(dashdash + 1) };
    }
    // OpenWrt procd: `procd_set_param command /usr/sbin/dropbear -F -P …`
    if (program === 'procd_set_param' && rest[1] === 'command') {
      rest = rest.slice(2);
      continue;
    }
    if (program === 'service_start') {
      rest = rest.slice(1);
      continue;
    }
    return { program, args: rest.slice(1) };
  }
  return undefined;
}

/** The simple commands a (comment-stripped) shell line runs. */
export function commandsOf(line: string): SimpleCommand[] {
  const result: SimpleCommand[] = [];
  for (const words of segments(stripComment(line))) {
    const command = unwrap(words);
    if (command !== undefined) result.push(command);
  }
  return result;
}
