import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createStorage, ROOT, startApi, type ApiProcess, type Storage } from '../support/processes';

/*
 * The product as a talent leader meets it: `npm start`'s server (built API serving the built dashboard, demo
 * organization seeded) driven in Debian's Chromium. Log in, see one bar per rubric criterion and the same numbers
 * in the table, change a filter held in the URL, and no console errors on the way.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PASSWORD = 'e2e-demo-password';
const CRITERIA = ['fundamentals', 'deployment_at_scale', 'communication', 'responsible_ai', 'ownership'];
export const SCREENSHOT_DIR = join(ROOT, 'tmp', 'screenshots');

describe('dashboard in Chromium', () => {
  let storage: Storage;
  let api: ApiProcess;
  let browser: Browser;

  beforeAll(async () => {
    storage = await createStorage();
    api = await startApi({ ...storage.env, SEED_DEMO: 'true', DEMO_PASSWORD: PASSWORD });
    // Playwright gives every launch a new, empty profile directory of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
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
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await storage?.dispose();
  });

  it('logs in and shows one bar per criterion with the table of the same numbers', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      // The signed-out probe of /auth/me answers 401 by design; the browser logs any 4xx resource as an error.
      if (msg.type() === 'error' && !/401 \(Unauthorized\)/.test(msg.text())) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(`${api.url}/`);
    await page.waitForURL(/\/login/);
    await page.fill('[data-testid=login-email]', 'admin@demo.hiresignal.local');
    await page.fill('[data-testid=login-password]', 'not the password');
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=login-error]');

    await page.fill('[data-testid=login-password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/validity/);
    await page.waitForSelector('[data-testid=validity-chart] path.bar');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=validity-chart] path.bar').length === 5,
    );

    expect(await page.locator('[data-testid=validity-chart] path.bar').count()).toBe(CRITERIA.length);
    const rows = page.locator('[data-testid=validity-row]');
    expect(await rows.count()).toBe(CRITERIA.length);
    const shown = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-criterion')));
    expect([...shown].sort()).toEqual([...CRITERIA].sort());
    await expect(page.textContent('[data-testid=org-name]')).resolves.toContain('Demo');

    // The table shows what the API computed.
    const computed = await page.evaluate(async () =>
      (await fetch('/api/v1/analytics/validity?outcome=performance')).json(),
    );
    for (const c of computed.criteria as { criterion: string; r: number }[]) {
      const cell = await page.textContent(
        `[data-testid=validity-row][data-criterion=${c.criterion}] [data-testid=validity-r]`,
      );
      expect(cell?.trim()).toBe(c.r.toFixed(2).replace(/^(-?)0\./, '$1.'));
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'validity.png'), fullPage: true });

    // A filter lives in the URL: choose a job, the URL says so, the chart redraws for it.
    const jobs = await page
      .locator('[data-testid=filter-job] option')
      .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value).filter(Boolean));
    expect(jobs.length).toBeGreaterThan(0);
    await page.selectOption('[data-testid=filter-job]', jobs[0]);
    await page.waitForURL(new RegExp(`jobId=${jobs[0]}`));
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=validity-chart] path.bar').length === 5,
    );
    await page.reload();
    await expect(page.inputValue('[data-testid=filter-job]')).resolves.toBe(jobs[0]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'validity-job.png'), fullPage: true });

    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
