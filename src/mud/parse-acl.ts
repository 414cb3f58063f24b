/** RFC 8519 ACLs and ACEs of a MUD file, read leniently with every deviation reported. */
import { MudError } from './errors.js';
import { asArray, asString, describe, invalid, JsonNode, stripPrefix } from './json-node.js';
import { MUD_LIMITS } from './limits.js';
import type { Ace, AceAction, Acl, AclFamily, MudDeviation } from './model.js';
import { parseMatches } from './parse-matches.js';

const ACL_FAMILIES: Readonly<Record<string, AclFamily>> = {
  'ipv4-acl-type': 'ipv4',
  'ipv6-acl-type': 'ipv6',
  'eth-acl-type': 'eth',
  'mixed-eth-ipv4-acl-type': 'mixed',
  'mixed-eth-ipv6-acl-type': 'mixed',
  'mixed-eth-ipv4-ipv6-acl-type': 'mixed',
};

export function readAcl(
  raw: unknown,
  path: string,
  deviations: MudDeviation[],
): { acl: Acl; count: number; legacy: boolean } {
  const node = JsonNode.of(raw, path, 'an ACL');
  const nameNode = node.take('name');
  if (nameNode === undefined) throw invalid(path, 'an ACL needs a name');
  const name = asString(nameNode.value, nameNode.path, 'ACL name');
  const typeNode = node.take('type', 'acl-type');
  let legacy = false;
  if (typeNode?.key === 'acl-type') {
    legacy = true;
    deviations.push({
      path: typeNode.path,
      kind: 'legacy-name',
      message: 'pre-RFC "acl-type" read as "type"',
    });
  }
  const type =
    typeNode === undefined ? '' : stripPrefix(asString(typeNode.value, typeNode.path, 'ACL type'));
  let family = ACL_FAMILIES[type];
  if (family === undefined) {
    if (typeNode !== undefined && type === 'ethernet-acl-type') {
      family = 'eth';
      deviations.push({
        path: typeNode.path,
        kind: 'nonstandard-acl-type',
        message: '"ethernet-acl-type" read as RFC 8519 "eth-acl-type"',
      });
    } else {
      family = 'mixed';
      if (typeNode !== undefined) {
        deviations.push({
          path: typeNode.path,
          kind: 'nonstandard-acl-type',
          message: `unknown ACL type "${type}": each ACE's own ipv4/ipv6 match decides its family`,
        });
      }
    }
  }
  const acesNode = node.take('aces', 'access-list-entries');
  if (acesNode?.key === 'access-list-entries') {
    legacy = true;
    deviations.push({
      path: acesNode.path,
      kind: 'legacy-name',
      message: 'pre-RFC "access-list-entries" read as "aces"',
    });
  }
  for (const key of node.rest())
    deviations.push({ path: node.child(key), kind: 'ignored-node', message: `"${key}" ignored` });
  let entries: readonly unknown[] = [];
  if (acesNode !== undefined) {
    const container = JsonNode.of(acesNode.value, acesNode.path, 'aces');
    const list = container.take('ace');
    for (const key of container.rest())
      deviations.push({
        path: container.child(key),
        kind: 'ignored-node',
        message: `"${key}" ignored`,
      });
    if (list !== undefined) {
      entries = asArray(list.value, list.path, 'ace');
      if (entries.length > MUD_LIMITS.maxAcesPerAcl) {
        throw new MudError(
          'MUD_LIMIT',
          `${list.path}: ${entries.length} ACEs, more than the ${MUD_LIMITS.maxAcesPerAcl} allowed in one ACL`,
          { where: list.path },
        );
      }
    }
  }
  const acePath = `${acesNode?.path ?? `${path}.aces`}.ace`;
  if (family === 'eth') {
    // RFC 8519 eth-acl-type: flow records carry no MAC addresses or ethertypes.
    deviations.push({
      path,
      kind: 'skipped-acl',
      message: `Ethernet ACL "${name}" (${entries.length} ACEs) skipped: flow records cannot carry Ethernet matches`,
    });
    return { acl: { name, type, family, aces: [], path }, count: entries.length, legacy };
  }
  const aces: Ace[] = [];
  const names = new Set<string>();
  entries.forEach((entry, index) => {
    const { ace, legacy: aceLegacy } = readAce(entry, `${acePath}[${index}]`, family, deviations);
    if (names.has(ace.name))
      throw invalid(`${ace.path}.name`, `a second ACE named "${ace.name}" in ACL "${name}"`);
    names.add(ace.name);
    if (aceLegacy) legacy = true;
    aces.push(ace);
  });
  return { acl: { name, type, family, aces, path }, count: entries.length, legacy };
}

function readAce(
  raw: unknown,
  path: string,
  family: AclFamily,
  deviations: MudDeviation[],
): { ace: Ace; legacy: boolean } {
  const node = JsonNode.of(raw, path, 'an ACE');
  const nameNode = node.take('name', 'rule-name');
  if (nameNode === undefined) throw invalid(path, 'an ACE needs a name');
  const legacy = nameNode.key === 'rule-name';
  if (legacy)
    deviations.push({
      path: nameNode.path,
      kind: 'legacy-name',
      message: 'pre-RFC "rule-name" read as "name"',
    });
  const name = asString(nameNode.value, nameNode.path, 'ACE name');
  const matchesNode = node.take('matches');
  const matches = parseMatches(
    matchesNode?.value,
    matchesNode?.path ?? `${path}.matches`,
    family,
    deviations,
  );
  const actionsNode = node.take('actions');
  if (actionsNode === undefined) throw invalid(path, 'an ACE needs actions (RFC 8519 §4.1)');
  const actions = JsonNode.of(actionsNode.value, actionsNode.path, 'actions');
  const forwarding = actions.take('forwarding');
  if (forwarding === undefined) throw invalid(actions.path, 'actions need a forwarding action');
  const verb = stripPrefix(asString(forwarding.value, forwarding.path, 'forwarding'));
  if (verb !== 'accept' && verb !== 'drop' && verb !== 'reject') {
    throw invalid(
      forwarding.path,
      `forwarding must be accept, drop or reject, found ${describe(forwarding.value)}`,
    );
  }
  actions.markRead('logging');
  for (const key of actions.rest())
    deviations.push({
      path: actions.child(key),
      kind: 'ignored-node',
      message: `"${key}" ignored`,
    });
  for (const key of node.rest())
    deviations.push({ path: node.child(key), kind: 'ignored-node', message: `"${key}" ignored` });
  const action: AceAction = verb;
  return { ace: { name, matches, action, path }, legacy };
}
