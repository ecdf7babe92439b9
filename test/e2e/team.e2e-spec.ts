import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createStorage, ROOT, startApi, type ApiProcess, type Storage } from '../support/processes';
import { AXE_SOURCE, expectAccessible, launchChromium } from '../support/browser';

/*
 * Team accounts and access in Chromium, against `npm start`'s server with the demo organization: the admin invites a
 * recruiter, a talent leader and an analyst; each accepts the link in a browser of their own and sees exactly the
 * screens of their role; the admin disables one of them, creates and revokes an API key, and reads the audit log.
 * The new screens pass axe-core and are photographed at 360 and 1280 px.
 */
// axe-core (devDependency) is injected into the page as a script file, never imported here.
const ADMIN = 'admin@demo.hiresignal.local';
const PASSWORD = 'e2e-demo-password';
const NEW_PASSWORD = 'violet kettle harbour 42';
const SCREENSHOT_DIR = join(ROOT, 'tmp', 'screenshots');

type InvitedRole = 'recruiter' | 'talent_leader' | 'analyst';

/** The navigation each role must show, in order (libs/shared access.ts; Settings is readable by every role). */
// Every role starts on the overview; the glossary closes every list.
const NAV: Record<InvitedRole, string[]> = {
  recruiter: ['overview', 'funnel', 'imports', 'settings', 'glossary'],
  talent_leader: ['overview', 'validity', 'interviewers', 'funnel', 'fairness', 'settings', 'glossary'],
  analyst: [
    'overview',
    'validity',
    'interviewers',
    'funnel',
    'fairness',
    'exports',
    'imports',
    'settings',
    'glossary',
  ],
};
const ADMIN_NAV = [...NAV.analyst.slice(0, -1), 'team', 'audit', 'glossary'];

interface Invitee {
  role: InvitedRole;
  email: string;
  link: string;
  context?: BrowserContext;
  page?: Page;
}

/** The browser logs every 4xx resource as an error; these answers are expected in this flow. */
const EXPECTED = /status of (401|403|404|409|410|422)\b|401 \(Unauthorized\)/;

function watchConsole(page: Page, errors: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !EXPECTED.test(msg.text())) errors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
}

/** Full-page screenshots at 1280 and 360 px; at 360 the page itself must not scroll sideways. */
async function shoot(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    await page.waitForTimeout(150);
    // The elements that stick out, when the page scrolls sideways (tables scroll inside their own box).
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth > window.innerWidth
        ? Array.from(document.querySelectorAll('body *'))
            .filter((el) => {
              if (el.getBoundingClientRect().right <= window.innerWidth + 1) return false;
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') return false;
              }
              return true;
            })
            .slice(0, 5)
            .map(
              (el) =>
                `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`,
            )
        : [],
    );
    expect({ screen: name, width, overflow }).toEqual({ screen: name, width, overflow: [] });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

async function navPaths(page: Page): Promise<string[]> {
  await page.waitForSelector('nav[aria-label=Screens] a');
  return page
    .locator('nav[aria-label=Screens] a')
    .evaluateAll((els) => els.map((el) => (el.getAttribute('data-testid') ?? '').replace(/^nav-/, '')));
}

