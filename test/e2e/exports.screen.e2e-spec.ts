import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cohort, ExportSchedule, ExportSummary } from '@hiresignal/shared';
import ExcelJS from 'exceljs';
import { type Browser, type Page } from 'playwright-core';
import { createStorage, ROOT, startApi, type ApiProcess, type Storage } from '../support/processes';
import { AXE_SOURCE, expectAccessible, noSidewaysScroll, launchChromium } from '../support/browser';

/*
 * The Exports screen in Chromium against the built product with the demo organization: an analyst (invited through
 * the API) saves a cohort from the validity screen's filters with the filter bar's cohort picker, downloads the
 * validity table from that screen's Download menu, then on /exports exports the cohort as CSV (the progress moves to
 * completed; the downloaded file's header is the cohort header and its rows are the API's rowsWritten) and as XLSX
 * (opened with exceljs: a number cell is a number), and schedules a weekly export. axe-core finds nothing at 1280 and
 * 360 px and nothing scrolls sideways. A recruiter sees the cohort picker on the funnel but no Exports link and no
 * Download menu.
 */
const SCREENSHOT_DIR = join(ROOT, 'tmp', 'screenshots');
const API_KEY = `hs_${'e'.repeat(40)}`;
const STAMP = Date.now().toString(36);
const ANALYST = `analyst-exports-${STAMP}@example.com`;
const RECRUITER = `recruiter-exports-${STAMP}@example.com`;
const PASSWORD = 'copper window orchard 58';
const COHORT_NAME = 'LinkedIn applicants';
const COHORT_HEADER_START =
  'application_id,candidate_id,job_id,job_title,department,source,applied_at,status';

