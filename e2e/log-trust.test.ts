/**
 * The log page verifies against the user's keys, not the server's (Debian's chromium driven by
 * playwright-core, against the demo world served as `nospy serve` serves it): a trust file
 * uploaded or keys pasted make the verdict independent; a wrong log key, a missing cosignature or
 * a quorum the checkpoint lacks make it fail, naming the key or the quorum; with no keys of the
 * user's own, the page still checks against the server's key but says NOT INDEPENDENT. Index 0
 * of the demo log is an agreement signed by a vendor and the operator.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNoteKey, KEY_TYPE_COSIGNATURE_V1, keyHandle } from '../src/tlog/note-key.js';
import { startDemoServer, type DemoServer } from '../test/helpers/demo-server.js';
import { requireTools } from '../test/helpers/require-tools.js';
import { launchChromium, openRoute } from './browser.js';

let demo: DemoServer;
let browser: BrowserContext | undefined;
let trustFile: string;
let trustText: string;
const vkey = (name: string) =>
  readFileSync(join(demo.dir, 'data', 'keys', `${name}.vkey`), 'utf8').trim();
const handle = (vkeyText: string) => vkeyText.split('+').slice(0, 2).join('+');

const haveChromium = requireTools('chromium');

beforeAll(async () => {
  if (!haveChromium) return;
  demo = await startDemoServer();
  trustFile = join(demo.dir, 'data', 'trust.yaml');
  trustText = readFileSync(trustFile, 'utf8');
  browser = await launchChromium(demo.dir);
}, 120_000);

afterAll(async () => {
  if (!haveChromium) return;
  await browser?.close();
  await demo.close();
});

/** The log page with no keys kept from an earlier test. */
async function openLogPage(): Promise<Page> {
  const { page } = await openRoute(browser, demo.url, '/log');
  await page.locator('#checkpoint').waitFor();
  // A string, not a function: the test compiles against Node's types, which have no localStorage.
  await page.evaluate('localStorage.clear()');
  await page.reload();
  await page.locator('#checkpoint').waitFor();
  return page;
}

async function pasteKeys(page: Page, text: string): Promise<void> {
  await page.locator('#trust-text').fill(text);
  await page.locator('#trust-use').click();
  await page.locator('#trust-summary, #trust-error').first().waitFor();
}

/** Verifies entry `index` and returns the verdict region's text once it has one. */
async function verify(page: Page, index = 0): Promise<string> {
  await page.locator('#verify-index').fill(String(index));
  await page.locator('#verify').click();
  const verdict = page.locator('#verdict[data-verified]');
  await verdict.waitFor();
  return (await verdict.textContent()) ?? '';
}

describe('with a trust file the user uploads', () => {
  it('verifies the log signature, the cosignature, the quorum, the inclusion and the statement signatures, independently', async () => {
    const page = await openLogPage();
    await page.locator('#trust-file').setInputFiles(trustFile);
    await page.locator('#trust-summary').waitFor();
    expect(await page.locator('#independence').getAttribute('data-independent')).toBe('true');
    const verdict = await verify(page, 0);
    expect(verdict).toMatch(/^VERIFIED independently: entry 0 is in the log log\.albion\.example/);
    expect(verdict).toContain(`signed by the log key ${handle(vkey('log'))}`);
    expect(verdict).toContain(
      `cosigned by 1 of 1 witnesses (${handle(vkey('witness'))}; quorum 1)`,
    );
    expect(verdict).toContain('Acme Networks (vendor');
    expect(verdict).toContain('(operator');
    expect(verdict).toContain(
      'Every key came from your trust file trust.yaml, none from the server',
    );
    expect(await page.locator('#verdict').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('.steps li.bad').count()).toBe(0);
    expect(await page.locator('.steps li[data-source="server"]').count()).toBe(0);
    const steps = await page.locator('.steps li.ok').allTextContents();
    expect(steps.some((s) => s.includes('cosignature of witness witness.albion.example'))).toBe(
      true,
    );
    expect(steps.some((s) => s.startsWith('✔ Witness quorum'))).toBe(true);
    expect(steps.filter((s) => s.includes('Checked statement signature'))).toHaveLength(2);
    await page.close();
  });

  it('keeps the keys in the browser: the page verifies independently after a reload', async () => {
    const page = await openLogPage();
    await pasteKeys(page, trustText);
    await page.reload();
    await page.locator('#trust-summary').waitFor();
    expect(await page.locator('#trust-text').inputValue()).toBe(trustText);
    expect(await verify(page, 2)).toMatch(/^VERIFIED independently: entry 2 /);
    await page.close();
  });
});

