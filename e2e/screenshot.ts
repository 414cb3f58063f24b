/**
 * Takes docs/dashboard.png: the overview of the demo world, served as `nospy serve` serves it
 * (test/helpers/demo-server.ts, the built dashboard in web/dist), in Debian's chromium at
 * 1280 × 900 in the light theme. Run after `npm run build:web`:
 *
 *     npx tsx e2e/screenshot.ts [docs/dashboard.png]
 */
import { startDemoServer } from '../test/helpers/demo-server.js';
import { launchChromium, openRoute } from './browser.js';

const out = process.argv[2] ?? 'docs/dashboard.png';
const demo = await startDemoServer();
const browser = await launchChromium(demo.dir);
try {
  const { page, errors } = await openRoute(browser, demo.url, '/');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator('tr[data-finding]').first().waitFor();
  await page.waitForFunction('!document.body.innerText.includes("Loading…")');
  await page.screenshot({ path: out });
  if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);
  process.stderr.write(`wrote ${out}\n`);
} finally {
  await browser.close();
  await demo.close();
}
