import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AdverseImpactStagesReport,
  ExportSummary,
  FunnelReport,
  ImportRunSummary,
  InterviewersReport,
  OrganizationSettings,
  ValidityReport,
} from '@hiresignal/shared';
import { type Browser, type Page } from 'playwright-core';
import { AXE_SOURCE, expectAccessible, noSidewaysScroll, launchChromium } from '../support/browser';
import { createStorage, ROOT, startApi, type ApiProcess, type Storage } from '../support/processes';

/*
 * The Overview and the Glossary in Chromium against the built product with the demo organization. A talent leader,
 * a recruiter and an analyst (invited through the API) sign in and land on /overview; each sees only the cards of
 * the reports their role may read, and the browser never asks for another (no 403 in the console). The numbers on
 * the cards equal the API's; a card's link carries the overview's filters to its screen; a term's tooltip opens on
 * hover and focus and leads to its Glossary entry; axe-core finds nothing at 360 and 1280 px and nothing scrolls
 * sideways. Screenshots of both pages at 360, 1280 and 1920 px land in tmp/screenshots.
 */
const SCREENSHOT_DIR = join(ROOT, 'tmp', 'screenshots');
const API_KEY = `hs_${'c'.repeat(40)}`;
const STAMP = Date.now().toString(36);
const PASSWORD = 'copper harbour violet 58';
const USERS = {
  talent_leader: `leader-overview-${STAMP}@example.com`,
  recruiter: `recruiter-overview-${STAMP}@example.com`,
  analyst: `analyst-overview-${STAMP}@example.com`,
} as const;
type Role = keyof typeof USERS;

/** A number as the dashboard prints it: ".21", "-.15", "−0.40" (minus sign), "1,988", "76%". */
function num(text: string | null): number {
  return Number((text ?? '').replace(/−/g, '-').replace(/[^\d.-]/g, ''));
}

