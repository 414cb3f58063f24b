/**
 * A rule pack after validation and linting: sets instead of lists, days instead of strings,
 * `where` maps compiled into predicates. The evaluator only ever sees this form.
 */
import type { Day } from '../inventory/day.js';
import type { Domain, EventType, ItemKind, Technology } from '../inventory/model.js';
import type { DateSpec } from './dates.js';
import type { Measure, PackStatus, RegistryInput, RuleKind, RuleStatus } from './schema.js';
import type { CompiledWhere } from './where.js';

export interface PackSource {
  readonly url: string;
  readonly says: string;
}

/** An entity as one pack names it, with that pack's qualifiers. */
export interface PackEntity {
  readonly id: string;
  /** The item's purpose must be one of these for the entity to count (s.889(f)(3)(B)). */
  readonly purposes?: ReadonlySet<string>;
  readonly kinds?: ReadonlySet<ItemKind>;
  readonly listedOn?: Day;
}

export interface CompiledExemption {
  readonly id: string;
  readonly rules: ReadonlySet<string>;
  readonly where: CompiledWhere;
  /** The operator must hold an authorisation of this scheme in force that day. */
  readonly operatorHolds?: string;
  /** Last day the exemption can apply: certainly through `until`, at most through `untilLatest`. */
  readonly until?: Day;
  readonly untilLatest?: Day;
}

/** The dates of a rule that a parameter decides, as written (bind.ts resolves them). */
export type ParametricDates = Partial<
  Record<
    | 'by'
    | 'byLatest'
    | 'effective'
    | 'effectiveLatest'
    | 'after'
    | 'afterLatest'
    | 'from'
    | 'fromLatest',
    DateSpec
  >
>;

export interface CompiledRule {
  readonly id: string;
  readonly title: string | undefined;
  readonly kind: RuleKind;
  readonly status: RuleStatus;
  readonly basis: string;
  /** Why the rule itself is unconfirmed (every finding it makes is unverified), if it is. */
  readonly unverified: string | undefined;
  readonly enabled: boolean;
  readonly heuristic: boolean;
  readonly sources: readonly string[];
  /** Entity ids in scope (the pack's entities when the rule names none). */
  readonly entities: readonly string[];
  readonly kinds: ReadonlySet<ItemKind>;
  /** Domains in scope; `domain` for caps and diversity. */
  readonly domains: ReadonlySet<Domain>;
  /** Whether the pack named the domains (else: every operational domain). */
  readonly domainsExplicit: boolean;
  readonly technology: ReadonlySet<Technology> | undefined;
  readonly where: CompiledWhere;
  readonly matchComponents: boolean;
  /**
   * Dates are the strict end of their range, the reading that finds more (the evaluator decides
   * with these); `…Latest` is the other end when the day is uncertain. A finding decided between
   * the two is unverified.
   */
  /** State rules and caps: fires when T > by. */
  readonly by?: Day;
  readonly byLatest?: Day;
  /** State rules, diversity, authorisations: fires when T >= effective. */
  readonly effective?: Day;
  readonly effectiveLatest?: Day;
  readonly byOperatorField?: 'reimbursement.deadline';
  /** Event rules: an event fires when e > after, or e >= from. */
  readonly after?: Day;
  readonly afterLatest?: Day;
  readonly from?: Day;
  readonly fromLatest?: Day;
  /** Dates that wait for a parameter, and the parameters they wait for (bind.ts). */
  readonly parametric?: ParametricDates;
  readonly waitsFor: readonly string[];
  /** Authorisation rules: the schemes that satisfy the rule; whether every vendor is in scope. */
  readonly schemes?: ReadonlySet<string>;
  readonly allVendors: boolean;
  readonly fromOffsetDays?: number;
  readonly eventType?: EventType;
  /** Caps: breach iff capDenominator * numerator > capNumerator * denominator. */
  readonly capNumerator?: number;
  readonly capDenominator?: number;
  readonly measures?: readonly Measure[];
  readonly minVendors?: number;
}

/** A date the pack's rules count from, supplied by `--assume name=YYYY-MM-DD`. */
export interface PackParameter {
  readonly type: 'date';
  readonly says: string;
  readonly sources: readonly string[];
}

export interface CompiledPack {
  readonly id: string;
  readonly title: string;
  readonly jurisdiction: string;
  readonly binding: string;
  /** `proposed`: a proposal under negotiation, never law in force. */
  readonly status: PackStatus;
  readonly parameters: Readonly<Record<string, PackParameter>>;
  readonly file: string;
  readonly sources: Readonly<Record<string, PackSource>>;
  readonly entities: readonly PackEntity[];
  readonly exemptions: readonly CompiledExemption[];
  readonly rules: readonly CompiledRule[];
  /** Registry additions the pack file carries. */
  readonly registry?: RegistryInput;
}
