import type { ImportKind, ImportRunSummary, ImportStatus } from '@hiresignal/shared';

/** Keyed by the shared ImportKind type, so a new kind in the contract fails to compile here. */
export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  applications: 'Applications (CSV)',
  stage_events: 'Stage events (CSV)',
  interview_scores: 'Interview scores (CSV)',
  performance_reviews: 'Performance reviews (CSV)',
  separations: 'Separations (CSV)',
  demographics: 'Demographics (CSV)',
  greenhouse: 'Greenhouse Harvest export (JSON)',
  lever: 'Lever export (JSON)',
};

/** The kind without its file format: "Applications", "Greenhouse Harvest export". */
export function kindLabel(kind: string): string {
  return Object.hasOwn(IMPORT_KIND_LABELS, kind)
    ? IMPORT_KIND_LABELS[kind as ImportKind].replace(/ \((CSV|JSON)\)$/, '')
    : kind;
}

/** How the data arrived: "CSV file", "JSON records API". */
export function sourceLabel(source: string): string {
  if (source === 'api') {
    return 'records API';
  }
  return source === 'csv' ? 'CSV file' : 'JSON export';
}

export function acceptFor(kind: ImportKind): string {
  return kind === 'greenhouse' || kind === 'lever' ? '.json,application/json' : '.csv,text/csv';
}

export const STATUS_LABELS: Record<ImportStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
};

export function isActive(status: ImportStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** 1536 → "1.5 kB", 2_400_000 → "2.4 MB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) {
    return '—';
  }
  if (bytes < 1000) {
    return `${bytes} B`;
  }
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** 0..100, or null while the total is unknown. */
export function percentOf(processed: number, total: number | null | undefined): number | null {
  if (!total || total <= 0) {
    return null;
  }
  return Math.max(0, Math.min(100, Math.floor((processed / total) * 100)));
}

/** One line for where an import is: "Writing rows: 1,200 of 5,000 (24%)". */
export function describeProgress(run: ImportRunSummary): string {
  if (run.status === 'failed') {
    return 'Failed';
  }
  if (run.status === 'completed') {
    return run.durationMs === null ? 'Completed' : `Completed in ${formatDuration(run.durationMs)}`;
  }
  const p = run.progress;
  const phase =
    p.phase === 'receiving'
      ? 'Receiving the file'
      : p.phase === 'queued'
        ? 'Waiting for a worker'
        : p.phase === 'validating'
          ? 'Checking the file'
          : p.phase === 'writing'
            ? 'Writing'
            : 'Finishing';
  if (p.total === null || p.total === 0) {
    return `${phase}…`;
  }
  const amount =
    p.unit === 'bytes'
      ? `${formatBytes(p.processed)} of ${formatBytes(p.total)}`
      : `${p.processed.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} rows`;
  const percent = p.percent ?? percentOf(p.processed, p.total);
  return `${phase}: ${amount}${percent === null ? '' : ` (${percent}%)`}`;
}

/** "4.2 s", "2 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  }
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "26 Nov 2026, 07:05" in the user's time zone. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return date.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function startedByText(run: ImportRunSummary): string {
  const by = run.startedBy;
  if (!by) {
    return '—';
  }
  if (by.email) {
    return by.email;
  }
  return by.apiKeyName ? `API key ${by.apiKeyName}` : by.apiKeyId ? 'API key' : 'System';
}
