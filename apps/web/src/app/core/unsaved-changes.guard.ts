import type { CanDeactivateFn } from '@angular/router';

/** A screen with a form that can hold edits not yet saved. */
export interface HasUnsavedChanges {
  hasUnsavedChanges(): boolean;
}

export const LEAVE_WITH_UNSAVED_CHANGES =
  'You have changes that are not saved. Leave this page and discard them?';

/**
 * Asks before leaving a screen whose edits are not saved (the browser's own question covers closing the tab or
 * reloading: see `warnBeforeUnload`).
 */
export const unsavedChangesGuard: CanDeactivateFn<HasUnsavedChanges> = (component) =>
  !component.hasUnsavedChanges() || window.confirm(LEAVE_WITH_UNSAVED_CHANGES);

/** For a `window:beforeunload` listener: makes the browser ask before the page is closed or reloaded. */
export function warnBeforeUnload(event: BeforeUnloadEvent, unsaved: boolean): void {
  if (unsaved) {
    event.preventDefault();
    // Older browsers need returnValue set to show the question.
    event.returnValue = '';
  }
}
