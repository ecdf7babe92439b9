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
    // Signing in lands on the overview; its validity card links to the screen.
    await page.waitForURL(/\/overview/);
    await page.click('[data-testid=card-link-validity]');
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
  it('switching the correction shows the corrected r beside the observed r, correction named', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/401 \(Unauthorized\)/.test(msg.text())) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${api.url}/login?returnUrl=/validity`);
    await page.fill('[data-testid=login-email]', 'admin@demo.hiresignal.local');
    await page.fill('[data-testid=login-password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/validity/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=validity-row]').length === 5);

    const report = await page.evaluate(async () =>
      (await fetch('/api/v1/analytics/validity?outcome=performance')).json(),
    );
    const format = (r: number) => r.toFixed(2).replace(/^(-?)0\./, '$1.');
    const cases = [
      { value: 'range', header: 'Range-restriction corrected r', field: 'rRangeCorrected' },
      { value: 'operational', header: 'Operational validity', field: 'rOperational' },
    ] as const;
    for (const { value, header, field } of cases) {
      await page.check(`[data-testid=correction-${value}]`);
      await page.waitForURL(new RegExp(`correction=${value}`));
      await page.waitForSelector('[data-testid=validity-corrected-header]');
      await expect(page.textContent('[data-testid=validity-corrected-header]')).resolves.toContain(header);
      await expect(page.textContent('[data-testid=validity-summary]')).resolves.toMatch(
        value === 'range' ? /Thorndike Case II/ : /criterion unreliability/,
      );
      for (const c of report.criteria as Record<string, number & string>[]) {
        const row = `[data-testid=validity-row][data-criterion=${c['criterion']}]`;
        const observed = await page.textContent(`${row} [data-testid=validity-r]`);
        const corrected = await page.textContent(`${row} [data-testid=validity-corrected-r]`);
        expect(observed?.trim()).toBe(format(c['r']));
        expect(corrected?.trim()).toBe(format(c[field]));
      }
      // The chart shows both estimates per criterion, with the composite as its own row.
      const plotted = await page.locator('[data-testid=validity-chart] [data-testid=forest-row]').count();
      expect(plotted).toBe(CRITERIA.length + (report.composite ? 1 : 0));
      expect(await page.locator('[data-testid=validity-composite-row]').count()).toBe(
        report.composite ? 1 : 0,
      );
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'validity-operational.png'), fullPage: true });

    // Back to no correction: the observed bar chart returns with one bar per criterion.
    await page.check('[data-testid=correction-none]');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=validity-chart] path.bar').length === 5,
    );
    expect(await page.locator('[data-testid=validity-corrected-r]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the interviewers page with its leniency chart and tables', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/401 \(Unauthorized\)/.test(msg.text())) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${api.url}/login`);
    await page.fill('[data-testid=login-email]', 'admin@demo.hiresignal.local');
    await page.fill('[data-testid=login-password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/overview/);
    await page.click('[data-testid=nav-interviewers]');
    await page.waitForURL(/\/interviewers/);
    await page.waitForSelector('[data-testid=interviewer-row]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=reliability-row]', { timeout: 60_000 });

    const report = await page.evaluate(async () =>
      (await fetch('/api/v1/analytics/interviewers?outcome=performance')).json(),
    );
    const reliability = await page.evaluate(async () =>
      (await fetch('/api/v1/analytics/reliability')).json(),
    );
    const interviewers = report.interviewers.length as number;
    expect(interviewers).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=interviewer-row]').count()).toBe(interviewers);
    expect(await page.locator('[data-testid=leniency-chart] [data-testid=forest-row]').count()).toBe(
      interviewers,
    );
    expect(await page.locator('[data-testid=reliability-row]').count()).toBe(reliability.criteria.length);
    const shown = await page
      .locator('[data-testid=reliability-row]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-criterion')));
    expect([...shown].sort()).toEqual([...CRITERIA].sort());
    await expect(page.textContent('[data-testid=reliability-method]')).resolves.toContain(reliability.method);

    // The chart works by keyboard: its rows take focus, arrows move between them, each row names its numbers.
    const rows = page.locator('[data-testid=leniency-chart] [data-testid=forest-row]');
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    expect(focused).toBe(await rows.nth(1).getAttribute('aria-label'));
    expect(focused).toMatch(/leniency [+−-]?\d\.\d\d score points, 95% interval/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'interviewers.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('uploads a CSV on the Imports screen and lists the completed import', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/401 \(Unauthorized\)/.test(msg.text())) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${api.url}/login?returnUrl=/imports`);
    await page.fill('[data-testid=login-email]', 'admin@demo.hiresignal.local');
    await page.fill('[data-testid=login-password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/imports/);
    await page.waitForSelector('[data-testid=import-row]');

    await page.selectOption('[data-testid=import-kind]', 'applications');
    await page.setInputFiles(
      '[data-testid=import-file]',
      join(ROOT, 'test/fixtures/csv/dashboard-upload-applications.csv'),
    );
    // One row of the fixture has an invalid date: skip it, import the rest, and show it in the error table.
    await page.check('[data-testid=import-onerror-skip]');
    await page.click('[data-testid=import-submit]');
    await page.waitForURL(/import=/);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=import-status]')?.textContent?.trim() === 'Completed',
      null,
      { timeout: 60_000 },
    );
    const importId = await page.getAttribute('[data-testid=import-current]', 'data-import-id');
    expect(importId).toBeTruthy();
    await page.waitForSelector(
      `[data-testid=import-row][data-import-id="${importId}"][data-status=completed]`,
    );
    const listed = await page.textContent(`[data-testid=import-row][data-import-id="${importId}"]`);
    expect(listed).toContain('dashboard-upload-applications.csv');
    expect(await page.locator('[data-testid=import-error-row]').count()).toBe(1);
    await expect(page.textContent('[data-testid=import-error-row]')).resolves.toContain('applied_at');

    const run = await page.evaluate(async (id) => (await fetch(`/api/v1/imports/${id}`)).json(), importId);
    expect(run).toMatchObject({ status: 'completed', inserted: 3, rejected: 1 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'imports.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
