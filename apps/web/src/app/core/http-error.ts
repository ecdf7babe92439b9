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

export interface FieldProblem {
  field: string;
  message: string;
}

/** The per-field problems of a 400/422 answer (`problems`, or `errors` with a field), else none. */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof HttpErrorResponse) || !error.error || typeof error.error !== 'object') {
    return [];
  }
  const body = error.error as { problems?: unknown; errors?: unknown };
  const list = Array.isArray(body.problems) ? body.problems : Array.isArray(body.errors) ? body.errors : [];
  return list.flatMap((item: unknown) => {
    const p = item as Partial<FieldProblem> | null;
    return p && typeof p.message === 'string'
      ? [{ field: typeof p.field === 'string' ? p.field : '', message: p.message }]
      : [];
  });
}
