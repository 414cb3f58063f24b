import { asString, describe, invalid, isEmptyLeaf, JsonNode } from './json-node.js';
import { deviate, unmatchable, type MatchSink as Sink } from './match-sink.js';
import type { AclFamily, L3Match, MudAbstraction } from './model.js';

/** The only controller classes IANA registered under urn:ietf:params:mud (RFC 8520 §17.7). */
const REGISTERED_CONTROLLERS = new Set(['urn:ietf:params:mud:dns', 'urn:ietf:params:mud:ntp']);
export function parseAbstractions(
  raw: unknown,
  path: string,
  sink: Sink,
  out: MudAbstraction[],
): void {
  const node = JsonNode.of(raw, path, 'ietf-mud:mud match');
  const flag = (name: 'same-manufacturer' | 'local-networks' | 'my-controller'): void => {
    const found = node.take(name);
    if (found === undefined) return;
    if (!isEmptyLeaf(found.value)) {
      if (
        found.value === null ||
        found.value === true ||
        (Array.isArray(found.value) && found.value.length === 0)
      ) {
        deviate(
          sink,
          found.path,
          'missing-or-invalid-leaf',
          `empty leaf written as ${JSON.stringify(found.value)} instead of [null] (RFC 7951 §6.9); read as present`,
        );
      } else {
        throw invalid(
          found.path,
          `${name} is an empty leaf ([null]), found ${describe(found.value)}`,
        );
      }
    }
    out.push({ kind: name });
  };
  const manufacturer = node.take('manufacturer');
  if (manufacturer !== undefined) {
    out.push({
      kind: 'manufacturer',
      authority: asString(manufacturer.value, manufacturer.path, 'manufacturer').toLowerCase(),
    });
  }
  flag('same-manufacturer');
  const model = node.take('model');
  if (model !== undefined)
    out.push({ kind: 'model', url: asString(model.value, model.path, 'model') });
  flag('local-networks');
  const controller = node.take('controller');
  if (controller !== undefined) {
    const uri = asString(controller.value, controller.path, 'controller');
    if (
      uri.toLowerCase().startsWith('urn:ietf:params:mud:') &&
      !REGISTERED_CONTROLLERS.has(uri.toLowerCase())
    ) {
      deviate(
        sink,
        controller.path,
        'unregistered-controller',
        `"${uri}" is not a registered controller class; it resolves only through the operator context`,
      );
    }
    out.push({ kind: 'controller', uri });
  }
  flag('my-controller');
  for (const key of node.rest())
    unmatchable(sink, node.child(key), `unknown ietf-mud:mud match "${key}"`);
}

const BROADCAST_MAC = /^ff(:ff){5}$/i;

/**
 * MUDgee puts `eth` matches inside IP ACEs. Flow records carry no MAC addresses, so an eth
 * match is accepted only where the IP match already implies it (the IPv4/IPv6 ethertype, the
 * broadcast MAC of 255.255.255.255); anything else makes the ACE unmatchable.
 */
export function parseImpliedEth(
  raw: unknown,
  path: string,
  l3: L3Match | undefined,
  aclFamily: AclFamily,
  sink: Sink,
): void {
  const node = JsonNode.of(raw, path, 'eth match');
  const family = l3?.family ?? (aclFamily === 'ipv4' ? 4 : aclFamily === 'ipv6' ? 6 : undefined);
  const implied: string[] = [];
  const ethertype = node.take('ethertype');
  if (ethertype !== undefined) {
    const value =
      typeof ethertype.value === 'number'
        ? ethertype.value
        : typeof ethertype.value === 'string'
          ? Number.parseInt(
              ethertype.value,
              ethertype.value.toLowerCase().startsWith('0x') ? 16 : 10,
            )
          : Number.NaN;
    if ((family === 4 && value === 0x0800) || (family === 6 && value === 0x86dd))
      implied.push(`ethertype ${String(ethertype.value)}`);
    else
      unmatchable(
        sink,
        ethertype.path,
        `ethertype ${describe(ethertype.value)} cannot be checked on flow records`,
      );
  }
  const mac = node.take('destination-mac-address');
  if (mac !== undefined) {
    if (
      family === 4 &&
      typeof mac.value === 'string' &&
      BROADCAST_MAC.test(mac.value) &&
      l3?.destinationNetwork === '255.255.255.255/32'
    ) {
      implied.push('the broadcast destination MAC of 255.255.255.255');
    } else {
      unmatchable(
        sink,
        mac.path,
        `destination-mac-address ${describe(mac.value)} cannot be checked on flow records`,
      );
    }
  }
  for (const key of node.rest())
    unmatchable(sink, node.child(key), `eth match "${key}" cannot be checked on flow records`);
  if (implied.length > 0)
    deviate(
      sink,
      path,
      'implied-match',
      `eth match inside an IP ACE accepted as implied by the IP match: ${implied.join(', ')}`,
    );
}
