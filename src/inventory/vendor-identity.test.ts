import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { nameKey, sameVendor, vendorIdentity, vendorKey } from './vendor-identity.js';
import { VendorResolver } from './vendor.js';

const HUAWEI = '华为技术有限公司';
const ZTE = '中兴通讯股份有限公司';

describe('one vendor identity', () => {
  describe('when two names differ only in case, punctuation, spacing or legal form', () => {
    it.each([
      ['Acme Networks', 'acme-networks'],
      ['Acme Networks Inc.', 'ACME NETWORKS'],
      ['Ａｃｍｅ Networks', 'AcmeNetworks'],
      ['华为技术有限公司', '华为技术 有限公司'],
      ['Straße Networks GmbH', 'STRASSE NETWORKS'],
      ['ООО «Ромашка»', 'ооо ромашка'],
    ])('takes %j and %j for one vendor', (a, b) => {
      expect(sameVendor(a, b)).toBe(true);
    });
  });

  describe('when two vendors are written in Chinese, Japanese, Korean or Cyrillic script', () => {
    it.each([
      [HUAWEI, ZTE],
      ['华为', '中兴'],
      ['株式会社日立製作所', '富士通株式会社'],
      ['삼성전자', '엘지전자'],
      ['Ростелеком', 'Ромашка'],
      ['Ростелеком', ''],
      [HUAWEI, 'Huawei'],
    ])('keeps %j and %j apart', (a, b) => {
      expect(sameVendor(a, b)).toBe(false);
    });

    it('gives each a key of its own letters', () => {
      expect(vendorKey(HUAWEI)).toBe('华为技术');
      expect(vendorKey(ZTE)).toBe('中兴通讯');
      expect(vendorKey('ООО «Ромашка»')).toBe('оооромашка');
    });
  });

  describe('when a registry is handed in', () => {
    const registry = new VendorResolver([
      {
        id: 'huawei',
        canonical: 'Huawei Technologies Co., Ltd.',
        aliases: ['Huawei', '华为'],
        subsidiaries: ['HiSilicon'],
        notAffiliated: ['Huawei Marine Networks'],
      },
    ]);

    it('joins aliases and subsidiaries to their identity', () => {
      expect(sameVendor(HUAWEI, 'Huawei', registry)).toBe(true);
      expect(sameVendor('HiSilicon', 'Huawei Technologies', registry)).toBe(true);
      expect(vendorIdentity('华为', registry)).toBe('@huawei');
    });

    it('keeps a not-affiliated near-miss and an unknown vendor apart', () => {
      expect(sameVendor('Huawei Marine Networks', 'Huawei', registry)).toBe(false);
      expect(sameVendor(ZTE, HUAWEI, registry)).toBe(false);
    });
  });

  it('compares models without dropping what looks like a legal form', () => {
    expect(nameKey('NE40E-X8 AG')).toBe('ne40ex8ag');
    expect(nameKey('中兴 ZXR10')).toBe('中兴zxr10');
  });

  test.prop([fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' })])(
    'never makes an empty key of a name that holds a letter or digit of any script',
    (name) => {
      fc.pre(/[\p{L}\p{N}]/u.test(name.normalize('NFKC')));
      expect(vendorKey(name)).not.toBe('');
      expect(nameKey(name)).not.toBe('');
    },
  );

  test.prop([
    fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }),
    fc.constantFrom(' ', '-', '.', ', ', '  ', '·', '、'),
  ])('ignores the punctuation and spacing a name is written with', (name, separator) => {
    // Between graphemes: a separator between a letter and its combining mark is no spelling.
    const graphemes = [...new Intl.Segmenter().segment(name)].map((g) => g.segment);
    const spaced = graphemes.join(separator);
    expect(vendorKey(spaced.toUpperCase())).toBe(vendorKey(name.toUpperCase()));
  });
});