/** RFC 4180 records of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

describe('Exports screen in Chromium (analyst)', () => {
  let storage: Storage;
  let api: ApiProcess;
  let browser: Browser;
  let page: Page;
  let cohort: Cohort;
  let schedulesRoute = false;
  const errors: string[] = [];

  /** The API with the admin's key; a socket the server closed as it was reused (ECONNRESET) is tried once more. */
  const apiFetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const request = () =>
      fetch(`${api.url}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
      });
    try {
      return await request();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return request();
    }
  };
  const apiGet = async <T>(path: string): Promise<T> => {
    const res = await apiFetch(path);
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  async function invite(email: string, role: string): Promise<void> {
    const res = await apiFetch('/api/v1/users/invitations', {
      method: 'POST',
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
  }

  async function signIn(target: Page, email: string, path: string): Promise<void> {
    await target.goto(`${api.url}${path}`);
    await target.waitForURL(/\/login/);
    await target.fill('[data-testid=login-email]', email);
    await target.fill('[data-testid=login-password]', PASSWORD);
    await target.click('[data-testid=login-submit]');
    await target.waitForURL(new RegExp(path.replace(/[?]/g, '\\?')));
  }

  async function checkWidths(target: Page, name: string, within?: string): Promise<void> {
    for (const width of [1280, 360]) {
      await target.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      await target.waitForTimeout(300);
      expect({ width, overflow: await noSidewaysScroll(target) }).toEqual({ width, overflow: [] });
      await expectAccessible(target, `${name}-${width}`, within);
      await target.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
    }
    await target.setViewportSize({ width: 1280, height: 900 });
  }

  /** Starts the New export form as it stands and answers the new export's id (the newest export of the API). */
  async function startExport(): Promise<string> {
    const before = new Set((await apiGet<ExportSummary[]>('/api/v1/exports')).map((e) => e.id));
    await page.click('[data-testid=export-submit]');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=export-form-message]')?.textContent ?? '').trim() !== '',
    );
    const after = await apiGet<ExportSummary[]>('/api/v1/exports');
    const created = after.find((e) => !before.has(e.id));
    if (!created) throw new Error(`no new export: ${JSON.stringify(after.slice(0, 3))}`);
    return created.id;
  }

  async function waitCompleted(id: string): Promise<ExportSummary> {
    await page.waitForSelector(`[data-testid=export-row][data-export-id="${id}"][data-status=completed]`, {
      timeout: 120_000,
    });
    const summary = await apiGet<ExportSummary>(`/api/v1/exports/${id}`);
    expect(summary.status).toBe('completed');
    return summary;
  }

  async function download(id: string): Promise<string> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-testid=export-row][data-export-id="${id}"] [data-testid=export-download]`),
    ]);
    const path = await file.path();
    expect(file.suggestedFilename()).toMatch(/\.(csv|xlsx)$/);
    return path;
  }

  beforeAll(async () => {
    if (!existsSync(AXE_SOURCE)) throw new Error(`${AXE_SOURCE} is missing: install axe-core`);
    storage = await createStorage();
    // A demo large enough that the cohort spans two 2,000-row pages, each followed by a pause, so the progress bar
    // is seen part-way.
    api = await startApi({
      ...storage.env,
      SEED_DEMO: 'true',
      DEMO_API_KEY: API_KEY,
      DEMO_APPLICATIONS: '7000',
      // Each page's progress stays on the server for 4 s, well over the screen's 1.5 s poll even on a loaded machine
      // (at 1.5 s a busy CI runner skipped from 0 straight to done).
      EXPORT_PAGE_DELAY_MS: '4000',
    });
    await invite(ANALYST, 'analyst');
    await invite(RECRUITER, 'recruiter');
    schedulesRoute = (await apiFetch('/api/v1/export-schedules')).status === 200;
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    ).newPage();
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

  it("saves a cohort from the validity screen's filters and picks it again", async () => {
    await signIn(page, ANALYST, '/validity');
    await page.waitForSelector('[data-testid=cohort-select]');
    // With no filter there is nothing to save yet.
    expect(await page.isDisabled('[data-testid=cohort-save-open]')).toBe(true);
    await page.selectOption('[data-testid=filter-source]', 'linkedin');
    await page.waitForURL(/source=linkedin/);
    await page.click('[data-testid=cohort-save-open]');
    // The name field takes the focus; Enter saves.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cohort-name');
    await page.keyboard.type(COHORT_NAME);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      (document.querySelector('[data-testid=cohort-note]')?.textContent ?? '').includes('Saved as cohort'),
    );
    const cohorts = await apiGet<Cohort[]>('/api/v1/cohorts');
    const saved = cohorts.find((c) => c.name === COHORT_NAME);
    if (!saved) throw new Error(`cohort not saved: ${JSON.stringify(cohorts)}`);
    cohort = saved;
    expect(cohort.filters).toEqual({ source: 'linkedin' });
    // The picker shows the cohort the filters are.
    await page.waitForFunction(
      (id) =>
        (document.querySelector('[data-testid=cohort-select]') as HTMLSelectElement | null)?.value === id,
      cohort.id,
    );
    // Choosing "None" clears the cohort's filters; choosing the cohort puts them back into the URL.
    await page.selectOption('[data-testid=cohort-select]', '');
    await page.waitForURL((url) => !url.searchParams.has('source'));
    await page.selectOption('[data-testid=cohort-select]', cohort.id);
    await page.waitForURL(/source=linkedin/);
    expect(await page.inputValue('[data-testid=filter-source]')).toBe('linkedin');
    await page.waitForSelector('[data-testid=validity-chart], [data-testid=validity-empty]');
    expect(errors).toEqual([]);
  });

  it('downloads the validity table from the screen with its filters', async () => {
    // The outcome on show goes with the table.
    await page.selectOption('[data-testid=filter-outcome]', 'success');
    await page.waitForURL(/outcome=success/);
    await page.click('[data-testid=download-toggle]');
    await page.waitForSelector('[data-testid=download-panel]');
    expect(await page.getAttribute('[data-testid=download-toggle]', 'aria-expanded')).toBe('true');
    await page.click('[data-testid=download-validity-csv]');
    await page.waitForSelector(
      '[data-testid=download-job][data-status=completed], [data-testid=download-job][data-status=failed]',
      {
        timeout: 60_000,
      },
    );
    expect(await page.getAttribute('[data-testid=download-job]', 'data-status')).toBe('completed');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=download-file]'),
    ]);
    const text = readFileSync(await file.path(), 'utf8');
    expect(text.length).toBeGreaterThan(0);
    const exports = await apiGet<ExportSummary[]>('/api/v1/exports');
    expect(exports[0]).toMatchObject({
      report: 'validity',
      format: 'csv',
      filters: { source: 'linkedin' },
      outcome: 'success',
    });
    expect(csvRecords(text.trimEnd()).length - 1).toBe(exports[0]?.rowsWritten);
    // The filter bar with the cohort picker and the open Download menu (the validity charts have their own suite).
    await checkWidths(page, 'validity-download', 'form[aria-label=Filters]');
    // "Schedule it" opens Exports with this table and these filters chosen.
    await page.click('[data-testid=download-schedule-link]');
    await page.waitForURL(/\/exports\?.*report=validity/);
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid=export-source]') as HTMLSelectElement | null)?.value === 'link',
    );
    expect(await page.inputValue('[data-testid=export-report]')).toBe('validity');
    expect(await page.inputValue('[data-testid=export-outcome]')).toBe('success');
    expect((await page.textContent('[data-testid=export-source-text]'))?.trim()).toBe('Source linkedin');
    expect(errors).toEqual([]);
  });

  it('exports the Interviewers and Funnel tables from their Download menus', async () => {
    for (const [path, report, format] of [
      ['/interviewers?source=linkedin', 'reliability', 'xlsx'],
      ['/funnel?source=linkedin', 'funnel', 'csv'],
    ] as const) {
      await page.goto(`${api.url}${path}`);
      await page.click('[data-testid=download-toggle]');
      await page.click(`[data-testid=download-${report}-${format}]`);
      await page.waitForSelector(
        '[data-testid=download-job][data-status=completed], [data-testid=download-job][data-status=failed]',
        { timeout: 120_000 },
      );
      expect({
        report,
        status: await page.getAttribute('[data-testid=download-job]', 'data-status'),
      }).toEqual({
        report,
        status: 'completed',
      });
      const latest = (await apiGet<ExportSummary[]>('/api/v1/exports'))[0];
      expect(latest).toMatchObject({ report, format, filters: { source: 'linkedin' }, status: 'completed' });
    }
    // The interviewers screen offers both of its tables.
    await page.goto(`${api.url}/interviewers`);
    await page.click('[data-testid=download-toggle]');
    await page.waitForSelector('[data-testid=download-panel]');
    expect(await page.locator('[data-testid=download-interviewers-csv]').count()).toBe(1);
    expect(await page.locator('[data-testid=download-reliability-csv]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('exports the cohort as CSV from /exports, with a moving progress bar, and downloads it', async () => {
    await page.click('[data-testid=nav-exports]');
    await page.waitForURL(/\/exports/);
    await page.waitForSelector('[data-testid=cohort-row]');
    expect(await page.textContent('[data-testid=cohorts-table]')).toContain(COHORT_NAME);
    // "Export" on the cohort's row chooses it as the rows of a new export.
    await page.click(`[data-testid=cohort-row][data-cohort-id="${cohort.id}"] [data-testid=cohort-export]`);
    await page.waitForFunction(
      (id) =>
        (document.querySelector('[data-testid=export-source]') as HTMLSelectElement | null)?.value === id,
      cohort.id,
    );
    expect(await page.inputValue('[data-testid=export-report]')).toBe('cohort');
    await page.check('[data-testid=export-format-csv]');
    // The demographics choice warns that the columns are personal data and the export is audited.
    expect(await page.textContent('[data-testid=demographics-warning]')).toMatch(/personal data.*audit log/s);
    const id = await startExport();
    // While it runs, the bar and its text ("2,000 of 6,123 rows") are on the screen.
    const seen: string[] = [];
    let runningShot = false;
    const progressText = `[data-testid=running-export][data-export-id="${id}"] [data-testid=export-progress-text]`;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      const text = await page
        .locator(progressText)
        .textContent({ timeout: 100 })
        .catch(() => null);
      if (text === null) break;
      const clean = text.replace(/\s+/g, ' ').trim();
      if (seen[seen.length - 1] !== clean) seen.push(clean);
      if (clean.startsWith('Writing') && !runningShot) {
        runningShot = true;
        await page
          .locator('[data-testid=running]')
          .screenshot({ path: join(SCREENSHOT_DIR, 'exports-running.png') });
      }
      await page.waitForTimeout(150);
    }
    const summary = await waitCompleted(id);
    expect(summary.report).toBe('cohort');
    expect(summary.filters).toEqual({ source: 'linkedin' });
    expect(summary.rowsWritten).toBeGreaterThan(0);
    const total = summary.rowsWritten.toLocaleString('en-US');
    // More than one page: the bar was seen part-way ("Writing · 2,000 of 2,612 rows").
    expect(summary.rowsWritten).toBeGreaterThan(2000);
    expect(seen).toContain(`Writing · 2,000 of ${total} rows`);
    const row = `[data-testid=export-row][data-export-id="${id}"]`;
    expect((await page.textContent(`${row} [data-col=rows]`))?.trim()).toBe(total);
    const text = readFileSync(await download(id), 'utf8');
    const records = csvRecords(text.replace(/\r?\n$/, ''));
    expect((records[0] ?? []).join(',').startsWith(COHORT_HEADER_START)).toBe(true);
    expect(records[0]).toContain('composite');
    expect(records.length - 1).toBe(summary.rowsWritten);
    expect(records.slice(1).every((r) => r[5] === 'linkedin')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('exports the cohort as XLSX whose numbers are numbers', async () => {
    await page.selectOption('[data-testid=export-source]', cohort.id);
    await page.check('[data-testid=export-format-xlsx]');
    const id = await startExport();
    const summary = await waitCompleted(id);
    expect(summary.format).toBe('xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download(id));
    const sheet = workbook.worksheets.find((s) => s.name !== 'Manifest');
    if (!sheet) throw new Error('no data sheet');
    const header = (sheet.getRow(1).values as unknown[]).map((v) => (v === undefined ? '' : String(v)));
    const composite = header.indexOf('composite');
    const interviewers = header.indexOf('interviewers');
    expect(composite).toBeGreaterThan(0);
    expect(sheet.rowCount - 1).toBe(summary.rowsWritten);
    let numbers = 0;
    sheet.eachRow((r, n) => {
      if (n === 1) return;
      for (const col of [composite, interviewers]) {
        const value = r.getCell(col).value;
        if (value !== null && value !== undefined && value !== '') {
          expect(typeof value).toBe('number');
          numbers++;
        }
      }
    });
    expect(numbers).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('schedules a weekly export and lists it with its next run', async () => {
    if (!schedulesRoute) {
      // The API has no /export-schedules yet: the form says so instead of failing silently.
      console.warn('GET /api/v1/export-schedules is missing: schedules not tested');
      await page.check('[data-testid=export-when-weekly]');
      await page.click('[data-testid=export-submit]');
      await page.waitForSelector('[data-testid=export-form-error]');
      await page.check('[data-testid=export-when-now]');
      return;
    }
    await page.selectOption('[data-testid=export-source]', cohort.id);
    await page.check('[data-testid=export-format-csv]');
    await page.check('[data-testid=export-when-weekly]');
    await page.fill('[data-testid=schedule-name]', 'Weekly LinkedIn cohort');
    expect(await page.textContent('[data-testid=export-submit]')).toContain('Create schedule');
    await page.click('[data-testid=export-submit]');
    await page.waitForSelector('[data-testid=schedule-row]');
    const schedules = await apiGet<ExportSchedule[]>('/api/v1/export-schedules');
    const created = schedules.find((s) => s.name === 'Weekly LinkedIn cohort');
    if (!created) throw new Error(`schedule not created: ${JSON.stringify(schedules)}`);
    expect(created).toMatchObject({
      frequency: 'weekly',
      report: 'cohort',
      format: 'csv',
      cohortId: cohort.id,
    });
    const row = `[data-testid=schedule-row][data-schedule-id="${created.id}"]`;
    expect(await page.textContent(row)).toContain('Every week');
    expect((await page.textContent(`${row} [data-testid=schedule-next]`))?.trim()).not.toBe('—');
    await page.check('[data-testid=export-when-now]');
    expect(errors).toEqual([]);
  });

  it('renames and deletes saved cohorts', async () => {
    const res = await apiFetch('/api/v1/cohorts', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Referrals 2025',
        filters: { source: 'referral', appliedFrom: '2025-01-01' },
      }),
    });
    expect(res.status).toBe(201);
    const extra = (await res.json()) as Cohort;
    await page.click('[data-testid=exports-refresh]');
    await page.reload();
    const row = `[data-testid=cohort-row][data-cohort-id="${extra.id}"]`;
    await page.waitForSelector(row);
    expect(await page.textContent(row)).toContain('Source referral · Applied since 2025-01-01');
    await page.click(`${row} [data-testid=cohort-rename]`);
    await page.fill(`${row} [data-testid=cohort-rename-input]`, 'Referrals since 2025');
    await page.press(`${row} [data-testid=cohort-rename-input]`, 'Enter');
    await page.waitForFunction(
      (sel) => (document.querySelector(sel)?.textContent ?? '').includes('Referrals since 2025'),
      row,
    );
    expect(await apiGet<Cohort[]>('/api/v1/cohorts')).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: extra.id, name: 'Referrals since 2025' })]),
    );
    // The validity table takes no applied dates: the form says so before anything is sent.
    await page.selectOption('[data-testid=export-report]', 'validity');
    await page.selectOption('[data-testid=export-source]', extra.id);
    await page.waitForSelector('[data-testid=export-refused]');
    expect(await page.textContent('[data-testid=export-refused]')).toContain(
      'does not filter by applied dates',
    );
    await page.selectOption('[data-testid=export-report]', 'cohort');
    await page.waitForSelector('[data-testid=export-refused]', { state: 'detached' });
    await page.click(`${row} [data-testid=cohort-delete]`);
    await page.click(`${row} [data-testid=cohort-delete-confirm]`);
    await page.waitForSelector(row, { state: 'detached' });
    const left = await apiGet<Cohort[]>('/api/v1/cohorts');
    expect(left.map((c) => c.id)).toEqual([cohort.id]);
    expect(await page.textContent('[data-testid=cohort-message]')).toContain('Deleted the cohort');
    expect(errors).toEqual([]);
  });

  it('is axe-clean at 1280 and 360 px with nothing scrolling sideways', async () => {
    await page.click('[data-testid=exports-help] summary');
    await checkWidths(page, 'exports');
    expect(errors).toEqual([]);
  });

  it('shows a recruiter the cohort picker but no Exports link and no Download menu', async () => {
    const recruiter = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    recruiter.on('pageerror', (error) => errors.push(error.message));
    await signIn(recruiter, RECRUITER, '/funnel');
    await recruiter.waitForSelector('[data-testid=stages-table] tbody tr');
    await recruiter.waitForSelector('[data-testid=cohort-select]');
    expect(await recruiter.locator('[data-testid=nav-exports]').count()).toBe(0);
    expect(await recruiter.locator('[data-testid=download-menu]').count()).toBe(0);
    // The cohort saved by the analyst is the organization's: the recruiter can apply it to the funnel.
    await recruiter.selectOption('[data-testid=cohort-select]', cohort.id);
    await recruiter.waitForURL(/source=linkedin/);
    await recruiter.goto(`${api.url}/exports`);
    await recruiter.waitForURL(/not-available|\/funnel/);
    await recruiter.close();
    expect(errors).toEqual([]);
  });
});
