/**
 * A table too wide for its column scrolls inside its `.table-wrap` box. A box that scrolls must be reachable by
 * keyboard (WCAG 2.1.1; axe `scrollable-region-focusable`), so every such box gets a tab stop (named by the table's
 * caption when it has one), unless its template gave it one already. One watcher on the frame covers every screen, the
 * ones to come included, instead of each template remembering it.
 */
export function keepScrollRegionsFocusable(root: HTMLElement): () => void {
  const label = (wrap: HTMLElement) => {
    if (wrap.hasAttribute('tabindex')) return;
    wrap.setAttribute('tabindex', '0');
    const caption = wrap.querySelector('caption')?.textContent?.trim();
    if (caption && !wrap.hasAttribute('role')) {
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-label', `${caption} (table)`);
    }
  };
  const scan = () => root.querySelectorAll<HTMLElement>('.table-wrap').forEach(label);
  scan();
  const observer = new MutationObserver(scan);
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