describe('team accounts and access in Chromium', () => {
  let storage: Storage;
  let api: ApiProcess;
  let browser: Browser;
  let admin: Page;
  const consoleErrors: string[] = [];
  const suffix = Date.now().toString(36);
  const invitees: Invitee[] = (['recruiter', 'talent_leader', 'analyst'] as const).map((role) => ({
    role,
    email: `${role.replace('_', '-')}-${suffix}@example.com`,
    link: '',
  }));

  beforeAll(async () => {
    if (!existsSync(AXE_SOURCE))
      throw new Error(`${AXE_SOURCE} is missing: install axe-core (a devDependency)`);
    storage = await createStorage();
    api = await startApi({ ...storage.env, SEED_DEMO: 'true', DEMO_PASSWORD: PASSWORD });
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    watchConsole(admin, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await storage?.dispose();
  });

  it('the admin sees every screen and invites a recruiter, a talent leader and an analyst', async () => {
    await admin.goto(`${api.url}/`);
    await admin.waitForURL(/\/login/);
    await admin.fill('[data-testid=login-email]', ADMIN);
    await admin.fill('[data-testid=login-password]', PASSWORD);
    await admin.click('[data-testid=login-submit]');
    await admin.waitForURL(/\/overview/);
    expect(await navPaths(admin)).toEqual(ADMIN_NAV);

    await admin.click('[data-testid=nav-team]');
    await admin.waitForURL(/\/team$/);
    await admin.waitForSelector(`[data-testid=user-row][data-email="${ADMIN}"]`);

    for (const invitee of invitees) {
      await admin.fill('[data-testid=invite-email]', invitee.email);
      await admin.selectOption('[data-testid=invite-role]', invitee.role);
      await admin.click('[data-testid=invite-submit]');
      const field = admin.locator('[data-testid=invitation-link-value]');
      await field.waitFor();
      await expect(admin.textContent('[data-testid=invitation-link]')).resolves.toContain(invitee.email);
      invitee.link = await field.inputValue();
      const url = new URL(invitee.link);
      expect(url.pathname).toBe('/accept-invitation');
      expect(url.hash).toMatch(/^#token=[\w~.-]{16,}$/);
      expect(url.search).toBe('');
      await admin.waitForSelector(
        `[data-testid=user-row][data-email="${invitee.email}"][data-status=invited]`,
      );
      if (invitee.role === 'analyst') {
        await expectAccessible(admin, 'team with an invitation link');
        await shoot(admin, 'team-invitation');
      }
      await admin.click('[data-testid=invitation-link] button:has-text("Done")');
      await admin.waitForSelector('[data-testid=invitation-link]', { state: 'detached', timeout: 5000 });
      await expect(admin.locator('[data-testid=invitation-link]').count()).resolves.toBe(0);
    }
    // A second invitation for an address that already has an account is refused in plain words.
    await admin.fill('[data-testid=invite-email]', ADMIN);
    await admin.click('[data-testid=invite-submit]');
    await admin.waitForSelector('[data-testid=invite-error]');
  });

  it('each invitee sets a password from the link and sees exactly the screens of their role', async () => {
    for (const invitee of invitees) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      watchConsole(page, consoleErrors);
      invitee.context = context;
      invitee.page = page;
      // Links carry the origin the admin reached the server at; the test server listens on api.url.
      const { pathname, hash } = new URL(invitee.link);
      await page.goto(`${api.url}${pathname}${hash}`);
      await page.waitForSelector('[data-testid=accept-form]');
      await expect(page.textContent('[data-testid=accept-for]')).resolves.toContain(invitee.email);
      await expect(page.textContent('[data-testid=accept-for]')).resolves.toContain('Demo');

      if (invitee.role === 'recruiter') {
        await expectAccessible(page, 'accept invitation');
        await shoot(page, 'accept-invitation');
        // Too short: said before anything is sent.
        await page.fill('[data-testid=accept-password]', 'short');
        await page.fill('[data-testid=accept-confirm]', 'short');
        await page.click('[data-testid=accept-submit]');
        await expect(page.textContent('[data-testid=accept-password-error]')).resolves.toMatch(/at least 12/);
        // Long enough but common: the server's 422 problems are shown on the field.
        await page.fill('[data-testid=accept-password]', 'password1234');
        await page.fill('[data-testid=accept-confirm]', 'password1234');
        await page.click('[data-testid=accept-submit]');
        await expect(
          page.waitForSelector('[data-testid=accept-password-error]:has-text("common")'),
        ).resolves.toBeTruthy();
        await expectAccessible(page, 'accept invitation with a password problem');
        await page.screenshot({ path: join(SCREENSHOT_DIR, 'accept-invitation-problem-1280.png') });
      }

      await page.fill('[data-testid=accept-password]', NEW_PASSWORD);
      await page.fill('[data-testid=accept-confirm]', NEW_PASSWORD);
      await page.click('[data-testid=accept-submit]');
      const home = NAV[invitee.role][0];
      await page.waitForURL(new RegExp(`/${home}$`));
      await expect(page.textContent('[data-testid=user-email]')).resolves.toContain(invitee.email);
      expect({ role: invitee.role, nav: await navPaths(page) }).toEqual({
        role: invitee.role,
        nav: NAV[invitee.role],
      });

      // The link is single-use.
      const again = await page.evaluate(
        async (token) => (await fetch(`/api/v1/auth/invitations/${token}`)).status,
        new URL(invitee.link).hash.replace('#token=', ''),
      );
      expect([404, 410]).toContain(again);

      // Team (and the audit log) are admins' screens: a friendly refusal, never the screen itself.
      for (const path of ['team', 'audit']) {
        await page.goto(`${api.url}/${path}`);
        await page.waitForSelector('[data-testid=not-available]');
        expect(page.url()).toContain('/not-available');
        await expect(page.locator('[data-testid=users]').count()).resolves.toBe(0);
        await expect(page.locator('[data-testid=audit-entries]').count()).resolves.toBe(0);
      }
      if (invitee.role === 'recruiter') {
        await expectAccessible(page, 'not available');
        await page.goto(`${api.url}/validity`);
        await page.waitForSelector('[data-testid=not-available]');
        // Imports: the status list only; Settings: read-only.
        await page.click('[data-testid=nav-imports]');
        await page.waitForSelector('[data-testid=import-read-only]');
        await expect(page.locator('[data-testid=import-form]').count()).resolves.toBe(0);
        await page.click('[data-testid=nav-settings]');
        await page.waitForSelector('[data-testid=settings-view]');
        await expect(page.locator('[data-testid=settings-form]').count()).resolves.toBe(0);
      }
    }
  });

  it('the admin disables the recruiter, whose next navigation ends on the sign-in page', async () => {
    const recruiter = invitees[0];
    await admin.goto(`${api.url}/team`);
    for (const invitee of invitees) {
      await admin.waitForSelector(
        `[data-testid=user-row][data-email="${invitee.email}"][data-status=active]`,
      );
    }
    await admin.click(`[data-testid=user-row][data-email="${recruiter.email}"] [data-testid=user-disable]`);
    await admin.waitForSelector(
      `[data-testid=user-row][data-email="${recruiter.email}"][data-status=disabled]`,
    );

    const page = recruiter.page as Page;
    await page.click('[data-testid=nav-imports]');
    await page.waitForURL(/\/login/);
    await page.goto(`${api.url}/funnel`);
    await page.waitForURL(/\/login/);
    // The disabled account cannot sign in again either.
    await page.fill('[data-testid=login-email]', recruiter.email);
    await page.fill('[data-testid=login-password]', NEW_PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=login-error]');
    expect(page.url()).toContain('/login');

    // The last active admin cannot be demoted: the 409 is shown in words beside the table.
    await admin.selectOption(
      `[data-testid=user-row][data-email="${ADMIN}"] [data-testid=user-role]`,
      'analyst',
    );
    await admin.waitForSelector('[data-testid=user-row-error]');
    await expect(
      admin.inputValue(`[data-testid=user-row][data-email="${ADMIN}"] [data-testid=user-role]`),
    ).resolves.toBe('admin');
    await expectAccessible(admin, 'team');
    await shoot(admin, 'team');
  });

  it('an API key is shown once, works, and stops working when revoked', async () => {
    await admin.fill('[data-testid=key-name]', `E2E sync ${suffix}`);
    await admin.selectOption('[data-testid=key-role]', 'analyst');
    await admin.click('[data-testid=key-submit]');
    const field = admin.locator('[data-testid=created-key-value]');
    await field.waitFor();
    const key = await field.inputValue();
    await expect(admin.textContent('[data-testid=created-key]')).resolves.toMatch(
      /will not see this key again/,
    );
    const row = `[data-testid=key-row][data-name="E2E sync ${suffix}"]`;
    await admin.waitForSelector(`${row}[data-status=active]`);
    const prefix = (await admin.textContent(`${row} code`))?.replace('…', '').trim() ?? '';
    expect(prefix.length).toBeGreaterThan(0);
    expect(key.startsWith(prefix)).toBe(true);
    await expectAccessible(admin, 'team with a new API key');
    await shoot(admin, 'team-api-key');

    const withKey = () => fetch(`${api.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${key}` } });
    expect((await withKey()).status).toBe(200);

    // Once dismissed, the key is gone from the page for good.
    await admin.click('[data-testid=created-key] button:has-text("Done")');
    // The panel leaves on the next render: wait for it (counting at once raced it on a loaded machine).
    await admin.waitForSelector('[data-testid=created-key]', { state: 'detached', timeout: 5000 });
    await expect(admin.locator('[data-testid=created-key]').count()).resolves.toBe(0);
    await admin.reload();
    await admin.waitForSelector(row);
    expect(await admin.content()).not.toContain(key);

    await admin.click(`${row} [data-testid=key-revoke]`);
    await admin.click(`${row} [data-testid=key-revoke-confirm]`);
    await admin.waitForSelector(`${row}[data-status=revoked]`);
    expect((await withKey()).status).toBe(401);
  });

  it('the profile page refuses a wrong current password and marks this device among the sessions', async () => {
    await admin.click('[data-testid=profile-link]');
    await admin.waitForURL(/\/profile$/);
    await admin.waitForSelector('[data-testid=session-row]');
    await expect(admin.locator('[data-testid=session-current]').count()).resolves.toBe(1);
    // Wrong current password: said on the field, nothing changes.
    await admin.fill('[data-testid=current-password]', 'not the password');
    await admin.fill('[data-testid=new-password]', NEW_PASSWORD);
    await admin.fill('[data-testid=confirm-password]', NEW_PASSWORD);
    await admin.click('[data-testid=password-submit]');
    await admin.waitForSelector('#current-password-error, [data-testid=password-error]');
    await expectAccessible(admin, 'profile');
    await shoot(admin, 'profile');
  });

  it('the audit log lists the invitations and sign-ins, filters by action in the URL and exports CSV', async () => {
    await admin.click('[data-testid=nav-audit]');
    await admin.waitForURL(/\/audit$/);
    await admin.waitForSelector('[data-testid=audit-row]');
    const actions = await admin
      .locator('[data-testid=audit-row]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
    expect(actions.filter((a) => a === 'user.invited').length).toBeGreaterThanOrEqual(3);
    expect(actions).toContain('user.login');
    expect(actions).toContain('user.invitation_accepted');
    expect(actions).toContain('user.disabled');
    expect(actions).toContain('api_key.revoked');
    for (const invitee of invitees) {
      await expect(admin.textContent('[data-testid=audit-entries]')).resolves.toContain(invitee.email);
    }
    await expectAccessible(admin, 'audit log');
    await shoot(admin, 'audit');

    await admin.fill('[data-testid=audit-action]', 'user.login');
    await admin.click('[data-testid=audit-apply]');
    await admin.waitForURL(/\/audit\?action=user\.login$/);
    await admin.waitForFunction(() => {
      const rows = Array.from(document.querySelectorAll('[data-testid=audit-row]'));
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-action') === 'user.login');
    });
    // The filter survives a reload, and the export link carries it.
    await admin.reload();
    await expect(admin.inputValue('[data-testid=audit-action]')).resolves.toBe('user.login');
    const href = await admin.getAttribute('[data-testid=audit-export]', 'href');
    expect(href).toBe('/api/v1/audit-log/export.csv?action=user.login');
    const csv = await admin.evaluate(async (url) => {
      const res = await fetch(url);
      return { type: res.headers.get('content-type'), text: await res.text() };
    }, href as string);
    expect(csv.type).toMatch(/text\/csv/);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^id,at,action/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes('user.login'))).toBe(true);

    expect(consoleErrors).toEqual([]);
  });
});
