// The playground in a real browser: playwright-core driving Debian's Chromium (no browser
// download works on these machines). Without Chromium the tests are skipped, and the output
// says so; with STAFFGATE_REQUIRE_BROWSER=1 (as .ci/run sets) a missing browser is a failure.
// STAFFGATE_PLAYGROUND_SCREENSHOT=<file> also saves the screenshot the docs show
// (`npm run screenshot:playground`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const required = process.env.STAFFGATE_REQUIRE_BROWSER === '1';
const present = existsSync(CHROMIUM);
if (!present) {
  console.log(`playground browser tests ${required ? 'FAIL' : 'skipped'}: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

it.runIf(required && !present)('has the Chromium that STAFFGATE_REQUIRE_BROWSER=1 asks for', () => {
  expect.fail(`no Chromium at ${CHROMIUM}`);
});

const root = resolve(import.meta.dirname, '..', '..');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

describe.runIf(present)('playground in Chromium', { timeout: 30_000 }, () => {
  let out = '';
  let server: Server;
  let base = '';
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'staffgate-playground-'));
    await build({ configFile: join(root, 'playground', 'vite.config.ts'), build: { outDir: out, emptyOutDir: true }, logLevel: 'silent' });
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent((req.url ?? '/').split(/[?#]/)[0] ?? '/'));
      const file = join(out, path === '/' ? 'index.html' : path);
      if (!file.startsWith(out) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    base = `http://127.0.0.1:${String(typeof address === 'object' && address !== null ? address.port : 0)}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await new Promise((done) => server.close(done));
    rmSync(out, { recursive: true, force: true });
    expect(problems).toEqual([]);
  });

  async function open(url = base): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  const setText = async (page: Page, selector: string, text: string): Promise<void> => {
    await page.fill(selector, text);
  };

  it('opens on the office example: lint findings, a decision and its trace', async () => {
    const page = await open();
    expect(await page.inputValue('#account')).toContain('"ipLockdown"');
    await expect.poll(() => page.textContent('#decision')).toContain('DENY');
    expect(await page.textContent('#trace tbody')).toContain('fail');
    expect(await page.locator('#lint li').count()).toBeGreaterThan(0);
    expect(await page.textContent('#at-local')).toContain('in Europe/London');
    expect(await page.locator('#charts svg').count()).toBe(1);
    if (process.env.STAFFGATE_PLAYGROUND_SCREENSHOT) await page.screenshot({ path: resolve(root, process.env.STAFFGATE_PLAYGROUND_SCREENSHOT), fullPage: true });
    await page.close();
  });

  it('edits a field and the lint follows', async () => {
    const page = await open();
    expect(await page.textContent('#lint')).not.toContain('ip_lockdown_empty_allowlist');
    const account = JSON.parse(await page.inputValue('#account')) as { ipLockdown: { allow: string[] } };
    account.ipLockdown.allow = [];
    await setText(page, '#account', JSON.stringify(account, null, 2));
    await expect.poll(() => page.textContent('#lint')).toContain('ip_lockdown_empty_allowlist');
    expect(await page.textContent('#lint')).toContain('ipLockdown.allow');
    await page.close();
  });

  it('runs a what-if and reads the trace step by step, each naming what decided it', async () => {
    const page = await open();
    await page.click('button[data-example="road"]');
    await expect.poll(() => page.textContent('#decision')).toContain('ALLOW');
    const rows = await page.$$eval('#trace tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const ip = rows.find((r) => r[0] === 'ip');
    expect(ip?.[1]).toBe('off');
    expect(ip?.[4]).toContain('override #0 of sam');
    expect(rows.map((r) => r[0])).toEqual(['attempt', 'method', 'ip', 'login_hours', 'email_code', 'second_factor']);
    await page.close();
  });

  it('opens a shared link with the same state', async () => {
    const page = await open();
    await page.click('button[data-example="tokyo"]');
    await setText(page, '#whatif input[name="ip"]', '192.0.2.99');
    await expect.poll(() => page.url()).toContain('#s=');
    await expect.poll(async () => (await page.evaluate(() => location.hash)).length).toBeGreaterThan(10);
    await page.waitForTimeout(300);
    const url = page.url();
    const before = { account: await page.inputValue('#account'), overrides: await page.inputValue('#overrides'), ip: await page.inputValue('#whatif input[name="ip"]'), decision: await page.textContent('#decision') };
    const other = await open(url);
    expect({ account: await other.inputValue('#account'), overrides: await other.inputValue('#overrides'), ip: await other.inputValue('#whatif input[name="ip"]'), decision: await other.textContent('#decision') }).toEqual(before);
    expect(await other.textContent('#link-status')).toContain('Loaded the state from the link');
    await page.close();
    await other.close();
  });

  it('bad input gets a message at its place and the rest keeps working', async () => {
    const page = await open();
    await setText(page, '#account', '{\n  "ipLockdown": {\n    "enabled": true,\n  }\n}');
    await expect.poll(() => page.textContent('#account-errors')).toContain('is not valid JSON');
    expect(await page.textContent('#account-errors')).toMatch(/line 4, column/);
    expect(await page.getAttribute('#account', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#decision')).toContain('Fix the settings first');

    await setText(page, '#account', JSON.stringify({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] }, colour: 'blue' }));
    await expect.poll(() => page.textContent('#account-errors')).toContain('colour: unknown setting "colour"');

    await setText(page, '#overrides', `[${'1,'.repeat(600_000)}1]`);
    await expect.poll(() => page.textContent('#overrides-errors')).toContain('is too large');

    // The what-if still answers once the account is valid again, with the overrides broken.
    await setText(page, '#overrides', '[]');
    await setText(page, '#account', '{}');
    await expect.poll(() => page.textContent('#decision')).toContain('ALLOW');
    await page.close();
  });

  it('a hostile link fragment gets a message and the page still works', async () => {
    for (const fragment of ['#s=@@@', '#s=AAAA', `#s=${'A'.repeat(500_000)}`, '#nothing-here']) {
      const page = await open(`${base}${fragment}`);
      expect(await page.textContent('#link-status')).toMatch(/damaged|too long|holds no playground state/);
      await expect.poll(() => page.textContent('#decision')).toContain('DENY');
      await page.close();
    }
    // A damaged link pasted into the address bar of an open page: a message, the page unchanged.
    const page = await open();
    await page.click('button[data-example="night"]');
    await expect.poll(() => page.textContent('#link-status')).toContain('Night shift');
    await page.evaluate(() => {
      location.hash = '#s=@@@';
    });
    await expect.poll(() => page.textContent('#link-status')).toContain('The page keeps what it showed');
    expect(await page.getAttribute('#link-status', 'class')).toBe('error');
    expect(await page.inputValue('#whatif input[name="staffId"]')).toBe('noor');
    await page.click('button[data-example="office"]');
    expect(await page.getAttribute('#link-status', 'class')).toBe('');
    await page.close();
  });

  it('the what-if form works from the keyboard alone', async () => {
    const page = await open();
    // Tab from the top of the page to the form's first field.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.getAttribute('name') === 'staffId')) break;
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('staffId');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab'); // roles, teams, method, ip
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('ip');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('203.0.113.9');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('decision');
    expect(await page.textContent('#decision')).toContain('ALLOW');
    await page.close();
  });
});

