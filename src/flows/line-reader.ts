import { createReadStream } from 'node:fs';
import { errorText } from '../errors/error-text.js';
import { FlowError, type FlowErrorCode } from './errors.js';

/** One line of a text file, without its line ending, its 1-based number and its byte offset. */
export interface TextLine {
  readonly text: string;
  readonly line: number;
  /** Where the line starts in the file, in bytes. */
  readonly offset: number;
}

/**
 * Streams the lines of a file, never holding more than one line (bounded by `maxLineBytes`)
 * plus one read chunk in memory. A longer line is an error naming file:line, not a slow death
 * by memory.
 */
export async function* readLines(
  path: string,
  options: { maxLineBytes: number; code: FlowErrorCode; lengthBytes?: number | undefined },
): AsyncGenerator<TextLine> {
  // `lengthBytes` reads only a prefix: a file another process is still appending to.
  if (options.lengthBytes === 0) return;
  let stream;
  try {
    stream = createReadStream(path, {
      highWaterMark: 64 * 1024,
      ...(options.lengthBytes === undefined ? {} : { end: options.lengthBytes - 1 }),
    });
  } catch (error) {
    throw unreadable(path, error);
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  // Bytes before the pending line: every complete line and its newline.
  let lineStart = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const newline = chunk.indexOf(10, start);
        const end = newline < 0 ? chunk.length : newline;
        pendingBytes += end - start;
        if (pendingBytes > options.maxLineBytes) {
          throw new FlowError(
            options.code,
            `${path}:${line + 1}: line longer than ${options.maxLineBytes} bytes`,
            { where: `${path}:${line + 1}` },
          );
        }
        if (newline < 0) {
          if (end > start) pending.push(chunk.subarray(start, end));
          break;
        }
        pending.push(chunk.subarray(start, end));
        line += 1;
        yield { text: decode(pending), line, offset: lineStart };
        lineStart += pendingBytes + 1;
        pending = [];
        pendingBytes = 0;
        start = newline + 1;
      }
    }
  } catch (error) {
    if (error instanceof FlowError) throw error;
    throw unreadable(path, error);
  } finally {
    stream.destroy();
  }
  if (pendingBytes > 0) yield { text: decode(pending), line: line + 1, offset: lineStart };
}

/** The lines of a file already in memory, bounded as readLines bounds them. */
export function* linesOfBuffer(
  bytes: Buffer,
  path: string,
  options: { maxLineBytes: number; code: FlowErrorCode },
): Generator<TextLine> {
  let line = 0;
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(10, start);
    const end = newline < 0 ? bytes.length : newline;
    if (end - start > options.maxLineBytes) {
      throw new FlowError(
        options.code,
        `${path}:${line + 1}: line longer than ${options.maxLineBytes} bytes`,
        { where: `${path}:${line + 1}` },
      );
    }
    line += 1;
    yield { text: decode([bytes.subarray(start, end)]), line, offset: start };
    start = end + 1;
  }
}

function decode(parts: readonly Buffer[]): string {
  const text = (parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts)).toString(
    'utf8',
  );
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function unreadable(path: string, error: unknown): FlowError {
  const reason = errorText(error);
  return new FlowError('FLOW_FILE_UNREADABLE', `cannot read ${path}: ${reason}`, {
    where: path,
    cause: error,
  });
}
