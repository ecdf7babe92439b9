import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import type { ImportKind, ImportRunDetail, ImportRunSummary, OnErrorMode } from '@hiresignal/shared';
import {
  Subject,
  catchError,
  distinctUntilChanged,
  exhaustMap,
  map,
  of,
  startWith,
  switchMap,
  takeWhile,
  tap,
  timer,
  type Subscription,
} from 'rxjs';
import { can } from '../../core/access';
import { ApiService } from '../../core/api.service';
import { AuthService } from '../../core/auth.service';
import { describeHttpError } from '../../core/http-error';
import { LOADING, type LoadState, dataOf, errorOf, toLoadState } from '../../core/load-state';
import {
  IMPORT_KIND_LABELS,
  STATUS_LABELS,
  acceptFor,
  describeProgress,
  formatBytes,
  formatDuration,
  formatWhen,
  isActive,
  kindLabel,
  percentOf,
  sourceLabel,
  startedByText,
} from './imports-format';

type UploadState =
  | { status: 'idle' }
  | { status: 'uploading'; loaded: number; total: number | null }
  | { status: 'error'; message: string };

const POLL_MS = 1000;

@Component({
  selector: 'hs-imports',
  templateUrl: './imports.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportsComponent {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly auth = inject(AuthService);
  private readonly refresh$ = new Subject<void>();
  private readonly retryRun$ = new Subject<void>();
  private uploadSubscription: Subscription | null = null;

  /** Only admins send data; other roles with import access see the status of past imports. */
  protected readonly canUpload = computed(() => {
    const role = this.auth.session()?.role;
    return !!role && can(role, 'importsWrite');
  });
  protected readonly kinds = Object.entries(IMPORT_KIND_LABELS).map(([value, label]) => ({
    value: value as ImportKind,
    label,
  }));
  protected readonly kind = signal<ImportKind>('applications');
  protected readonly onError = signal<OnErrorMode>('reject');
  protected readonly file = signal<File | null>(null);
  protected readonly upload = signal<UploadState>({ status: 'idle' });
  protected readonly formError = signal<string | null>(null);
  protected readonly accept = computed(() => acceptFor(this.kind()));

  protected readonly uploadPercent = computed(() => {
    const state = this.upload();
    return state.status === 'uploading' ? percentOf(state.loaded, state.total ?? this.file()?.size) : null;
  });

  private readonly selectedId$ = this.route.queryParamMap.pipe(
    map((params) => params.get('import')),
    distinctUntilChanged(),
  );
  protected readonly selectedId = toSignal(this.selectedId$, { initialValue: null });

  /** The selected import, polled every second while it is queued or running. */
  protected readonly runState = toSignal(
    this.selectedId$.pipe(
      switchMap((id) =>
        id === null
          ? of(null)
          : this.retryRun$.pipe(
              startWith(undefined),
              switchMap(() => toLoadState(this.poll(id))),
            ),
      ),
    ),
    { initialValue: null as LoadState<ImportRunDetail> | null },
  );

  protected readonly run = computed(() => {
    const state = this.runState();
    return state ? dataOf(state) : null;
  });
  protected readonly runError = computed(() => {
    const state = this.runState();
    return state ? errorOf(state) : '';
  });

  protected readonly listState = toSignal(
    this.refresh$.pipe(
      startWith(undefined),
      switchMap(() =>
        this.api.imports().pipe(
          map((data): LoadState<ImportRunSummary[]> => ({ status: 'ready', data })),
          catchError((error: unknown) =>
            of<LoadState<ImportRunSummary[]>>({ status: 'error', message: describeHttpError(error) }),
          ),
        ),
      ),
      startWith(LOADING as LoadState<ImportRunSummary[]>),
    ),
    { initialValue: LOADING as LoadState<ImportRunSummary[]> },
  );
  protected readonly list = computed(() => dataOf(this.listState()) ?? []);
  protected readonly listError = computed(() => errorOf(this.listState()));

  protected readonly runPercent = computed(() => {
    const run = this.run();
    if (!run) {
      return null;
    }
    if (run.status === 'completed') {
      return 100;
    }
    return run.progress.percent ?? percentOf(run.progress.processed, run.progress.total);
  });

  protected readonly statusLabels = STATUS_LABELS;
  protected readonly kindLabel = kindLabel;
  protected readonly sourceLabel = sourceLabel;
  protected readonly formatBytes = formatBytes;
  protected readonly formatDuration = formatDuration;
  protected readonly formatWhen = formatWhen;
  protected readonly describeProgress = describeProgress;
  protected readonly isActive = isActive;
  protected readonly startedBy = startedByText;

  constructor() {
    // Keep the list's running imports moving even when none is selected.
    timer(3000, 3000)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => {
        if (this.list().some((item) => isActive(item.status))) {
          this.refresh$.next();
        }
      });
    this.destroyRef.onDestroy(() => this.uploadSubscription?.unsubscribe());
  }

  protected setKind(value: string): void {
    this.kind.set(value as ImportKind);
  }

  protected setFile(input: HTMLInputElement): void {
    this.file.set(input.files?.item(0) ?? null);
    this.formError.set(null);
  }

  protected submit(event: Event, fileInput: HTMLInputElement): void {
    event.preventDefault();
    const file = this.file();
    if (!file) {
      this.formError.set('Choose a file to upload.');
      return;
    }
    this.formError.set(null);
    this.upload.set({ status: 'uploading', loaded: 0, total: file.size });
    this.uploadSubscription = this.api.uploadImport(file, this.kind(), this.onError()).subscribe({
      next: (uploadEvent) => {
        if (uploadEvent.type === 'progress') {
          this.upload.set({ status: 'uploading', loaded: uploadEvent.loaded, total: uploadEvent.total });
          return;
        }
        this.upload.set({ status: 'idle' });
        this.file.set(null);
        fileInput.value = '';
        this.refresh$.next();
        this.select(uploadEvent.body.importId);
      },
      error: (error: unknown) => {
        this.upload.set({ status: 'error', message: this.uploadMessage(error) });
      },
    });
  }

  protected cancelUpload(): void {
    this.uploadSubscription?.unsubscribe();
    this.upload.set({ status: 'idle' });
  }

  protected select(importId: string | null): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { import: importId },
      queryParamsHandling: 'merge',
    });
  }

  protected refresh(): void {
    this.refresh$.next();
  }

  protected retryRun(): void {
    this.retryRun$.next();
  }

  private poll(importId: string) {
    let lastStatus: string | null = null;
    return timer(0, POLL_MS).pipe(
      exhaustMap(() => this.api.importRun(importId)),
      tap((run) => {
        if (lastStatus !== null && run.status !== lastStatus) {
          this.refresh$.next();
        }
        lastStatus = run.status;
      }),
      takeWhile((run) => isActive(run.status), true),
    );
  }

  private uploadMessage(error: unknown): string {
    if (error instanceof HttpErrorResponse) {
      if (error.status === 401) {
        return 'Your session has expired. Sign in again, then upload the file.';
      }
      if (error.status === 403) {
        return 'Only admins can import data.';
      }
      if (error.status === 413) {
        return 'The file is larger than the server accepts.';
      }
    }
    return describeHttpError(error);
  }
}
