import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InventoryError } from './errors.js';
import {
  inventoryFromObject,
  inventoryFromText,
  loadInventory,
  MAX_DOCUMENT_BYTES,
} from './load.js';
import { parseDay } from './day.js';

const dir = mkdtempSync(join(tmpdir(), 'nospy-inventory-'));
let counter = 0;
function file(name: string, text: string): string {
  counter += 1;
  const path = join(dir, `${counter}-${name}`);
  writeFileSync(path, text);
  return path;
}

async function failure(path: string): Promise<InventoryError> {
  try {
    await loadInventory(path);
  } catch (error) {
    if (error instanceof InventoryError) return error;
    throw error;
  }
  throw new Error('expected the inventory to be rejected');
}

const HEAD = 'operator: {id: op}\nsites: [{id: S1}, {id: S2, sensitive: true}]\nitems:\n';

describe('a YAML inventory', () => {
  it('reads operator, sites and items with dates as days and defaults applied', async () => {
    const inv = await loadInventory(
      file(
        'ok.yaml',
        HEAD +
          '  - {id: a, vendor: Huawei, site: S2, domain: ran, technology: [5G], installed: 2020-01-02, traffic_gb_per_day: 1.25}\n' +
          '  - {id: b, vendor: Nokia, domain_history: [{domain: spare, from: 2020-01-01}, {domain: ran, from: 2021-01-01}], addresses: [10.0.0.0/8, "2001:db8::1"]}\n',
      ),
    );
    expect(inv.operator).toEqual({ id: 'op', usFederalContractor: false, usfRecipient: false });
    expect(inv.sites.get('S2')).toEqual({ id: 'S2', sensitive: true });
    const [a, b] = inv.items;
    expect(a).toMatchObject({
      id: 'a',
      kind: 'equipment',
      installed: parseDay('2020-01-02'),
      canRouteOrViewUserData: true,
      trafficGbPerDay: 1.25,
    });
    expect(b?.domains.map((d) => d.domain)).toEqual(['spare', 'ran']);
    expect(b?.addresses).toEqual(['10.0.0.0/8', '2001:db8::1']);
  });

  describe('when an item has an unknown domain', () => {
    it('names the file, line, column, item and field', async () => {
      const path = file('domain.yaml', HEAD + '  - {id: a, vendor: Huawei, domain: radio}\n');
      const error = await failure(path);
      expect(error.code).toBe('INVENTORY_INVALID');
      expect(error.message).toBe(
        `${path}:4:37: item 'a' items[0].domain: must be one of "core", "ran", "access", "transport", "management", "security", "interconnect", "cpe", "physical-security", "enterprise-it", "spare", "lab"`,
      );
    });
  });

  describe('when a date is not a date', () => {
    it('names the line and column of the value', async () => {
      const path = file(
        'date.yaml',
        HEAD + '  - id: a\n    vendor: Huawei\n    domain: ran\n    installed: 2023-02-30\n',
      );
      const error = await failure(path);
      expect(error.message).toBe(
        `${path}:7:16: item 'a' items[0].installed: '2023-02-30' is not a date (YYYY-MM-DD)`,
      );
    });
  });

  describe('when an item has no vendor', () => {
    it('says the vendor is required, at the item', async () => {
      const path = file('vendor.yaml', HEAD + '  - {id: a, domain: ran}\n');
      expect((await failure(path)).message).toBe(
        `${path}:4:5: item 'a' items[0].vendor: is required`,
      );
    });
  });

  it('rejects a misspelt field at its key', async () => {
    const path = file(
      'typo.yaml',
      HEAD + '  - {id: a, vendor: X, domain: ran, instaled: 2020-01-01}\n',
    );
    expect((await failure(path)).message).toBe(
      `${path}:4:37: item 'a' items[0].instaled: unknown field 'instaled'`,
    );
  });

  it('rejects an address that is not an IP address or prefix', async () => {
    const path = file(
      'addr.yaml',
      HEAD + '  - {id: a, vendor: X, domain: ran, addresses: [10.0.0.0/33]}\n',
    );
    expect((await failure(path)).message).toContain(
      'items[0].addresses[0]: not an IP address or CIDR prefix',
    );
  });

  it('rejects an item at a site the inventory does not list', async () => {
    const path = file('site.yaml', HEAD + '  - {id: a, vendor: X, domain: ran, site: S9}\n');
    expect((await failure(path)).message).toBe(
      `${path}:4:5: item 'a' site: no site 'S9' in the inventory's sites`,
    );
  });

  it('rejects a removal on or before the installation', async () => {
    const path = file(
      'removed.yaml',
      HEAD + '  - {id: a, vendor: X, domain: ran, installed: 2020-01-01, removed: 2020-01-01}\n',
    );
    expect((await failure(path)).message).toContain(
      "item 'a' items[0].removed: removed (first day out of service) must be after installed",
    );
  });

  it('rejects two items with one id', async () => {
    const path = file(
      'dup.yaml',
      HEAD + '  - {id: a, vendor: X, domain: ran}\n  - {id: a, vendor: Y, domain: ran}\n',
    );
    expect((await failure(path)).message).toBe(`${path}:5:5: item id 'a' is used twice`);
  });

  it('reports a syntax error with its position', async () => {
    const path = file('syntax.yaml', 'operator: {id: op\nitems: [\n');
    const error = await failure(path);
    expect(error.code).toBe('INVENTORY_SYNTAX');
    expect(error.message).toMatch(new RegExp(`^${path}:\\d+:\\d+: `));
  });
});