describe('Overview and Glossary in Chromium', () => {
  let storage: Storage;
  let api: ApiProcess;
  let browser: Browser;

  const apiGet = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  /** A signed-in page of the role, with the console errors and every API request it made. */
  async function signIn(
    role: Role,
    width = 1280,
  ): Promise<{ page: Page; errors: string[]; calls: string[] }> {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    const errors: string[] = [];
    const calls: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 401\b|401 \(Unauthorized\)/.test(msg.text()))
        errors.push(msg.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (url.pathname.startsWith('/api/')) calls.push(`${res.status()} ${url.pathname}`);
    });
    await page.goto(`${api.url}/`);
    await page.waitForURL(/\/login/);
    await page.fill('[data-testid=login-email]', USERS[role]);
    await page.fill('[data-testid=login-password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(/\/overview$/);
    return { page, errors, calls };
  }

  const cardIds = (page: Page) =>
    page
      .locator('.overview-grid > section[data-testid^=card-]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));

  async function checkLayout(page: Page, name: string, widths: number[], screenshots: number[]) {
    for (const width of widths) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      await page.waitForTimeout(300);
      expect({ width, overflow: await noSidewaysScroll(page) }).toEqual({ width, overflow: [] });
      if (width === 360 || width === 1280) await expectAccessible(page, `${name}-${width}`);
      if (screenshots.includes(width)) {
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    if (!existsSync(AXE_SOURCE)) throw new Error(`${AXE_SOURCE} is missing: install axe-core`);
    storage = await createStorage();
    api = await startApi({ ...storage.env, SEED_DEMO: 'true', DEMO_API_KEY: API_KEY });
    for (const [role, email] of Object.entries(USERS)) {
      const invite = await fetch(`${api.url}/api/v1/users/invitations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, role }),
      });
      expect(invite.status).toBe(201);
      const { url } = (await invite.json()) as { url: string };
      const accept = await fetch(`${api.url}/api/v1/auth/accept-invitation`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: new URL(url).hash.replace(/^#token=/, ''), password: PASSWORD }),
      });
      expect(accept.status).toBeLessThan(300);
    }
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await storage?.dispose();
  });

  it("answers the talent leader's questions: criteria to keep and drop, outliers, fairness flags, the funnel", async () => {
    const { page, errors, calls } = await signIn('talent_leader');
    await page.waitForSelector('[data-testid=validity-reading]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=interviewers-outliers]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=fairness-headline]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=funnel-weakest]', { timeout: 120_000 });
    expect(await cardIds(page)).toEqual([
      'card-validity',
      'card-interviewers',
      'card-fairness',
      'card-funnel',
    ]);

    // Validity: every criterion's r and n are the API's observed ones.
    const validity = await apiGet<ValidityReport>('/api/v1/analytics/validity?outcome=performance');
    const readings = await page.locator('[data-testid=validity-reading]').evaluateAll((lis) =>
      lis.map((li) => ({
        criterion: li.getAttribute('data-criterion'),
        verdict: li.getAttribute('data-verdict'),
        r: li.querySelector('[data-testid=reading-r]')?.textContent ?? '',
        n: li.querySelector('[data-testid=reading-n]')?.textContent ?? '',
      })),
    );
    expect(readings.map((r) => r.criterion).sort()).toEqual(validity.criteria.map((c) => c.criterion).sort());
    for (const reading of readings) {
      const row = validity.criteria.find((c) => c.criterion === reading.criterion);
      expect(num(reading.r)).toBeCloseTo(row?.r ?? NaN, 2);
      expect(num(reading.n)).toBe(row?.n);
    }
    // Which criterion to drop (docs/statistics.md): enough hires, and even the top of the 95% interval is below
    // r = .10, Cohen's (1988) small effect; the headline names exactly those, in words without any statistic.
    const useless = validity.criteria.filter((c) => c.sufficient && c.ciHigh !== null && c.ciHigh < 0.1);
    const drop = (await page.textContent('[data-testid=validity-drop]')) ?? '';
    expect(readings.filter((r) => r.verdict === 'drop').map((r) => r.criterion)).toEqual(
      useless.sort((a, b) => (a.r ?? 0) - (b.r ?? 0)).map((c) => c.criterion),
    );
    if (useless.length > 0) {
      expect(drop).toMatch(/^Consider dropping /);
      for (const c of useless) expect(drop).toContain(c.label);
      expect(drop).not.toMatch(/Case II|Thorndike|\br\b/);
    } else {
      expect(drop).toMatch(/^No criterion to drop/);
    }
    expect(num(await page.textContent('[data-testid=composite-r]'))).toBeCloseTo(
      validity.composite?.r ?? NaN,
      2,
    );

    // Interviewers: the outliers are the API's interviewers whose leniency interval excludes zero.
    const interviewers = await apiGet<InterviewersReport>(
      '/api/v1/analytics/interviewers?outcome=performance',
    );
    const outliers = await page.locator('[data-testid=outlier-row]').evaluateAll((rows) =>
      rows.map((tr) => ({
        id: tr.getAttribute('data-interviewer'),
        value: tr.querySelector('[data-col=leniency]')?.firstChild?.textContent ?? '',
      })),
    );
    expect(outliers.length).toBeGreaterThan(0);
    for (const o of outliers) {
      const row = interviewers.interviewers.find((i) => i.interviewerId === o.id);
      expect(num(o.value)).toBeCloseTo(row?.leniency?.value ?? NaN, 2);
      const l = row?.leniency;
      expect(l && l.ciLow !== null && l.ciHigh !== null && (l.ciLow > 0 || l.ciHigh < 0)).toBe(true);
    }
    const outOfLine = interviewers.interviewers.filter(
      (i) =>
        i.leniency &&
        i.leniency.ciLow !== null &&
        i.leniency.ciHigh !== null &&
        (i.leniency.ciLow > 0 || i.leniency.ciHigh < 0),
    ).length;
    await expect(page.textContent('[data-testid=interviewers-outliers]')).resolves.toContain(
      `${outOfLine} of ${interviewers.interviewers.length} interviewers`,
    );

    // Fairness: one line per group the API flags below four-fifths, by sex and by race/ethnicity.
    const flagged: string[] = [];
    for (const groupBy of ['sex', 'race_ethnicity']) {
      const stages = await apiGet<AdverseImpactStagesReport>(
        `/api/v1/analytics/adverse-impact/stages?groupBy=${groupBy}`,
      );
      for (const d of stages.decisions)
        for (const g of d.groups)
          if (g.fourFifthsFlag && !g.suppressed && !g.excluded)
            flagged.push(`${groupBy}:${d.decision}:${g.group}`);
    }
    const shownFlags = await page
      .locator('[data-testid=flag-row]')
      .evaluateAll((lis) =>
        lis.map(
          (li) =>
            `${li.getAttribute('data-grouping')}:${li.getAttribute('data-decision')}:${li.getAttribute('data-group')}`,
        ),
      );
    expect(shownFlags.sort()).toEqual(flagged.sort());

    // Funnel: the figures and each step's pass-through are the API's; the weakest step is the lowest
    // pass-through among steps with at least the minimum sample of concluded candidates (PRODUCT.md definitions).
    const funnel = await apiGet<FunnelReport>('/api/v1/analytics/funnel');
    const settings = await apiGet<OrganizationSettings>('/api/v1/settings');
    expect(num(await page.textContent('[data-testid=figure-applications]'))).toBe(funnel.applications);
    const stageCells = await page.locator('[data-testid=overview-stage-row]').evaluateAll((rows) =>
      rows.map((tr) => ({
        stage: tr.getAttribute('data-stage'),
        pass: tr.querySelector('[data-col=pass-through]')?.textContent ?? '',
        weakest: (tr.textContent ?? '').includes('Weakest'),
      })),
    );
    for (const cell of stageCells) {
      const s = funnel.stages.find((x) => x.stage === cell.stage);
      if (s?.passThroughRate !== null && s?.passThroughRate !== undefined)
        expect(num(cell.pass)).toBe(Math.round(s.passThroughRate * 100));
    }
    const eligible = funnel.stages.filter(
      (s) => s.passThroughRate !== null && s.advanced + s.exited >= settings.minimumSample,
    );
    const weakest = eligible.reduce((a, b) => ((b.passThroughRate ?? 1) < (a.passThroughRate ?? 1) ? b : a));
    expect(stageCells.filter((c) => c.weakest).map((c) => c.stage)).toEqual([weakest.stage]);
    await expect(page.textContent('[data-testid=funnel-weakest]')).resolves.toContain(weakest.label);

    // A role that reads these reports but not imports or exports never asked for them, and nothing was refused.
    expect(calls.filter((c) => /\/imports|\/exports/.test(c))).toEqual([]);
    expect(calls.filter((c) => /^4\d\d /.test(c) && !c.startsWith('401 '))).toEqual([]);
    expect(errors).toEqual([]);

    await checkLayout(page, 'overview-talent-leader', [1280, 360, 1920], [360, 1280, 1920]);
    await page.close();
  });

  it("carries the overview's filters into a card's screen", async () => {
    const { page, errors } = await signIn('talent_leader');
    await page.goto(`${api.url}/overview?source=referral&outcome=success`);
    await page.waitForSelector('[data-testid=validity-reading]', { timeout: 120_000 });
    const validityHref = (await page.getAttribute('[data-testid=card-link-validity]', 'href')) ?? '';
    expect(new URL(validityHref, api.url).searchParams.get('source')).toBe('referral');
    expect(new URL(validityHref, api.url).searchParams.get('outcome')).toBe('success');
    const funnelHref = (await page.getAttribute('[data-testid=card-link-funnel]', 'href')) ?? '';
    expect(new URL(funnelHref, api.url).searchParams.get('source')).toBe('referral');
    // The card's figures are those of the filtered cohort.
    await page.waitForSelector('[data-testid=figure-applications]', { timeout: 120_000 });
    const filtered = await apiGet<FunnelReport>('/api/v1/analytics/funnel?source=referral');
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid=figure-applications]')?.textContent?.replace(/\D/g, '') === n,
      String(filtered.applications),
    );
    await page.click('[data-testid=card-link-validity]');
    await page.waitForURL(/\/validity\?/);
    const url = new URL(page.url());
    expect([url.searchParams.get('source'), url.searchParams.get('outcome')]).toEqual([
      'referral',
      'success',
    ]);
    await expect(page.inputValue('[data-testid=filter-source]')).resolves.toBe('referral');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a term on hover and on focus, and leads from its tooltip to the glossary entry', async () => {
    const { page, errors } = await signIn('talent_leader');
    await page.waitForSelector('[data-testid=validity-reading]', { timeout: 120_000 });
    const term = page.locator('[data-testid=card-validity] .term-trigger[data-term=validity-r]').first();
    const tip = page.locator('[data-testid=card-validity] [data-term-tip=validity-r]').first();
    await term.hover();
    await expect(tip.isVisible()).resolves.toBe(true);
    const described = await term.getAttribute('aria-describedby');
    await expect(page.textContent(`#${described}`)).resolves.toMatch(/go with how hires turn out/);
    await page.mouse.move(1, 1);
    await page.waitForTimeout(400);
    await expect(tip.isVisible()).resolves.toBe(false);
    // Keyboard: focus opens it, Escape closes it and keeps the focus on the label.
    await term.focus();
    await expect(tip.isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await expect(tip.isVisible()).resolves.toBe(false);
    await expect(term.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    // Open again and follow its link: Tab reaches the link inside the tooltip.
    await term.blur();
    await term.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/glossary#validity-r$/);
    const entry = page.locator('article#validity-r');
    await expect(entry.isVisible()).resolves.toBe(true);
    await page.waitForFunction(() => document.activeElement?.id === 'validity-r');
    await expect(entry.textContent()).resolves.toContain('Pearson (1896)');
    // Every entry has an anchor, a plain meaning, and a source.
    const entries = await page
      .locator('[data-testid=glossary-entry]')
      .evaluateAll((els) => els.map((el) => ({ id: el.id, text: el.textContent ?? '' })));
    expect(entries.length).toBeGreaterThanOrEqual(40);
    expect(entries.filter((e) => !e.id || !e.text.includes('Source'))).toEqual([]);
    for (const id of ['range-restriction', 'icc', 'pass-through', 'wilson-interval', 'four-fifths', 'cleary'])
      expect(entries.map((e) => e.id)).toContain(id);
    expect(errors).toEqual([]);
    await checkLayout(page, 'glossary', [1280, 360, 1920], [360, 1280, 1920]);
    await page.close();
  });

  it("answers the recruiter's questions without calling a report the recruiter may not read", async () => {
    const { page, errors, calls } = await signIn('recruiter');
    await page.waitForSelector('[data-testid=funnel-weakest]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=freshness-sentence]', { timeout: 60_000 });
    expect(await cardIds(page)).toEqual(['card-funnel', 'card-freshness']);
    const funnel = await apiGet<FunnelReport>('/api/v1/analytics/funnel');
    expect(num(await page.textContent('[data-testid=figure-applications]'))).toBe(funnel.applications);
    expect(num(await page.textContent('[data-testid=figure-offer-acceptance]'))).toBe(
      Math.round((funnel.offerAcceptance.rate ?? NaN) * 100),
    );
    const slowestText = (await page.textContent('[data-testid=funnel-slowest]')) ?? '';
    const settings = await apiGet<OrganizationSettings>('/api/v1/settings');
    const timed = funnel.stages.filter(
      (s) => s.daysInStage && s.daysInStage.median !== null && s.daysInStage.n >= settings.minimumSample,
    );
    const slowest = timed.reduce((a, b) =>
      (b.daysInStage?.median ?? 0) > (a.daysInStage?.median ?? 0) ? b : a,
    );
    expect(slowestText).toContain(`The slowest stage is ${slowest.label}`);
    expect(calls.filter((c) => /validity|interviewers|adverse-impact|reliability|\/exports/.test(c))).toEqual(
      [],
    );
    expect(calls.filter((c) => /^4\d\d /.test(c) && !c.startsWith('401 '))).toEqual([]);
    expect(errors).toEqual([]);
    await checkLayout(page, 'overview-recruiter', [1280, 360], [360]);
    await page.close();
  });

  it("answers the analyst's questions: data freshness and the latest exports first", async () => {
    // An export of the funnel table, so the card has one to show.
    const created = await fetch(`${api.url}/api/v1/exports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ report: 'funnel', format: 'csv', filters: {} }),
    });
    expect(created.status).toBe(202);
    const { exportId } = (await created.json()) as { exportId: string };
    for (let i = 0; i < 60; i++) {
      const e = await apiGet<ExportSummary>(`/api/v1/exports/${exportId}`);
      if (e.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 1000));
    }

    const { page, errors } = await signIn('analyst');
    await page.waitForSelector('[data-testid=export-row]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=import-row]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=validity-reading]', { timeout: 120_000 });
    expect(await cardIds(page)).toEqual([
      'card-freshness',
      'card-exports',
      'card-validity',
      'card-interviewers',
      'card-fairness',
      'card-funnel',
    ]);
    const exports = await apiGet<ExportSummary[]>('/api/v1/exports');
    const row = page.locator(`[data-testid=export-row][data-export="${exportId}"]`);
    await expect(row.count()).resolves.toBe(1);
    const done = exports.find((e) => e.id === exportId);
    expect(done?.status).toBe('completed');
    expect(num(await row.locator('[data-col=rows]').textContent())).toBe(done?.rowsWritten);
    const runs = await apiGet<ImportRunSummary[]>('/api/v1/imports?limit=20');
    const rows = await page.locator('[data-testid=import-row]').count();
    expect(rows).toBe(Math.min(3, runs.length));
    await expect(page.textContent('[data-testid=freshness-sentence]')).resolves.toMatch(
      /^Data last arrived /,
    );
    const validity = await apiGet<ValidityReport>('/api/v1/analytics/validity?outcome=performance');
    await expect(
      page.textContent('[data-testid=freshness-version] [data-testid=data-version]'),
    ).resolves.toBe(validity.dataVersion);
    expect(errors).toEqual([]);
    await checkLayout(page, 'overview-analyst', [1280, 360], [1280]);
    await page.close();
  });
});
