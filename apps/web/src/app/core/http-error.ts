import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorResponse } from '@hiresignal/shared';

/** A sentence a user can act on, from whatever the HTTP layer threw. */
export function describeHttpError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) {
      return 'The HireSignal server cannot be reached. Check your connection and try again.';
    }
    const body = error.error as Partial<ErrorResponse> | null;
    if (body && typeof body.message === 'string' && body.message.length > 0) {
      return /[.!?]$/.test(body.message) ? body.message : `${body.message}.`;
    }
    return `The server answered ${error.status} ${error.statusText}`.trim() + '.';
  }
  return 'Something went wrong. Try again.';
}
