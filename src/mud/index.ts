/**
 * MUD (RFC 8520) checks of flow records: parse a MUD file leniently (deviations as data),
 * compile it against an operator context into a {@link MudMatcher}, judge records, and run the
 * behaviour check over many devices with access grants. The pure surface only: reading MUD
 * files, contexts, device maps and grants from disk is `load.ts`'s, imported from there.
 *
 * @example
 * import { compileMud, parseMudContext, parseMudText } from './mud/index.js';
 * const matcher = compileMud(parseMudText(json), parseMudContext(yaml, 'ctx.yaml'));
 * const direction = matcher.directionOf(record);
 * const { verdict, rule } = matcher.match(record, direction ?? 'from-device');
 */
export { compileMud, authorityOf, DNS_CONTROLLER, NTP_CONTROLLER } from './compile.js';
export { DEFAULT_DENY, type MudDecision, type MudMatcher, type MudNote } from './matcher.js';
export { parseMud, parseMudText, MUD_LIMITS } from './parse.js';
export {
  parseMudContext,
  toMudContext,
  mudContextSchema,
  type MudContext,
  type MudPeer,
} from './context.js';
export {
  BehaviourCheck,
  checkBehaviour,
  resolveFindings,
  DEFAULT_MANAGEMENT_PORTS,
  type BehaviourPartial,
  type ConversationTally,
  type AccessGrant,
  type BehaviourDevice,
  type BehaviourFinding,
  type BehaviourInput,
  type BehaviourReport,
  type FindingKind,
} from './behaviour.js';
export {
  inferServiceSide,
  inferenceOfRank,
  inferenceRank,
  type ServiceGuess,
  type ServiceInference,
  type ServiceSide,
} from './service-side.js';
export { resolveConversation, type PortTally, type ResolvedService } from './conversation.js';
export { deviceMapSchema, grantsSchema } from './device-map.js';
export { verdictFor, formatVerdict, type MudVerdict } from './verdicts.js';
export { MudError, type MudErrorCode } from './errors.js';
export type * from './model.js';
