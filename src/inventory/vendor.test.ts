import { describe, expect, it } from 'vitest';
import { normaliseVendorName, VendorResolver } from './vendor.js';

const resolver = new VendorResolver([
  {
    id: 'huawei',
    canonical: 'Huawei Technologies Co., Ltd.',
    aliases: ['Huawei', '华为'],
    subsidiaries: ['HiSilicon', 'Huawei Technologies (UK) Co., Ltd.'],
    notAffiliated: ['H3C', 'Huawei Marine Networks', 'Honor'],
  },
  { id: 'zte', canonical: 'ZTE Corporation', aliases: ['ZTE', '中兴'], notAffiliated: ['ZTT'] },
  {
    id: 'dahua',
    canonical: 'Zhejiang Dahua Technology Co., Ltd.',
    aliases: ['Dahua', '大华'],
    notAffiliated: ['大华银行'],
  },
  {
    id: 'hikvision',
    canonical: 'Hangzhou Hikvision Digital Technology Co., Ltd.',
    aliases: ['Hikvision', '海康威视', '杭州海康威视'],
  },
]);

describe('vendor name normalisation', () => {
  it('folds case and punctuation and drops trailing legal forms', () => {
    expect(normaliseVendorName('Huawei Technologies Co., Ltd.')).toBe('huawei technologies');
    expect(normaliseVendorName('  HUAWEI-TECHNOLOGIES  (UK)  CO LTD ')).toBe(
      'huawei technologies uk',
    );
    expect(normaliseVendorName('Nokia Solutions and Networks Oy')).toBe(
      'nokia solutions and networks',
    );
    expect(normaliseVendorName('ACME GmbH & Co. KG')).toBe('acme gmbh co kg');
  });

  it('drops legal forms written in Chinese', () => {
    expect(normaliseVendorName('华为技术有限公司')).toBe('华为技术');
    expect(normaliseVendorName('杭州海康威视数字技术股份有限公司')).toBe('杭州海康威视数字技术');
  });

  it('applies NFKC, so full-width letters match their ASCII forms', () => {
    expect(normaliseVendorName('ＨＵＡＷＥＩ')).toBe('huawei');
  });

  it('keeps a name that is nothing but a legal form', () => {
    expect(normaliseVendorName('Limited')).toBe('limited');
  });
});

describe('vendor identity resolution', () => {
  it.each([
    ['Huawei', 'huawei', 'alias', 'Huawei'],
    ['HUAWEI TECHNOLOGIES CO LTD', 'huawei', 'canonical', 'Huawei Technologies Co., Ltd.'],
    [
      'Huawei Technologies (UK) Co Ltd',
      'huawei',
      'subsidiary',
      'Huawei Technologies (UK) Co., Ltd.',
    ],
    ['HiSilicon Hi3516', 'huawei', 'subsidiary', 'HiSilicon'],
    ['华为技术有限公司', 'huawei', 'alias', '华为'],
    ['中兴通讯股份有限公司', 'zte', 'alias', '中兴'],
    ['杭州海康威视数字技术股份有限公司', 'hikvision', 'alias', '杭州海康威视'],
    ['浙江大华技术', undefined, undefined, undefined],
    ['大华股份', 'dahua', 'alias', '大华'],
  ])('resolves %s to %s, naming the %s that matched', (recorded, identity, role, name) => {
    const match = resolver.resolve(recorded);
    if (identity === undefined) expect(match).toBeUndefined();
    else expect(match).toEqual({ identity, role, name });
  });

  describe('when a name only looks like a restricted vendor', () => {
    it.each([
      ['ZTT', 'zte'],
      ['H3C Technologies Co., Limited', 'huawei'],
      ['Huawei Marine Networks Co., Ltd.', 'huawei'],
      ['Honor Device Co., Ltd.', 'huawei'],
      ['大华银行', 'dahua'],
    ])('reports %s as not affiliated with %s', (recorded, identity) => {
      expect(resolver.resolve(recorded)).toMatchObject({ identity, role: 'not-affiliated' });
    });

    it('does not match a vendor sharing only a prefix of a word', () => {
      expect(resolver.resolve('ZTEK Ltd')).toBeUndefined();
      expect(resolver.resolve('Huaweiish')).toBeUndefined();
      expect(resolver.resolve('Dahuan Systems')).toBeUndefined();
    });
  });

  it('reports a name claimed by two identities as a conflict', () => {
    const conflicting = new VendorResolver([
      { id: 'a', canonical: 'Acme', aliases: ['Shared Name'] },
      { id: 'b', canonical: 'Beta', aliases: ['shared name inc'] },
    ]);
    expect(conflicting.conflicts).toHaveLength(1);
    expect(conflicting.conflicts[0]).toMatchObject({ normalised: 'shared name' });
  });
});
