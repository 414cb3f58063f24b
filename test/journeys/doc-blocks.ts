/**
 * The blocks of a Markdown page that carry a marker after their language (```sh journey,
 * ```sh runnable, ```text check-output): what the docs promise a reader can run as written, or
 * will see.
 */
import { readFileSync } from 'node:fs';

export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly text: string;
}

/** The blocks of `file` whose fence reads ```<language> <marker>, in page order. */
export function markedBlocks(file: string, marker: string, language = 'sh'): DocBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if ((lines[i] ?? '').trim() !== `\`\`\`${language} ${marker}`) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && (lines[i] ?? '').trim() !== '```'; i += 1) {
      body.push(lines[i] ?? '');
    }
    blocks.push({ file, line: start + 1, text: body.join('\n') });
  }
  return blocks;
}
