import type { ImportRunSummary } from '@hiresignal/shared';
import {
  acceptFor,
  describeProgress,
  formatBytes,
  formatDuration,
  isActive,
  kindLabel,
  percentOf,
  sourceLabel,
  startedByText,
} from './imports-format';

function run(overrides: Partial<ImportRunSummary>): ImportRunSummary {
  return {
    importId: 'imp-1',
    kind: 'applications',
    source: 'csv',
    filename: 'apps.csv',
    fileSize: 2048,
    onError: 'reject',
    status: 'running',
    progress: { phase: 'writing', unit: 'rows', processed: 1200, total: 5000, percent: 24 },
    total: 5000,
    processed: 1200,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errorCount: 0,
    failureReason: null,
    attempts: 1,
    createdAt: '2026-11-26T07:00:00Z',
    startedAt: '2026-11-26T07:00:01Z',
    finishedAt: null,
    durationMs: null,
    startedBy: { userId: 'u', email: 'admin@example.com', apiKeyId: null, apiKeyName: null },
    ...overrides,
  };
}

describe('imports formatting', () => {
  it('formats sizes, durations and percentages', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(2_400_000)).toBe('2.4 MB');
    expect(formatBytes(null)).toBe('—');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(percentOf(50, 200)).toBe(25);
    expect(percentOf(5, 0)).toBeNull();
    expect(percentOf(300, 200)).toBe(100);
  });

  it('describes where an import is', () => {
    expect(describeProgress(run({}))).toBe('Writing: 1,200 of 5,000 rows (24%)');
    expect(
      describeProgress(
        run({
          progress: { phase: 'validating', unit: 'bytes', processed: 1000, total: 4000, percent: null },
        }),
      ),
    ).toBe('Checking the file: 1.0 kB of 4.0 kB (25%)');
    expect(
      describeProgress(
        run({
          status: 'queued',
          progress: { phase: 'queued', unit: 'rows', processed: 0, total: null, percent: null },
        }),
      ),
    ).toBe('Waiting for a worker…');
    expect(describeProgress(run({ status: 'completed', durationMs: 4200 }))).toBe('Completed in 4.2 s');
  });

  it('knows kinds, active statuses and who started an import', () => {
    expect(kindLabel('greenhouse')).toBe('Greenhouse Harvest export');
    expect(kindLabel('interview_scores')).toBe('Interview scores');
    expect(sourceLabel('api')).toBe('records API');
    expect(sourceLabel('csv')).toBe('CSV file');
    expect(kindLabel('something_new')).toBe('something_new');
    expect(acceptFor('lever')).toContain('.json');
    expect(acceptFor('separations')).toContain('.csv');
    expect(isActive('queued')).toBe(true);
    expect(isActive('failed')).toBe(false);
    expect(startedByText(run({}))).toBe('admin@example.com');
    expect(
      startedByText(run({ startedBy: { userId: null, email: null, apiKeyId: 'k', apiKeyName: 'ci' } })),
    ).toBe('API key ci');
  });
});
