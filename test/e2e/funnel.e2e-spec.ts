import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FunnelReport } from '@hiresignal/shared';
import { type Browser, type Page } from 'playwright-core';
import { createStorage, ROOT, startApi, type ApiProcess, type Storage } from '../support/processes';
import { AXE_SOURCE, expectAccessible, noSidewaysScroll, launchChromium } from '../support/browser';

/*
 * The Funnel screen in Chromium against the built product with the demo organization: a recruiter (invited
 * through the API, link accepted through the API) signs in, sees the funnel bars and tables, the numbers in the
 * tables equal GET /api/v1/analytics/funnel, filters live in the URL, and axe-core finds nothing at 1280 and 360 px.
 * On Settings the recruiter sees the stage list read-only and an admin edits it (GET/PUT settings/pipeline-stages).
 */
const SCREENSHOT_DIR = join(ROOT, 'tmp', 'screenshots');
const API_KEY = `hs_${'f'.repeat(40)}`;
const RECRUITER = `recruiter-funnel-${Date.now().toString(36)}@example.com`;
const RECRUITER_PASSWORD = 'amber lantern meadow 77';

async function cells(page: Page, table: string, col: string): Promise<number[]> {
  return page
    .locator(`[data-testid=${table}] tbody td[data-col=${col}]`)
    .evaluateAll((els) => els.map((el) => Number((el.textContent ?? '').replace(/[^\d.-]/g, ''))));
}

