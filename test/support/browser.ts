import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './processes';

/*
 * What every browser suite checks on a screen: axe-core's WCAG 2.1 A/AA and best-practice rules, and that the page
 * itself does not scroll sideways (tables scroll inside their own box).
 */

export const AXE_SOURCE = process.env['AXE_CORE_PATH'] ?? join(ROOT, 'node_modules/axe-core/axe.min.js');

/** Debian's Chromium (installed by .ci/run); nothing downloads a browser. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Headless Chromium as every browser suite runs it; Playwright gives each launch a new, empty profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core on the page as it is, or only inside `within` (a CSS selector): no violations. */
export async function expectAccessible(page: Page, name: string, within?: string): Promise<void> {
  // Evaluated through the DevTools protocol: a <script> tag would be refused by the product's CSP (script-src 'self').
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
  const violations = await page.evaluate(async (selector) => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document | object, opts: object) => Promise<AxeResult> } }
    ).axe;
    const result = await axe.run(selector ? { include: [selector] } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  }, within);
  expect({ screen: name, violations }).toEqual({ screen: name, violations: [] });
}

/** The elements that stick out when the page scrolls sideways (none when it does not). */
export async function noSidewaysScroll(page: Page): Promise<string[]> {
  return page.evaluate(() =>
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
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
      : [],
  );
}

/**
 * Visible text cut off by its own box: elements holding text whose content is wider (or, where they hide overflow,
 * taller) than the box. Form fields, SVG, visually hidden text and boxes that scroll on purpose (overflow auto or
 * scroll, such as the table wrappers) are left out. Each entry names the element, its text and the two widths.
 */
export async function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      if (el.closest('svg, .visually-hidden, [aria-hidden="true"], input, textarea, select, script, style'))
        continue;
      const text = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (!text) continue;
      const style = getComputedStyle(el);
      if (style.display === 'inline' || style.display === 'contents' || style.visibility === 'hidden')
        continue;
      if (el.getClientRects().length === 0) continue;
      const scrolls = (v: string) => v === 'auto' || v === 'scroll';
      const wide = !scrolls(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const tall =
        (style.overflowY === 'hidden' || style.overflowY === 'clip') && el.scrollHeight > el.clientHeight + 1;
      if (wide || tall) {
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
        found.push(
          `${el.tagName.toLowerCase()}${cls} "${text.slice(0, 40)}" ${wide ? `${el.scrollWidth}>${el.clientWidth}px wide` : `${el.scrollHeight}>${el.clientHeight}px tall`}`,
        );
      }
    }
    return found.slice(0, 10);
  });
}
