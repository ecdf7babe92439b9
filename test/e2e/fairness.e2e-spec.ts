import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AdverseImpactReport,
  AdverseImpactStagesReport,
  BiasAuditReport,
  BiasAuditTable,
  DifferentialValidityReport,
  SelectionGroup,
} from '@hiresignal/shared';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createStorage, ROOT, startApi, type ApiProcess, type Storage } from '../support/processes';
import { AXE_SOURCE, expectAccessible, noSidewaysScroll, launchChromium } from '../support/browser';

/*
 * The Fairness screen in Chromium against the built product with the demo organization: an analyst (invited
 * through the API) sees impact ratios with a flagged group at the demo's flagged stage, the stage grid, the bias-audit
 * tables and differential validity, every number equal to the API's answer; axe-core finds nothing at 1280 and
 * 360 px and nothing scrolls sideways; the printable audit summary hides the shell in print and prints to PDF. A
 * recruiter has no Fairness link and gets the not-available page at /fairness.
 */
const SCREENSHOT_DIR = join(ROOT, 'tmp', 'screenshots');
const API_KEY = `hs_${'f'.repeat(40)}`;
const STAMP = Date.now().toString(36);
const ANALYST = `analyst-fairness-${STAMP}@example.com`;
const RECRUITER = `recruiter-fairness-${STAMP}@example.com`;
const PASSWORD = 'amber lantern meadow 77';

interface RowCells {
  group: string;
  cells: Record<string, string>;
}

/** Each body row of a table: its data-group and the text of its data-col cells. */
async function tableRows(page: Page, testId: string): Promise<RowCells[]> {
  return page.locator(`[data-testid=${testId}] tbody tr`).evaluateAll((rows) =>
    rows.map((row) => ({
      group: (row as HTMLElement).dataset['group'] ?? '',
      cells: Object.fromEntries(
        Array.from(row.querySelectorAll<HTMLElement>('td[data-col]')).map((td) => [
          td.dataset['col'] ?? '',
          (td.textContent ?? '').trim(),
        ]),
      ),
    })),
  );
}

const num = (text: string | undefined): number => Number((text ?? '').replace(/[^\d.-]/g, ''));
const rateText = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
/** Two decimals, or three where a flagged ratio would otherwise read 0.80. */
const expectRatio = (text: string | undefined, ratio: number | null): void => {
  if (ratio === null) expect(text).toBe('—');
  else expect(Math.abs(num(text) - ratio)).toBeLessThanOrEqual(0.005);
};
const pText = (p: number | null): string =>
  p === null ? '—' : p < 0.001 ? '<.001' : p > 0.999 ? '>.999' : p.toFixed(3).replace(/^0\./, '.');

/** The selection table on the screen says what the API said, group by group, and no number for a suppressed one. */
function expectSelectionTable(rows: RowCells[], report: AdverseImpactReport): void {
  expect(rows.map((r) => r.group)).toEqual([...report.groups.map((g) => g.group), 'unknown']);
  report.groups.forEach((g: SelectionGroup, i) => {
    const cells = rows[i]?.cells ?? {};
    if (g.suppressed) {
      expect(cells['suppressed-text']).toMatch(
        /^suppressed: fewer than \d+ people, or would reveal such a group$/,
      );
      expect(cells['applicants']).toBeUndefined();
      expect(cells['suppressed']).toBe('yes');
      return;
    }
    expect(num(cells['applicants'])).toBe(g.applicants);
    expect(num(cells['selected'])).toBe(g.selected);
    expect(cells['rate']).toBe(rateText(g.selectionRate));
    expectRatio(cells['ratio'], g.impactRatio);
    expect(cells['flag']).toBe(
      g.fourFifthsFlag ? 'below 0.8' : g.excluded || g.impactRatio === null ? 'not compared' : 'no',
    );
    expect(cells['fisher']).toBe(pText(g.fisherP));
    expect(cells['z']).toBe(pText(g.zP));
    expect(cells['excluded']).toBe(g.excluded ? 'yes' : 'no');
    expect(cells['suppressed']).toBe('no');
  });
  const unknown = rows[rows.length - 1]?.cells ?? {};
  if (report.unknownSuppressed) expect(unknown['suppressed-text']).toMatch(/^suppressed: /);
  else expect(num(unknown['applicants'])).toBe(report.unknown);
}

