import { Observable, catchError, map, of, startWith } from 'rxjs';
import { describeHttpError } from './http-error';

/** What a screen knows about one request: still loading, the answer, or a sentence explaining the failure. */
export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; message: string };

export const LOADING: LoadState<never> = { status: 'loading' };

/** Wraps a request so it never errors: loading first, then the data or a readable error. */
export function toLoadState<T>(request: Observable<T>): Observable<LoadState<T>> {
  return request.pipe(
    map((data): LoadState<T> => ({ status: 'ready', data })),
    catchError((error: unknown) => of<LoadState<T>>({ status: 'error', message: describeHttpError(error) })),
    startWith<LoadState<T>>(LOADING),
  );
}

export function dataOf<T>(state: LoadState<T>): T | null {
  return state.status === 'ready' ? state.data : null;
}

export function errorOf<T>(state: LoadState<T>): string {
  return state.status === 'error' ? state.message : '';
}
