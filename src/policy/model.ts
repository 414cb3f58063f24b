/**
 * A rule pack after validation and linting: sets instead of lists, days instead of strings,
 * `where` maps compiled into predicates. The evaluator only ever sees this form.
 */
import type { Day } from '../inventory/day.js';
import type { Domain, EventType, ItemKind, Technology } from '../inventory/model.js';
import type { Measure, RegistryInput, RuleKind, RuleStatus } from './schema.js';
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
}

export interface CompiledRule {
  readonly id: string;
  readonly title: string | undefined;
  readonly kind: RuleKind;
  readonly status: RuleStatus;
  readonly basis: string;
  readonly unverified: boolean;
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
  /** State rules: fires when T > by. */
  readonly by?: Day;
  /** State rules and diversity: fires when T >= effective. */
  readonly effective?: Day;
  readonly byOperatorField?: 'reimbursement.deadline';
  readonly byOffset?: { readonly from: string; readonly months: number };
  /** Event rules: an event fires when e > after, or e >= from. */
  readonly after?: Day;
  readonly from?: Day;
  readonly fromOffsetDays?: number;
  readonly eventType?: EventType;
  /** Caps: breach iff capDenominator * numerator > capNumerator * denominator. */
  readonly capNumerator?: number;
  readonly capDenominator?: number;
  readonly measures?: readonly Measure[];
  readonly minVendors?: number;
  /** Dates whose day is uncertain: findings decided near them are marked unverified. */
  readonly uncertainDays: readonly Day[];
}

export interface CompiledPack {
  readonly id: string;
  readonly title: string;
  readonly jurisdiction: string;
  readonly binding: string;
  readonly file: string;
  readonly sources: Readonly<Record<string, PackSource>>;
  readonly entities: readonly PackEntity[];
  readonly exemptions: readonly CompiledExemption[];
  readonly rules: readonly CompiledRule[];
  /** Registry additions the pack file carries. */
  readonly registry?: RegistryInput;
}
