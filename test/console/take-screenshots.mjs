// Screenshots of every console page at desktop (1280×800) and phone (390×844) width, for a person
// to look at. Start a server first (`contrarec serve --db … --reports …`), then:
//   node test/console/take-screenshots.mjs http://127.0.0.1:8080 /tmp/console-shots i12 u1
// (arguments: server URL, output folder, an item id, a user id). Needs /usr/bin/chromium.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [url = 'http://127.0.0.1:8080', out = '/tmp/console-shots', item = 'i1', user = 'u1'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
// A fresh profile each run (playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'console-shots-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const pages = [
  ['items', '#/items'],
  ['item', `#/items/${item}`],
  ['user', `#/users/${user}`],
  ['models', '#/models'],
  ['model', null], // the newest version, opened from the models table
  ['experiments', '#/experiments'],
];
try {
  for (const [width, height, label] of [
    [1280, 800, 'desktop'],
    [390, 844, 'phone'],
  ]) {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height });
    page.on('console', (m) => m.type() === 'error' && console.error(`console error on ${page.url()}: ${m.text()}`));
    for (const [name, hash] of pages) {
      if (hash === null) await page.click('table.models tbody tr:first-child a');
      else await page.goto(`${url}/${hash}`);
      await page.waitForSelector('main:not([aria-busy]) h1');
      if (name === 'items') {
        await page.fill('input[role=combobox]', 'gou');
        await page.waitForSelector('[role=listbox] li');
      }
      await page.waitForTimeout(300);
      const file = path.join(out, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: label === 'phone' });
      console.log(file);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