describe('with verifier keys the user pastes', () => {
  it('verifies independently, every pasted witness counting towards the quorum', async () => {
    const page = await openLogPage();
    await pasteKeys(
      page,
      [vkey('log'), vkey('witness'), vkey('acme'), vkey('operator')].join('\n'),
    );
    const verdict = await verify(page, 0);
    expect(verdict).toMatch(/^VERIFIED independently:/);
    expect(verdict).toContain('quorum 1');
    expect(verdict).toContain(handle(vkey('acme')));
    expect(verdict).toContain('the 4 verifier keys you pasted');
    await page.close();
  });
});

describe('when the log key the user gives is not the log’s', () => {
  it('fails at the log signature and names the key', async () => {
    const page = await openLogPage();
    const wrong = generateNoteKey('log.albion.example');
    await pasteKeys(page, trustText.replace(vkey('log'), wrong.vkey));
    const verdict = await verify(page, 0);
    expect(verdict).toMatch(/^NOT VERIFIED:/);
    expect(verdict).toContain(keyHandle(wrong));
    expect(verdict).toContain('no signature by the log key');
    expect(await page.locator('#verdict').getAttribute('data-verified')).toBe('false');
    await page.close();
  });
});

describe('when a statement signer’s key is not the one that signed', () => {
  it('fails at the statement signatures', async () => {
    const page = await openLogPage();
    const text = trustText
      .replace(vkey('acme'), generateNoteKey('acme-networks').vkey)
      .replace(vkey('operator'), generateNoteKey('albion-mobile').vkey);
    await pasteKeys(page, text);
    const verdict = await verify(page, 0);
    expect(verdict).toMatch(/^NOT VERIFIED: no signature of the statement verifies/);
    await page.close();
  });
});

describe('when the checkpoint lacks the cosignature the user’s quorum demands', () => {
  it('fails naming the quorum when the server serves the checkpoint without its cosignature', async () => {
    const page = await openLogPage();
    await pasteKeys(page, trustText);
    // The server's answer as a server that dropped its witnesses would give it.
    await page.route('**/proof/*', async (route) => {
      const response = await route.fetch();
      const body = (await response.text())
        .split('\n')
        .filter((line) => !line.startsWith('— witness.albion.example '))
        .join('\n');
      await route.fulfill({ response, body });
    });
    const verdict = await verify(page, 0);
    expect(verdict).toMatch(/^NOT VERIFIED: the witness quorum is not met: 0 of 1 witnesses/);
    expect(verdict).toContain('a quorum of 1');
    expect(verdict).toContain(handle(vkey('witness')));
    await page.close();
  });

  it('fails naming the quorum when the trust file demands two witnesses and one cosigned', async () => {
    const page = await openLogPage();
    const other = generateNoteKey('witness.elsewhere.example', KEY_TYPE_COSIGNATURE_V1);
    const text = trustText.replace(
      /witnesses: \{ quorum: 1, keys: \[(.*)\] \}/,
      `witnesses: { quorum: 2, keys: [$1, { name: w2, key: "${other.vkey}" }] }`,
    );
    expect(text).toContain('quorum: 2');
    const file = join(demo.dir, 'two-witnesses.yaml');
    writeFileSync(file, text);
    await page.locator('#trust-file').setInputFiles(file);
    await page.locator('#trust-summary').waitFor();
    const verdict = await verify(page, 0);
    expect(verdict).toMatch(/^NOT VERIFIED: the witness quorum is not met: 1 of 2 witnesses/);
    expect(verdict).toContain('your trust file two-witnesses.yaml demands a quorum of 2');
    expect(verdict).toContain(keyHandle(other));
    await page.close();
  });
});

describe('with no keys of the user’s own', () => {
  it('verifies against the server’s key and says prominently that this is not independent', async () => {
    const page = await openLogPage();
    const banner = page.locator('#independence');
    await banner.waitFor();
    expect(await banner.getAttribute('data-independent')).toBe('false');
    expect(await banner.textContent()).toContain('NOT INDEPENDENT');
    const verdict = await verify(page, 0);
    expect(verdict).toMatch(/^VERIFIED, but NOT INDEPENDENT:/);
    expect(verdict).toContain('the key the server itself supplies');
    expect(await page.locator('#verdict').getAttribute('data-independent')).toBe('false');
    const signature = page.locator('.steps li[data-source="server"]');
    expect(await signature.count()).toBeGreaterThan(0);
    expect(await signature.first().textContent()).toContain(
      "the server's own key, not independent",
    );
    expect(await page.locator('.steps li.warn', { hasText: 'Witness quorum' }).count()).toBe(1);
    await page.close();
  });

  it('refuses keys it cannot read instead of falling back to the server’s', async () => {
    const page = await openLogPage();
    await pasteKeys(page, 'parties: []\n');
    expect(await page.locator('#trust-error').textContent()).toContain('parties');
    expect(await page.locator('#independence').count()).toBe(0);
    expect(await verify(page, 0)).toMatch(/^NOT VERIFIED: your keys cannot be used/);
    await page.close();
  });
});
