import { asInteger, asString, JsonNode, stripPrefix } from './json-node.js';
import { deviate, unmatchable, type MatchSink as Sink } from './match-sink.js';
import type { PortMatch } from './model.js';

const ANY_PORT: PortMatch = { lo: 0, hi: 65535, negate: false };

/**
 * RFC 8519 `port-range-or-operator`: either `{operator?, port}` (operator eq|neq|lte|gte,
 * default eq) or `{lower-port, upper-port}`. Real files also write `range` or `eq` with
 * lower/upper ports, and `lt`/`gt`; those are read as the range they plainly mean and reported.
 * Undefined means "never matches" (already reported).
 */
export function parsePort(raw: unknown, path: string, sink: Sink): PortMatch | undefined {
  const node = JsonNode.of(raw, path, 'a port match');
  const operatorNode = node.take('operator');
  const portNode = node.take('port');
  const lowerNode = node.take('lower-port');
  const upperNode = node.take('upper-port');
  for (const key of node.rest()) unmatchable(sink, node.child(key), `unknown port match "${key}"`);
  const operator =
    operatorNode === undefined
      ? undefined
      : stripPrefix(asString(operatorNode.value, operatorNode.path, 'operator'));
  const num = (found: { value: unknown; path: string }, what: string): number =>
    asInteger(found.value, found.path, what, 0, 65535);

  if (lowerNode !== undefined || upperNode !== undefined) {
    if (lowerNode === undefined || upperNode === undefined || portNode !== undefined) {
      unmatchable(sink, path, 'a port range needs exactly lower-port and upper-port');
      return undefined;
    }
    const lo = num(lowerNode, 'lower-port');
    const hi = num(upperNode, 'upper-port');
    if (operator !== undefined) {
      if (operator !== 'range' && operator !== 'eq') {
        unmatchable(sink, path, `operator "${operator}" with lower-port/upper-port`);
        return undefined;
      }
      deviate(
        sink,
        path,
        'nonstandard-port-match',
        `operator "${operator}" with lower-port/upper-port read as the range ${lo}-${hi}`,
      );
    }
    if (lo > hi) {
      unmatchable(sink, path, `lower-port ${lo} is above upper-port ${hi}`);
      return undefined;
    }
    return { lo, hi, negate: false };
  }
  if (portNode === undefined) {
    if (operatorNode !== undefined) {
      unmatchable(sink, path, 'an operator without a port');
      return undefined;
    }
    return ANY_PORT;
  }
  const port = num(portNode, 'port');
  switch (operator ?? 'eq') {
    case 'eq':
      return { lo: port, hi: port, negate: false };
    case 'neq':
      return { lo: port, hi: port, negate: true };
    case 'lte':
      return { lo: 0, hi: port, negate: false };
    case 'gte':
      return { lo: port, hi: 65535, negate: false };
    case 'lt':
    case 'gt': {
      deviate(
        sink,
        path,
        'nonstandard-port-match',
        `operator "${operator}" (RFC 8519 has lte/gte) read as strictly ${operator === 'lt' ? 'below' : 'above'} ${port}`,
      );
      if (operator === 'lt')
        return port === 0
          ? { lo: 0, hi: 65535, negate: true }
          : { lo: 0, hi: port - 1, negate: false };
      return port === 65535
        ? { lo: 0, hi: 65535, negate: true }
        : { lo: port + 1, hi: 65535, negate: false };
    }
    default:
      unmatchable(sink, path, `unknown port operator "${String(operator)}"`);
      return undefined;
  }
}