function expectAuditTable(rows: RowCells[], table: BiasAuditTable): void {
  expect(rows.map((r) => r.group)).toEqual([...table.groups.map((g) => g.group), 'unknown']);
  table.groups.forEach((g, i) => {
    const cells = rows[i]?.cells ?? {};
    if (g.suppressed) {
      expect(cells['suppressed-text']).toMatch(/^suppressed: /);
      expect(cells['applicants']).toBeUndefined();
      return;
    }
    expect(num(cells['applicants'])).toBe(g.applicants);
    expect(num(cells['above'])).toBe(g.aboveMedian);
    expect(cells['rate']).toBe(rateText(g.scoringRate));
    expectRatio(cells['ratio'], g.impactRatio);
  });
}

describe('Fairness screen in Chromium (analyst; recruiter refused)', () => {
  let storage: Storage;
  let api: ApiProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  const apiGet = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return (await res.json()) as T;
  };

  const invite = async (email: string, role: string): Promise<void> => {
    const res = await fetch(`${api.url}/api/v1/users/invitations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, role }),
    });
    expect(res.status).toBe(201);
    const token = new URL(((await res.json()) as { url: string }).url).hash.replace(/^#token=/, '');
    const accept = await fetch(`${api.url}/api/v1/auth/accept-invitation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password: PASSWORD }),
    });
    expect(accept.status).toBeLessThan(300);
  };

  const signIn = async (target: Page, email: string, path: string): Promise<void> => {
    await target.goto(`${api.url}${path}`);
    await target.waitForURL(/\/login/);
    await target.fill('[data-testid=login-email]', email);
    await target.fill('[data-testid=login-password]', PASSWORD);
    await target.click('[data-testid=login-submit]');
  };

  beforeAll(async () => {
    if (!existsSync(AXE_SOURCE)) throw new Error(`${AXE_SOURCE} is missing: install axe-core`);
    storage = await createStorage();
    api = await startApi({ ...storage.env, SEED_DEMO: 'true', DEMO_API_KEY: API_KEY });
    await invite(ANALYST, 'analyst');
    await invite(RECRUITER, 'recruiter');
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
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

  it('shows the analyst the hire decision, whose table equals the API', async () => {
    await signIn(page, ANALYST, '/fairness');
    await page.waitForURL(/\/fairness/);
    await page.waitForSelector('[data-testid=impact-table] tbody tr');
    await expect(page.locator('[data-testid=nav-fairness]').count()).resolves.toBe(1);
    await expect(page.locator('[data-testid=nav-fairness] .nav-soon').count()).resolves.toBe(0);

    const hire = await apiGet<AdverseImpactReport>(
      '/api/v1/analytics/adverse-impact?decision=hire&groupBy=sex',
    );
    expect(hire.applicants).toBeGreaterThan(100);
    expectSelectionTable(await tableRows(page, 'impact-table'), hire);
    expect(num((await page.textContent('[data-testid=figure-applicants]')) ?? '')).toBe(hire.applicants);
    // The chart: one row per group and one for the unknown, each included group's bar beside the 0.8 line.
    expect(await page.locator('[data-testid=impact-bar]').count()).toBe(hire.groups.length + 1);
  });

  it('finds the flagged stage in the stage grid and shows its flagged group, equal to the API', async () => {
    const stages = await apiGet<AdverseImpactStagesReport>(
      '/api/v1/analytics/adverse-impact/stages?groupBy=sex',
    );
    const grid = await tableRows(page, 'stages-grid');
    const flaggedAt = stages.decisions.filter((d) => d.groups.some((g) => g.fourFifthsFlag));
    expect(flaggedAt.length).toBeGreaterThan(0);
    // Every flagged cell of the API is a flagged cell of the grid, and no other.
    const gridFlags = await page
      .locator('[data-testid=stages-grid] td.tone-flag')
      .evaluateAll((tds) =>
        tds.map(
          (td) =>
            `${(td.closest('tr') as HTMLElement).dataset['group']}@${(td as HTMLElement).dataset['decision']}`,
        ),
      );
    expect(gridFlags.sort()).toEqual(
      stages.decisions
        .flatMap((d) => d.groups.filter((g) => g.fourFifthsFlag).map((g) => `${g.group}@${d.decision}`))
        .sort(),
    );
    expect(grid.map((r) => r.group)).toContain('unknown');
    const applicants = await page
      .locator('[data-testid=stages-grid] td[data-col=applicants]')
      .evaluateAll((tds) => tds.map((td) => Number((td.textContent ?? '').replace(/[^\d.-]/g, ''))));
    expect(applicants).toEqual(stages.decisions.map((d) => d.applicants));

    // Choose the flagged stage: the decision goes into the URL and the table shows the flagged group.
    const stage = flaggedAt.find((d) => d.decision !== 'hire') ?? flaggedAt[0];
    if (!stage) throw new Error('no flagged decision');
    await page.selectOption('[data-testid=filter-decision]', stage.decision);
    await page.waitForURL(new RegExp(`decision=${stage.decision}`));
    const report = await apiGet<AdverseImpactReport>(
      `/api/v1/analytics/adverse-impact?decision=${encodeURIComponent(stage.decision)}&groupBy=sex`,
    );
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=figure-applicants]')?.textContent?.replace(/\D/g, '') === n,
      String(report.applicants),
    );
    expectSelectionTable(await tableRows(page, 'impact-table'), report);
    const flagged = report.groups.filter((g) => g.fourFifthsFlag);
    expect(flagged.length).toBeGreaterThan(0);
    await expect(page.locator('[data-testid=impact-table] .badge-flag').count()).resolves.toBe(
      flagged.length,
    );
    await expect(page.textContent('[data-testid=impact-headline]')).resolves.toContain('below 0.8');
    await page.reload();
    await page.waitForSelector('[data-testid=impact-table] tbody tr');
    expect(await page.inputValue('[data-testid=filter-decision]')).toBe(stage.decision);
  });

  it('shows a group under 2% as excluded and the unknown count (race/ethnicity)', async () => {
    await page.selectOption('[data-testid=filter-group-by]', 'race_ethnicity');
    await page.waitForURL(/groupBy=race_ethnicity/);
    const url = new URL(page.url());
    const decision = url.searchParams.get('decision') ?? 'hire';
    const report = await apiGet<AdverseImpactReport>(
      `/api/v1/analytics/adverse-impact?decision=${encodeURIComponent(decision)}&groupBy=race_ethnicity`,
    );
    await page.waitForSelector('[data-testid=impact-table] caption >> text=race/ethnicity');
    expectSelectionTable(await tableRows(page, 'impact-table'), report);
    // The demo holds one group under 2% of the applicants: listed as excluded wherever the API excludes it.
    const others = await Promise.all(
      ['sex', 'race_ethnicity'].map((groupBy) =>
        apiGet<AdverseImpactReport>(`/api/v1/analytics/adverse-impact?decision=hire&groupBy=${groupBy}`),
      ),
    );
    const anyExcluded = [report, ...others].some((r) => r.groups.some((g) => g.excluded));
    expect(anyExcluded).toBe(true);
    expect(report.unknown === null || report.unknown > 0).toBe(true);
  });

  it('shows the bias-audit tables and differential validity as the API answers them', async () => {
    await page.goto(`${api.url}/fairness`);
    await page.waitForSelector('[data-testid=audit-scoring-sex] tbody tr');
    const audit = await apiGet<BiasAuditReport>('/api/v1/analytics/bias-audit?criterion=composite');
    expectAuditTable(await tableRows(page, 'audit-scoring-sex'), audit.bySex);
    expectAuditTable(await tableRows(page, 'audit-scoring-race'), audit.byRaceEthnicity);
    expectAuditTable(await tableRows(page, 'audit-scoring-intersectional'), audit.intersectional);
    expectAuditTable(await tableRows(page, 'audit-selection-sex'), audit.selection.bySex);
    expectAuditTable(await tableRows(page, 'audit-selection-intersectional'), audit.selection.intersectional);

    const validity = await apiGet<DifferentialValidityReport>(
      '/api/v1/analytics/differential-validity?outcome=performance&groupBy=sex&criterion=composite',
    );
    await page.waitForSelector('[data-testid=validity-table] tbody tr');
    const rows = await tableRows(page, 'validity-table');
    expect(rows.map((r) => r.group)).toEqual([...validity.groups.map((g) => g.group), 'unknown']);
    validity.groups.forEach((g, i) => {
      if (g.suppressed) return;
      expect(num(rows[i]?.cells['n'])).toBe(g.n);
      if (g.r !== null) expect(num(rows[i]?.cells['r'])).toBeCloseTo(g.r, 2);
    });
    expect(await page.locator('[data-testid=validity-forest] [data-testid=forest-row]').count()).toBe(
      validity.groups.length,
    );
    // A comparison of two groups (the demo's) or more, with its test, is shown.
    expect(validity.difference ?? validity.heterogeneity).not.toBeNull();
    await expect(page.textContent('[data-testid=validity-tests]')).resolves.toMatch(
      validity.difference ? /z = -?\d/ : /Q = \d/,
    );

    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      await page.waitForTimeout(300);
      expect({ width, overflow: await noSidewaysScroll(page) }).toEqual({ width, overflow: [] });
      await expectAccessible(page, `fairness-${width}`);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `fairness-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });

  it("exports the adverse-impact table from the Download menu with the screen's grouping", async () => {
    await page.goto(`${api.url}/fairness?groupBy=race_ethnicity`);
    await page.waitForSelector('[data-testid=download-toggle]');
    await page.click('[data-testid=download-toggle]');
    await page.click('[data-testid=download-adverse-impact-csv]');
    await page.waitForSelector(
      '[data-testid=download-job][data-status=completed], [data-testid=download-job][data-status=failed]',
      { timeout: 60_000 },
    );
    expect(await page.getAttribute('[data-testid=download-job]', 'data-status')).toBe('completed');
    // The export the menu made carries the screen's grouping.
    const exports = await apiGet<{ report: string; options: { groupBy?: string } }[]>('/api/v1/exports');
    expect(exports[0]).toMatchObject({ report: 'adverse-impact', options: { groupBy: 'race_ethnicity' } });
    await expectAccessible(page, 'fairness-download');
  });

  it('prints the audit summary without the shell, with the data version, definitions and tables', async () => {
    await page.click('[data-testid=audit-summary-link]');
    await page.waitForURL(/\/fairness\/audit-summary/);
    await page.waitForSelector('[data-testid=summary-scoring-sex] tbody tr');
    const audit = await apiGet<BiasAuditReport>('/api/v1/analytics/bias-audit?criterion=composite');
    await expect(page.textContent('[data-testid=audit-data-version]')).resolves.toBe(audit.dataVersion);
    await expect(page.textContent('[data-testid=audit-date-range]')).resolves.toBe('All application dates');
    expect(await page.locator('[data-testid=audit-definitions] li').count()).toBe(audit.definitions.length);
    expect(audit.definitions.length).toBeGreaterThan(0);
    expectAuditTable(await tableRows(page, 'summary-selection-sex'), audit.selection.bySex);
    await expectAccessible(page, 'audit-summary');
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      await page.waitForTimeout(300);
      expect({ width, overflow: await noSidewaysScroll(page) }).toEqual({ width, overflow: [] });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `audit-summary-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(page.locator('nav.sidenav').isVisible()).resolves.toBe(true);

    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('nav.sidenav').isVisible()).resolves.toBe(false);
    await expect(page.locator('header.topbar').isVisible()).resolves.toBe(false);
    await expect(page.locator('[data-testid=print-button]').isVisible()).resolves.toBe(false);
    const tables = page.locator('[data-testid=audit-summary] table');
    expect(await tables.count()).toBe(6);
    for (let i = 0; i < 6; i++) await expect(tables.nth(i).isVisible()).resolves.toBe(true);
    // Black on white, and no table wider than the page.
    const look = await page.evaluate(() => {
      const table = document.querySelector('[data-testid=summary-scoring-intersectional]') as HTMLElement;
      return {
        color: getComputedStyle(table).color,
        background: getComputedStyle(document.body).backgroundColor,
        cut: Array.from(document.querySelectorAll('[data-testid=audit-summary] .table-wrap')).some(
          (wrap) => wrap.scrollWidth > wrap.clientWidth + 1,
        ),
      };
    });
    expect(look).toEqual({ color: 'rgb(0, 0, 0)', background: 'rgb(255, 255, 255)', cut: false });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'audit-summary-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
  });

  it('gives a recruiter no Fairness link and the not-available page at /fairness', async () => {
    const recruiterContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const recruiter = await recruiterContext.newPage();
    recruiter.on('pageerror', (error) => errors.push(error.message));
    await signIn(recruiter, RECRUITER, '/funnel');
    await recruiter.waitForURL(/\/funnel/);
    await recruiter.waitForSelector('[data-testid=nav-funnel]');
    await expect(recruiter.locator('[data-testid=nav-fairness]').count()).resolves.toBe(0);
    await recruiter.goto(`${api.url}/fairness`);
    await recruiter.waitForURL(/\/not-available/);
    await recruiter.waitForSelector('[data-testid=not-available]');
    await expect(recruiter.textContent('h1')).resolves.toContain('Fairness is not available');
    await recruiter.goto(`${api.url}/fairness/audit-summary`);
    await recruiter.waitForURL(/\/not-available\?screen=fairness(%2F|\/)audit-summary/);
    await recruiter.waitForSelector('[data-testid=not-available]');
    // The API refuses the recruiter's session too.
    const res = await recruiterContext.request.get(
      `${api.url}/api/v1/analytics/adverse-impact?decision=hire&groupBy=sex`,
    );
    expect(res.status()).toBe(403);
    await recruiterContext.close();
    expect(errors).toEqual([]);
  });
});
