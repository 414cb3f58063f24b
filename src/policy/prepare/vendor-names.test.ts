import { describe, expect, it } from 'vitest';
import { VendorResolver, type VendorMatch } from '../../inventory/vendor.js';
import { loadRegistry } from '../load.js';
import { identitiesOf } from '../registry.js';
import { entityTable } from './entity-table.js';
import { VendorNames } from './vendor-names.js';

const registry = loadRegistry();
const entities = entityTable(registry);

/** The shipped registry's resolver, counting the names it is asked to resolve. */
class CountingResolver extends VendorResolver {
  asked = 0;
  override resolve(name: string): VendorMatch | undefined {
    this.asked += 1;
    return super.resolve(name);
  }
}

describe('the recorded vendor names of an inventory', () => {
  it('numbers each distinct recorded name once and resolves it once, however often it recurs', () => {
    const resolver = new CountingResolver(identitiesOf(registry));
    const names = new VendorNames(resolver, entities.index);
    const codes = ['Huawei', 'Ericsson', 'Huawei', 'Huawei', 'Ericsson'].map((n) =>
      names.codeOf(n),
    );
    expect(codes).toEqual([0, 1, 0, 0, 1]);
    expect(resolver.asked).toBe(2);
  });

  it('gives every spelling of an entity the entity and one vendor identity', () => {
    const names = new VendorNames(new VendorResolver(identitiesOf(registry)), entities.index);
    const codes = ['Huawei', '华为技术有限公司', 'HUAWEI TECH'].map((n) => names.codeOf(n));
    const huawei = entities.index.get('huawei');
    expect(huawei).toBeDefined();
    expect(codes.map((c) => names.entityOf(c))).toEqual([huawei, huawei, huawei]);
    const { nameVendor } = names.columns();
    expect(new Set(codes.map((c) => nameVendor[c]))).toEqual(new Set([nameVendor[codes[0] ?? 0]]));
    expect(names.vendorKeys[nameVendor[codes[0] ?? 0] ?? -1]).toBe('huawei');
  });

  it('counts a name the registry does not know under its normalised form, with no entity', () => {
    const names = new VendorNames(new VendorResolver(identitiesOf(registry)), entities.index);
    const a = names.codeOf('Smallco Networks Ltd.');
    const b = names.codeOf('SMALLCO NETWORKS');
    const { nameEntity, nameMatch, nameVendor } = names.columns();
    expect([nameEntity[a], nameEntity[b]]).toEqual([-1, -1]);
    expect([nameMatch[a], nameMatch[b]]).toEqual([-1, -1]);
    expect(nameVendor[a]).toBe(nameVendor[b]);
    expect(names.vendorKeys[nameVendor[a] ?? -1]).toBe('smallco networks');
  });
});
