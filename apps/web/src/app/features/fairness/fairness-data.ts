import { HttpClient, HttpParams } from '@angular/common/http';
import {
  type Observable,
  catchError,
  combineLatest,
  distinctUntilChanged,
  map,
  of,
  startWith,
  switchMap,
} from 'rxjs';
import { API_BASE } from '../../core/api.service';
import { type LoadState, toLoadState } from '../../core/load-state';
import { type FairnessUrlFilters, paramsKey } from './fairness-filters';

/**
 * One fairness report as a load state: requested again only when its own parameters change (a change of the
 * decision does not refetch the bias audit), or when retry$ emits.
 */
export function loadReport<T>(
  http: HttpClient,
  path: string,
  filters$: Observable<FairnessUrlFilters>,
  toParams: (filters: FairnessUrlFilters) => Record<string, string>,
  retry$: Observable<void>,
): Observable<LoadState<T>> {
  const params$ = filters$.pipe(
    map(toParams),
    distinctUntilChanged((a, b) => paramsKey(a) === paramsKey(b)),
  );
  return combineLatest([params$, retry$.pipe(startWith(undefined))]).pipe(
    switchMap(([params]) =>
      toLoadState(
        http.get<T>(`${API_BASE}/analytics/${path}`, { params: new HttpParams({ fromObject: params }) }),
      ),
    ),
  );
}

interface RubricCriteria {
  isDefault?: boolean;
  criteria?: { key: string }[];
}

/** The criterion keys of the organization's rubrics (the default rubric's first); none when it cannot be read. */
export function loadCriteria(http: HttpClient): Observable<string[]> {
  return http.get<RubricCriteria[]>(`${API_BASE}/rubrics`).pipe(
    map((rubrics) => {
      const ordered = [...rubrics].sort(
        (a, b) => Number(b.isDefault ?? false) - Number(a.isDefault ?? false),
      );
      return [...new Set(ordered.flatMap((r) => (r.criteria ?? []).map((c) => c.key)))];
    }),
    catchError(() => of([] as string[])),
  );
}
