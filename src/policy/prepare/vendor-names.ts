/**
 * The inventory's recorded vendor names, each resolved once (a national inventory has a few
 * hundred distinct names among a million items): the name match, the entity it resolves to, and
 * the vendor identity diversity and shares count it under. Items keep only a name's number.
 */
import {
  normaliseVendorName,
  type VendorMatch,
  type VendorResolver,
} from '../../inventory/vendor.js';
import { identityOf } from '../../inventory/vendor-identity.js';

/** Per name number: the prepared inventory's `nameMatch`, `nameEntity` and `nameVendor`. */
export interface NameColumns {
  readonly nameMatch: Int32Array;
  readonly nameEntity: Int32Array;
  readonly nameVendor: Int32Array;
}

export class VendorNames {
  /** Distinct name matches (one object per registry name), by match number. */
  readonly matches: VendorMatch[] = [];
  /** Each vendor identity's label (entity id, known vendor id, or normalised name), by code. */
  readonly vendorKeys: string[] = [];
  readonly #resolver: VendorResolver;
  readonly #entityIndex: ReadonlyMap<string, number>;
  readonly #codes = new Map<string, number>();
  readonly #match: number[] = [];
  readonly #entity: number[] = [];
  readonly #vendor: number[] = [];
  readonly #matchNumber = new Map<VendorMatch, number>();
  readonly #vendorNumber = new Map<string, number>();

  constructor(resolver: VendorResolver, entityIndex: ReadonlyMap<string, number>) {
    this.#resolver = resolver;
    this.#entityIndex = entityIndex;
  }

  /** The number of a recorded name, resolving the name the first time it is met. */
  codeOf(recorded: string): number {
    return this.#codes.get(recorded) ?? this.#add(recorded);
  }

  /** The entity index name number `code` resolved to, or -1. */
  entityOf(code: number): number {
    return this.#entity[code] ?? -1;
  }

  columns(): NameColumns {
    return {
      nameMatch: Int32Array.from(this.#match),
      nameEntity: Int32Array.from(this.#entity),
      nameVendor: Int32Array.from(this.#vendor),
    };
  }

  #add(recorded: string): number {
    const match = this.#resolver.resolve(recorded);
    const affiliated = match !== undefined && match.role !== 'not-affiliated';
    let m = -1;
    if (match !== undefined) {
      m = this.#matchNumber.get(match) ?? this.matches.length;
      if (m === this.matches.length) {
        this.matches.push(match);
        this.#matchNumber.set(match, m);
      }
    }
    // One vendor however it is spelt (vendor-identity.ts, as nospy check decides it), shown as
    // the registry identity or the first spelling's normalised form.
    const identity = identityOf(recorded, match);
    let v = this.#vendorNumber.get(identity);
    if (v === undefined) {
      v = this.vendorKeys.length;
      this.vendorKeys.push(affiliated ? match.identity : normaliseVendorName(recorded) || recorded);
      this.#vendorNumber.set(identity, v);
    }
    const code = this.#codes.size;
    this.#codes.set(recorded, code);
    this.#match.push(m);
    this.#entity.push(affiliated ? (this.#entityIndex.get(match.identity) ?? -1) : -1);
    this.#vendor.push(v);
    return code;
  }
}
