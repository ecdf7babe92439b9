import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { expectAccessible, noSidewaysScroll, launchChromium } from '../support/browser';
import { createStorage, ROOT, startApi, type ApiProcess, type Storage } from '../support/processes';

/*
 * The product as a talent leader meets it: `npm start`'s server (built API serving the built dashboard, demo
 * organization seeded) driven in Debian's Chromium. Log in, see one bar per rubric criterion and the same numbers
 * in the table, change a filter held in the URL, and no console errors on the way.
 */
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
    browser = await launchChromium();
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
    await page.waitForSelector('[data-testid=validity-chart] [data-testid=bar]');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=validity-chart] [data-testid=bar]').length === 5,
    );

    expect(await page.locator('[data-testid=validity-chart] [data-testid=bar]').count()).toBe(
      CRITERIA.length,
    );
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
      () => document.querySelectorAll('[data-testid=validity-chart] [data-testid=bar]').length === 5,
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
      () => document.querySelectorAll('[data-testid=validity-chart] [data-testid=bar]').length === 5,
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
    // The method note is plain language: no raw formula, no API field name.
    const method = (await page.textContent('[data-testid=reliability-method]')) ?? '';
    expect(method).toMatch(/the same interviewers to score every candidate/);
    expect(method).not.toMatch(/twoWay|k0|sum n_i/);

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

  /** A logged-in page at 1280 px that collects console errors. */
  async function signedIn(returnUrl: string): Promise<{ page: Page; consoleErrors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/401 \(Unauthorized\)/.test(msg.text())) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${api.url}/login?returnUrl=${returnUrl}`);
    await page.fill('[data-testid=login-email]', 'admin@demo.hiresignal.local');
    await page.fill('[data-testid=login-password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(new RegExp(returnUrl));
    return { page, consoleErrors };
  }

  async function setMinimumSample(page: Page, minimumSample: number): Promise<void> {
    const status = await page.evaluate(async (value) => {
      const res = await fetch('/api/v1/settings', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ minimumSample: value }),
      });
      return res.status;
    }, minimumSample);
    expect(status).toBe(200);
  }

  /** Tab from the top of the page until a row of the list inside `container` has focus (at most 120 presses). */
  async function tabInto(page: Page, container: string): Promise<boolean> {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((sel) => !!document.activeElement?.closest(sel), container)) return true;
    }
    return false;
  }

  it('draws the validity charts so they can be read: legend inside, labels whole, bars named and focused, thin quarters muted', async () => {
    const { page, consoleErrors } = await signedIn('/validity');
    try {
      // A minimum sample of 15 makes some hire quarters sufficient and others not (the demo's quarters hold 0 to
      // about 22 hires with outcomes), so muted and plain quarters can be told apart.
      await setMinimumSample(page, 15);
      await page.reload();
      await page.waitForSelector('[data-testid=cohort-chart] [data-testid=chart-line]');
      const report = await page.evaluate(async () =>
        (await fetch('/api/v1/analytics/validity?outcome=performance')).json(),
      );
      const cohorts = report.byCohort as { cohort: string; sufficient: boolean; composite: { n: number } }[];
      const thin = cohorts.filter((c) => !c.sufficient).map((c) => c.cohort);
      expect(thin.length).toBeGreaterThan(0);
      expect(thin.length).toBeLessThan(cohorts.length);

      // The legend of the quarter chart lies inside the chart's box, one entry per line.
      const chart = page.locator('[data-testid=cohort-chart]');
      const legend = page.locator('[data-testid=cohort-chart] [data-testid=chart-legend]');
      const [box, legendBox] = [await chart.boundingBox(), await legend.boundingBox()];
      if (!box || !legendBox) throw new Error('the chart or its legend is not laid out');
      expect(legendBox.x).toBeGreaterThanOrEqual(box.x);
      expect(legendBox.y).toBeGreaterThanOrEqual(box.y);
      expect(legendBox.x + legendBox.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
      expect(legendBox.y + legendBox.height).toBeLessThanOrEqual(box.y + box.height + 0.5);
      const lines = await page.locator('[data-testid=cohort-chart] [data-testid=chart-line]').count();
      expect(lines).toBe(6); // five criteria and the composite
      const entries = await page
        .locator('[data-testid=cohort-chart] [data-testid=legend-entry]')
        .evaluateAll((els) => els.map((el) => el.textContent?.trim()));
      const names = await page
        .locator('[data-testid=cohort-chart] [data-testid=chart-line]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-series')));
      expect(entries).toEqual(names);
      // Each line looks different from the others, by colour and by marker.
      const looks = await page
        .locator('[data-testid=cohort-chart] [data-testid=chart-line]')
        .evaluateAll((els) =>
          els.map(
            (el) =>
              `${el.getAttribute('stroke')} ${el
                .querySelector('path')
                ?.getAttribute('d')
                ?.replace(/[\d.,-]+/g, '')}`,
          ),
        );
      expect(new Set(looks).size).toBe(lines);

      // Quarters with too few hires are muted (hatched band, hollow points, dashed segments), the others are not,
      // and the key says how many hires a quarter needs.
      const bands = await page
        .locator('[data-testid=cohort-chart] .lc-muted-band')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-category')));
      expect(bands).toEqual(thin);
      const points = await page
        .locator('[data-testid=cohort-chart] [data-testid=chart-point]')
        .evaluateAll((els) =>
          els.map((el) => ({
            q: el.getAttribute('data-category'),
            muted: el.classList.contains('lc-point-muted'),
          })),
        );
      expect(points.length).toBeGreaterThan(0);
      for (const point of points) expect(point).toEqual({ q: point.q, muted: thin.includes(point.q ?? '') });
      const dashes = await page
        .locator('[data-testid=cohort-chart] .lc-seg-muted')
        .evaluateAll((els) => els.map((el) => getComputedStyle(el).strokeDasharray));
      expect(dashes.length).toBeGreaterThan(0);
      expect(dashes.every((d) => d !== 'none' && d !== '')).toBe(true);
      await expect(
        page.textContent('[data-testid=cohort-chart] [data-testid=legend-muted]'),
      ).resolves.toContain('fewer than 15 hires with outcomes');
      const need = await page.locator('[data-testid=cohort-need]').allTextContents();
      expect(need).toHaveLength(thin.length);
      expect(need.every((text) => / of 15 with\s+outcomes/.test(text))).toBe(true);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'validity-cohorts-mixed.png'), fullPage: true });

      // Now every criterion is short of the minimum (139 hires of 150): names and "insufficient data" whole.
      await setMinimumSample(page, 150);
      await page.reload();
      await page.waitForFunction(
        () =>
          document.querySelectorAll('[data-testid=validity-chart] [data-testid=bar].bc-muted').length === 5,
      );
      const labels = await page
        .locator('[data-testid=validity-chart] [data-testid=bar]')
        .evaluateAll((rows) =>
          rows.map((row) => {
            const label = row.querySelector('[data-testid=bar-label]') as HTMLElement;
            const track = row.querySelector('.bc-track') as HTMLElement;
            const style = getComputedStyle(label);
            return {
              text: label.innerText.replace(/\s+/g, ' ').trim(),
              fits: label.scrollWidth <= label.clientWidth && label.scrollHeight <= label.clientHeight + 1,
              ellipsis: style.textOverflow === 'ellipsis',
              clearOfBar: label.getBoundingClientRect().right <= track.getBoundingClientRect().left,
            };
          }),
        );
      expect(labels).toHaveLength(5);
      for (const label of labels) {
        expect(label).toEqual({ text: label.text, fits: true, ellipsis: false, clearOfBar: true });
        expect(label.text).toMatch(/^\S.* insufficient data: 139 of the 150 hires needed$/);
      }

      // The bars are one tab stop; each row has an accessible name and a visible focus.
      expect(await tabInto(page, '[data-testid=validity-chart] .bc-rows')).toBe(true);
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        return {
          name: el.getAttribute('aria-label'),
          outline: `${s.outlineStyle} ${s.outlineWidth}`,
          shadow: s.boxShadow,
        };
      });
      expect(focused.name).toMatch(
        /^Deployment at scale: observed r -?\.\d\d, insufficient data: 139 of the 150 hires needed$/,
      );
      await page.keyboard.press('ArrowDown');
      const first = page.locator('[data-testid=validity-chart] [data-testid=bar]').first();
      const unfocused = await first.evaluate((el) => {
        const s = getComputedStyle(el);
        return { outline: `${s.outlineStyle} ${s.outlineWidth}`, shadow: s.boxShadow };
      });
      expect(focused.outline).toMatch(/^solid [2-9]/);
      expect(unfocused).not.toEqual({ outline: focused.outline, shadow: focused.shadow });
      // Every focusable thing inside the validity charts has a name; each chart list is a single tab stop.
      const unnamed = await page.evaluate(() =>
        Array.from(
          document.querySelectorAll<HTMLElement>(
            '[data-testid=validity-chart] [tabindex], [data-testid=weights-chart] [tabindex], [data-testid=cohort-chart] [tabindex]',
          ),
        )
          .filter((el) => !(el.getAttribute('aria-label') ?? el.textContent ?? '').trim())
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      expect(unnamed).toEqual([]);
      const stops = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.bc-rows, .forest-rows')).map(
          (list) => list.querySelectorAll(':scope > li[tabindex="0"]').length,
        ),
      );
      expect(stops.every((n) => n === 1)).toBe(true);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'validity-insufficient.png'), fullPage: true });
      await expectAccessible(page, 'validity-insufficient');
    } finally {
      await setMinimumSample(page, 30);
    }
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('gives a criterion with a negative beta no weight and says why', async () => {
    const { page, consoleErrors } = await signedIn('/validity');
    await page.waitForSelector('[data-testid=regression-table]');
    const report = await page.evaluate(async () =>
      (await fetch('/api/v1/analytics/validity?outcome=performance')).json(),
    );
    const predictors = report.regression.predictors as {
      criterion: string;
      beta: number;
      recommendedWeight: number;
      recommended: boolean;
    }[];
    // The demo's near-zero criterion ends with a negative beta among hires; the rule gives it 0%.
    const negative = predictors.filter((p) => p.beta < 0);
    expect(negative.length).toBeGreaterThan(0);
    for (const p of negative) expect(p).toMatchObject({ recommended: false, recommendedWeight: 0 });
    const kept = predictors.filter((p) => p.recommended);
    expect(kept.reduce((a, p) => a + p.recommendedWeight, 0)).toBeCloseTo(1, 9);
    const muted = await page
      .locator('[data-testid=weights-chart] [data-testid=bar].bc-muted [data-testid=bar-label]')
      .allInnerTexts();
    expect(muted.length).toBe(predictors.filter((p) => !p.recommended).length);
    expect(muted.every((t) => /not recommended: β -?\.\d\d/.test(t))).toBe(true);
    await expect(page.textContent('[data-testid=weights-rule]')).resolves.toMatch(/Not recommended: .+\./);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows interviewers by name (the id beside it) at 360, 1280 and 1920 px, with nothing sideways', async () => {
    const { page, consoleErrors } = await signedIn('/interviewers');
    await page.waitForSelector('[data-testid=interviewer-row]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=reliability-row]', { timeout: 60_000 });
    const report = await page.evaluate(async () =>
      (await fetch('/api/v1/analytics/interviewers?outcome=performance')).json(),
    );
    const interviewers = report.interviewers as { interviewerId: string; name: string | null }[];
    expect(interviewers.every((i) => typeof i.name === 'string' && i.name.length > 0)).toBe(true);
    for (const i of interviewers.slice(0, 5)) {
      const row = page.locator(`[data-testid=interviewer-row][data-interviewer="${i.interviewerId}"] th`);
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain(i.name ?? '');
      expect(text).toContain(i.interviewerId);
    }
    const forest = await page
      .locator('[data-testid=leniency-chart] [data-testid=forest-row]')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-id'), el.getAttribute('aria-label')]));
    for (const [id, label] of forest) {
      const name = interviewers.find((i) => i.interviewerId === id)?.name ?? '';
      expect(label?.startsWith(`${name}: leniency`)).toBe(true);
    }
    // The panels of the same-panel ICCs are named too.
    await page.click('[data-testid=reliability-panels] summary');
    const panels = (await page.textContent('[data-testid=reliability-panels]')) ?? '';
    expect(interviewers.some((i) => panels.includes(i.name ?? '\u0000'))).toBe(true);
    expect(panels).not.toMatch(/int-\d{3}/);

    for (const width of [360, 1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      for (const screen of ['interviewers', 'validity']) {
        await page.goto(`${api.url}/${screen}`);
        await page.waitForSelector(
          screen === 'validity'
            ? '[data-testid=cohort-chart] [data-testid=chart-line]'
            : '[data-testid=reliability-row]',
          { timeout: 60_000 },
        );
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${screen}-${width}.png`), fullPage: true });
        expect({ screen, width, overflow: await noSidewaysScroll(page) }).toEqual({
          screen,
          width,
          overflow: [],
        });
        if (width === 360) {
          // On a phone the quarter chart thins its labels instead of overlapping them.
          const ticks = await page.evaluate(() =>
            Array.from(
              document.querySelectorAll('[data-testid=cohort-chart] .lc-tick[text-anchor=middle]'),
            ).map((t) => {
              const r = t.getBoundingClientRect();
              return [r.left, r.right];
            }),
          );
          for (let k = 1; k < ticks.length; k++) expect(ticks[k][0]).toBeGreaterThan(ticks[k - 1][1]);
        }
      }
    }
    await expectAccessible(page, 'validity-1920');
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