describe('authorisations in a YAML inventory', () => {
  it("reads an item's authorisations and the operator's waivers with their days", async () => {
    const path = file(
      'auth.yaml',
      'operator: {id: op, authorisations: [{scheme: us-889-agency-waiver, id: W-1, granted: 2020-08-10}]}\n' +
        'items:\n' +
        '  - {id: a, vendor: Nokia, domain: ran, authorisations: [{scheme: fr-l34-11, id: "ANSSI/2020/7", granted: 2020-07-15, expires: 2028-07-14}]}\n' +
        '  - {id: b, vendor: Nokia, domain: ran}\n',
    );
    const inv = await loadInventory(path);
    expect(inv.operator.authorisations).toEqual([
      { scheme: 'us-889-agency-waiver', id: 'W-1', granted: parseDay('2020-08-10') },
    ]);
    expect(inv.items[0]?.authorisations).toEqual([
      {
        scheme: 'fr-l34-11',
        id: 'ANSSI/2020/7',
        granted: parseDay('2020-07-15'),
        expires: parseDay('2028-07-14'),
      },
    ]);
    expect(inv.items[1]?.authorisations).toEqual([]);
  });

  it('rejects an authorisation that expires before it is granted, at its field', async () => {
    const path = file(
      'auth-bad.yaml',
      HEAD +
        '  - {id: a, vendor: Nokia, domain: ran, authorisations: [{scheme: fr-l34-11, id: X, granted: 2021-01-02, expires: 2021-01-01}]}\n',
    );
    expect((await failure(path)).message).toMatch(
      /:4:\d+: item 'a' items\[0\]\.authorisations\[0\]\.expires: an authorisation cannot expire before it is granted/,
    );
  });

  it('rejects a scheme that is not a pack-style name', async () => {
    const path = file(
      'auth-scheme.yaml',
      HEAD +
        '  - {id: a, vendor: Nokia, domain: ran, authorisations: [{scheme: "Golden Power", id: X}]}\n',
    );
    expect((await failure(path)).message).toMatch(
      /authorisations\[0\]\.scheme: a scheme is lowercase/,
    );
  });
});

describe('a JSON inventory', () => {
  it('locates a bad value by line and column', async () => {
    const path = file(
      'bad.json',
      JSON.stringify(
        {
          operator: { id: 'op' },
          items: [{ id: 'a', vendor: 'X', domain: 'ran', technology: ['6G'] }],
        },
        null,
        2,
      ),
    );
    const error = await failure(path);
    expect(error.message).toMatch(
      new RegExp(`^${path}:11:9: item 'a' items\\[0\\]\\.technology\\[0\\]: must be one of`),
    );
  });

  it('locates a syntax error by line and column', async () => {
    const path = file('syntax.json', '{\n  "operator": {"id": "op"},\n  "items": [,]\n}\n');
    const error = await failure(path);
    expect(error.code).toBe('INVENTORY_SYNTAX');
    expect(error.message).toMatch(new RegExp(`^${path}:3:\\d+: `));
  });
});

