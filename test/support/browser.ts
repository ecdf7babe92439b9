import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './processes';

/*
 * What every browser suite checks on a screen: axe-core's WCAG 2.1 A/AA and best-practice rules, and that the page
 * itself does not scroll sideways (tables scroll inside their own box).
 */

export const AXE_SOURCE = process.env['AXE_CORE_PATH'] ?? join(ROOT, 'node_modules/axe-core/axe.min.js');

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