describe('Funnel screen in Chromium (recruiter)', () => {
  let storage: Storage;
  let api: ApiProcess;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const apiGet = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    if (!existsSync(AXE_SOURCE)) throw new Error(`${AXE_SOURCE} is missing: install axe-core`);
    storage = await createStorage();
    api = await startApi({ ...storage.env, SEED_DEMO: 'true', DEMO_API_KEY: API_KEY });
    // A recruiter: invited by the admin's key, the link's token accepted with a password.
    const invite = await fetch(`${api.url}/api/v1/users/invitations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: RECRUITER, role: 'recruiter' }),
    });
    expect(invite.status).toBe(201);
    const { url } = (await invite.json()) as { url: string };
    const token = new URL(url).hash.replace(/^#token=/, '');
    const accept = await fetch(`${api.url}/api/v1/auth/accept-invitation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password: RECRUITER_PASSWORD }),
    });
    expect(accept.status).toBeLessThan(300);
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 401\b|401 \(Unauthorized\)/.test(msg.text()))
        errors.push(msg.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await storage?.dispose();
  });

  it('signs the recruiter in to the funnel, whose tables equal the API', async () => {
    await page.goto(`${api.url}/funnel`);
    await page.waitForURL(/\/login/);
    await page.fill('[data-testid=login-email]', RECRUITER);
    await page.fill('[data-testid=login-password]', RECRUITER_PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/funnel/);
    await page.waitForSelector('[data-testid=stages-table] tbody tr');
    await expect(page.locator('text=Soon').count()).resolves.toBe(0);

    const report = await apiGet<FunnelReport>('/api/v1/analytics/funnel');
    expect(report.applications).toBeGreaterThan(1000);
    // One bar per stage (applied and the demo's seven stages).
    await page.waitForSelector('[data-testid=funnel-chart] [data-testid=bar]');
    expect(await page.locator('[data-testid=funnel-chart] [data-testid=bar]').count()).toBe(
      report.stages.length,
    );
    expect(report.stages.map((s) => s.stage)).toEqual([
      'applied',
      'recruiter_screen',
      'pipeline_debugging',
      'inference_latency',
      'system_design',
      'cross_functional',
      'offer',
      'hired',
    ]);
    expect(await cells(page, 'stages-table', 'reached')).toEqual(report.stages.map((s) => s.reached));
    expect(await cells(page, 'stages-table', 'advanced')).toEqual(report.stages.map((s) => s.advanced));
    expect(await cells(page, 'stages-table', 'exited')).toEqual(report.stages.map((s) => s.exited));
    expect(await cells(page, 'stages-table', 'in-progress')).toEqual(report.stages.map((s) => s.inProgress));
    const pass = await cells(page, 'stages-table', 'pass-through');
    report.stages.forEach((s, i) => {
      if (s.passThroughRate !== null) expect(pass[i]).toBeCloseTo(s.passThroughRate * 100, 1);
    });
    expect(await cells(page, 'groups-table', 'hires')).toEqual(report.bySource.map((g) => g.hires));
    expect(await cells(page, 'groups-table', 'applications')).toEqual(
      report.bySource.map((g) => g.applications),
    );
    await expectAccessible(page, 'funnel');
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      await page.waitForTimeout(300);
      expect({ width, overflow: await noSidewaysScroll(page) }).toEqual({ width, overflow: [] });
      await expectAccessible(page, `funnel-${width}`);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `funnel-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keeps the filters in the URL and shows the filtered cohort', async () => {
    await page.selectOption('[data-testid=filter-source]', 'referral');
    await page.waitForURL(/source=referral/);
    const report = await apiGet<FunnelReport>('/api/v1/analytics/funnel?source=referral');
    await page.waitForFunction(
      (n) =>
        document
          .querySelector('[data-testid=stages-table] tbody td[data-col=reached]')
          ?.textContent?.trim() === n,
      String(report.applications),
    );
    expect(await cells(page, 'stages-table', 'reached')).toEqual(report.stages.map((s) => s.reached));
    await page.click('[data-testid=group-job]');
    await page.waitForURL(/groupBy=job/);
    expect(await cells(page, 'groups-table', 'hires')).toEqual(report.byJob.map((g) => g.hires));
    await page.reload();
    await page.waitForSelector('[data-testid=groups-table] tbody tr');
    expect(await page.inputValue('[data-testid=filter-source]')).toBe('referral');
    expect(await cells(page, 'groups-table', 'hires')).toEqual(report.byJob.map((g) => g.hires));
    expect(errors).toEqual([]);
  });

  it("shows the recruiter the funnel's stages read-only on Settings, with the unmapped stage", async () => {
    await page.goto(`${api.url}/settings`);
    await page.waitForSelector('[data-testid=stages-view] li');
    const setting = await apiGet<{ stages: string[]; seen: { stage: string; mapped: boolean }[] }>(
      '/api/v1/settings/pipeline-stages',
    );
    expect(await page.locator('[data-testid=stages-view] li').count()).toBe(setting.stages.length);
    expect(await page.locator('[data-testid=stages-form]').count()).toBe(0);
    // The demo's hiring_manager_chat events are not in the list: shown as unmapped.
    expect(setting.seen.filter((s) => !s.mapped).map((s) => s.stage)).toEqual(['hiring_manager_chat']);
    await expect(page.locator('[data-testid=stages-seen] >> text=unmapped').count()).resolves.toBe(1);
    await expectAccessible(page, 'settings-recruiter');
    expect(errors).toEqual([]);
  });

  it('lets an admin edit the stage list on Settings (axe-clean at 1280 and 360 px)', async () => {
    const email = `admin-funnel-${Date.now().toString(36)}@example.com`;
    const invite = await fetch(`${api.url}/api/v1/users/invitations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, role: 'admin' }),
    });
    expect(invite.status).toBe(201);
    const token = new URL(((await invite.json()) as { url: string }).url).hash.replace(/^#token=/, '');
    const accept = await fetch(`${api.url}/api/v1/auth/accept-invitation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password: RECRUITER_PASSWORD }),
    });
    expect(accept.status).toBeLessThan(300);
    const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    admin.on('pageerror', (error) => errors.push(error.message));
    await admin.goto(`${api.url}/settings`);
    await admin.waitForURL(/\/login/);
    await admin.fill('[data-testid=login-email]', email);
    await admin.fill('[data-testid=login-password]', RECRUITER_PASSWORD);
    await admin.click('[data-testid=login-submit]');
    await admin.waitForURL(/\/settings/);
    await admin.waitForSelector('[data-testid=stages-form] [data-testid=stage-row]');
    const before = await apiGet<{ stages: string[] }>('/api/v1/settings/pipeline-stages');
    expect(await admin.locator('[data-testid=stage-row]').count()).toBe(before.stages.length);
    // Move the first stage down, save: the API has the new order; move it back and save again.
    await admin.click('[data-testid=stage-down-0]');
    await admin.click('[data-testid=stages-save]');
    await admin.waitForSelector('[data-testid=stages-saved]');
    const moved = await apiGet<{ stages: string[]; source: string }>('/api/v1/settings/pipeline-stages');
    expect(moved.source).toBe('settings');
    expect(moved.stages).toEqual([before.stages[1], before.stages[0], ...before.stages.slice(2)]);
    await admin.click('[data-testid=stage-down-0]');
    await admin.click('[data-testid=stages-save]');
    await admin.waitForSelector('[data-testid=stages-saved]');
    expect((await apiGet<{ stages: string[] }>('/api/v1/settings/pipeline-stages')).stages).toEqual(
      before.stages,
    );
    // An empty name is refused in the form, with the reason.
    await admin.fill('[data-testid=stage-input-0]', ' ');
    await admin.click('[data-testid=stages-save]');
    await admin.waitForSelector('[data-testid=stages-form-error]');
    for (const width of [1280, 360]) {
      await admin.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      await admin.waitForTimeout(300);
      expect({ width, overflow: await noSidewaysScroll(admin) }).toEqual({ width, overflow: [] });
      await expectAccessible(admin, `settings-admin-${width}`);
      await admin.screenshot({ path: join(SCREENSHOT_DIR, `settings-stages-${width}.png`), fullPage: true });
    }
    await admin.close();
    expect(errors).toEqual([]);
  });
});