describe('a CSV inventory', () => {
  const header =
    'id,vendor,site,domain,technology,installed,removed,traffic_gb_per_day,domain_history,components,events\n';

  it('reads list, history, component and event columns', async () => {
    const path = file(
      'ok.csv',
      header +
        'a,"Huawei Technologies Co., Ltd.",S1,ran,4G;5G,2020-01-01,,12.5,,,\n' +
        'b,Acme Vision,S1,,,2021-01-01,,,spare@2021-01-01;ran@2022-05-01,HiSilicon=Hi3516,government_supply@2022-06-01\n',
    );
    const inv = await loadInventory(path);
    expect(inv.items).toHaveLength(2);
    expect(inv.items[0]).toMatchObject({
      vendor: 'Huawei Technologies Co., Ltd.',
      technology: ['4G', '5G'],
      trafficGbPerDay: 12.5,
    });
    expect(inv.items[1]?.domains).toEqual([
      { domain: 'spare', from: parseDay('2021-01-01') },
      { domain: 'ran', from: parseDay('2022-05-01') },
    ]);
    expect(inv.items[1]?.components).toEqual([{ vendor: 'HiSilicon', part: 'Hi3516' }]);
    expect(inv.items[1]?.events).toEqual([
      { type: 'government_supply', date: parseDay('2022-06-01') },
    ]);
    expect(inv.sites.get('S1')).toEqual({ id: 'S1', sensitive: false });
  });

  it('reads authorisations as scheme=id, with @expires or @granted..expires', async () => {
    const path = file(
      'auth.csv',
      'id,vendor,domain,authorisations\n' +
        'a,Nokia,ran,fr-l34-11=ANSSI/2020/7@2020-07-15..2028-07-14;it-golden-power-5g=GP-9\n' +
        'b,Ericsson,ran,in-trusted-product=TP-1@2030-01-01\n' +
        'c,Ericsson,ran,in-nscs-permission=P-2@2022-01-10..\n',
    );
    const inv = await loadInventory(path);
    expect(inv.items.map((i) => i.authorisations)).toEqual([
      [
        {
          scheme: 'fr-l34-11',
          id: 'ANSSI/2020/7',
          granted: parseDay('2020-07-15'),
          expires: parseDay('2028-07-14'),
        },
        { scheme: 'it-golden-power-5g', id: 'GP-9' },
      ],
      [{ scheme: 'in-trusted-product', id: 'TP-1', expires: parseDay('2030-01-01') }],
      [{ scheme: 'in-nscs-permission', id: 'P-2', granted: parseDay('2022-01-10') }],
    ]);
  });

  it('names the column of an authorisation without an id', async () => {
    const path = file('auth-bad.csv', 'id,vendor,domain,authorisations\na,Nokia,ran,fr-l34-11\n');
    expect((await failure(path)).message).toBe(
      `${path}:2 (row 1), item 'a' column 'authorisations': is required`,
    );
  });

  it('names the file, line, row and column of a bad date', async () => {
    const path = file(
      'date.csv',
      header + 'a,Huawei,S1,ran,5G,2020-01-01,,,,,\nb,Huawei,S1,ran,5G,31/12/2020,,,,,\n',
    );
    expect((await failure(path)).message).toBe(
      `${path}:3 (row 2), item 'b' column 'installed': '31/12/2020' is not a date (YYYY-MM-DD)`,
    );
  });

  it('names the column of an unknown domain', async () => {
    const path = file('domain.csv', header + 'a,Huawei,S1,radio,5G,,,,,,\n');
    expect((await failure(path)).message).toMatch(
      new RegExp(`^${path}:2 \\(row 1\\), item 'a' column 'domain': must be one of`),
    );
  });

  it('names the column of a missing vendor', async () => {
    const path = file('vendor.csv', header + 'a,,S1,ran,5G,,,,,,\n');
    expect((await failure(path)).message).toBe(
      `${path}:2 (row 1), item 'a' column 'vendor': is required`,
    );
  });

  it('rejects an unknown column in the header', async () => {
    const path = file('header.csv', 'id,vendor,colour\na,X,red\n');
    expect((await failure(path)).message).toMatch(
      new RegExp(`^${path}:1: unknown column 'colour'`),
    );
  });

  it('rejects a row with the wrong number of fields, at its line', async () => {
    const path = file('fields.csv', 'id,vendor,domain\na,X,ran\nb,Y\n');
    const error = await failure(path);
    expect(error.code).toBe('INVENTORY_SYNTAX');
    expect(error.message.startsWith(`${path}:3:`)).toBe(true);
  });

  it('can be named from a YAML inventory with items_csv', async () => {
    const csv = file('items.csv', 'id,vendor,site,domain\na,Huawei,S2,core\n');
    const path = file(
      'with-csv.yaml',
      `operator: {id: op}\nsites: [{id: S2, sensitive: true}]\nitems_csv: ${csv.split('/').pop() ?? ''}\n`,
    );
    const inv = await loadInventory(path);
    expect(inv.items[0]?.site).toBe('S2');
    expect(inv.sites.get('S2')?.sensitive).toBe(true);
  });
});

describe('an inventory given as data', () => {
  it('is validated like a file', () => {
    expect(() =>
      inventoryFromObject(
        { operator: { id: 'op' }, items: [{ id: 'a', domain: 'ran' }] },
        'memory',
      ),
    ).toThrow("memory: item 'a' items[0].vendor: is required");
  });
});

it('reports a missing file as INVENTORY_NOT_FOUND', async () => {
  expect((await failure(join(dir, 'nope.yaml'))).code).toBe('INVENTORY_NOT_FOUND');
  expect((await failure(join(dir, 'nope.csv'))).code).toBe('INVENTORY_NOT_FOUND');
});

// A YAML/JSON inventory costs about 100 bytes of memory per byte while it is checked: 200,000
// items took 2.6 GB. The bound is what memory allows, and the error says where more items go.
describe('when a YAML or JSON inventory is larger than memory allows', () => {
  const padding = `# ${'x'.repeat(MAX_DOCUMENT_BYTES)}\n`;

  it('refuses the file before parsing it, naming the CSV form that is streamed', async () => {
    for (const name of ['big.yaml', 'big.json']) {
      const error = await failure(file(name, `${padding}${HEAD}`));
      expect(error.code).toBe('INVENTORY_UNREADABLE');
      expect(error.message).toMatch(/bounded by what memory allows.*items_csv/);
    }
  });

  it('refuses the same text given as data', () => {
    expect(() => inventoryFromText(`${padding}${HEAD}`, 'logged', 'yaml')).toThrow(
      /more than the 8388608 bytes a YAML\/JSON inventory may have/,
    );
  });
});
