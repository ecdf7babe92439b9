import {
  APPLIED_STEP,
  stageLabel,
  type DaysSummary,
  type FunnelFilters,
  type FunnelGroup,
  type FunnelMonth,
  type FunnelReport,
  type FunnelStage,
} from '@hiresignal/shared';
import { wilsonInterval } from '@hiresignal/stats';

export interface FunnelReportInput {
  filters: FunnelFilters;
  dataVersion: string;
  asOf: Date;
  successThreshold: number;
  stagesSource: 'settings' | 'data';
  stages: string[];
  /** Rows of funnelSql: kind 'total' | 'days' | 'shape' | 'group' | 'unmapped' with their JSON data. */
  rows: { kind: string; data: Record<string, unknown> }[];
  /** Job titles by job id, for labels. */
  jobTitles?: Map<string, string>;
}

/** Statuses that conclude an application at its furthest stage without a hire: exits. */
const EXIT_STATUSES = new Set(['rejected', 'withdrawn', 'offer_declined']);

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

function daysSummary(n: unknown, q: unknown): DaysSummary {
  const quantiles = Array.isArray(q) ? q.map((v) => (v === null ? null : Number(v))) : [null, null];
  const count = num(n);
  return {
    n: count,
    median: count > 0 ? (quantiles[0] ?? null) : null,
    p90: count > 0 ? (quantiles[1] ?? null) : null,
  };
}

function rate(successes: number, trials: number) {
  const ci = wilsonInterval(successes, trials);
  return { rate: ci?.rate ?? null, ciLow: ci?.ciLow ?? null, ciHigh: ci?.ciHigh ?? null };
}

/** Turns the funnel statement's rows into the report (the counts are the database's; rates and intervals here). */
export function buildFunnelReport(input: FunnelReportInput): FunnelReport {
  const total = input.rows.find((r) => r.kind === 'total')?.data ?? {};
  const applications = num(total['applications']);
  // Days in stage per position (none for a position without any).
  const days = new Map(
    input.rows.filter((r) => r.kind === 'days').map((r) => [num(r.data['position']), r.data] as const),
  );
  const steps = [APPLIED_STEP, ...input.stages];
  // Applications per (furthest step, status): reached S = furthest >= S, advanced = furthest > S, exited = furthest
  // = S with an exit status, in progress = furthest = S and active.
  const shape = input.rows
    .filter((r) => r.kind === 'shape')
    .map((r) => ({
      furthest: num(r.data['furthest']),
      status: String(r.data['status']),
      n: num(r.data['n']),
    }));
  const count = (test: (s: { furthest: number; status: string }) => boolean) =>
    shape.reduce((sum, s) => (test(s) ? sum + s.n : sum), 0);
  const stages: FunnelStage[] = steps.map((stage, i) => {
    const advanced = count((s) => s.furthest > i);
    const exited = count((s) => s.furthest === i && EXIT_STATUSES.has(s.status));
    const reached = count((s) => s.furthest >= i);
    const pass = rate(advanced, advanced + exited);
    return {
      stage,
      label: i === 0 ? 'Applied' : stageLabel(stage),
      implicit: i === 0,
      reached,
      advanced,
      exited,
      inProgress: count((s) => s.furthest === i && s.status === 'active'),
      passThroughRate: pass.rate,
      passThroughCiLow: pass.ciLow,
      passThroughCiHigh: pass.ciHigh,
      conversionFromApplied: applications > 0 ? reached / applications : null,
      daysInStage: advanced > 0 ? daysSummary(days.get(i)?.['n'], days.get(i)?.['q']) : null,
    };
  });

  const hired = num(total['hired']);
  const declined = num(total['declined']);
  const acceptance = rate(hired, hired + declined);

  const groups = input.rows.filter((r) => r.kind === 'group').map((r) => r.data);
  const byDimension = (
    dimension: string,
    label: (key: string | null, row: Record<string, unknown>) => string,
  ) =>
    groups
      .filter((g) => g['dimension'] === dimension)
      .map((g): FunnelGroup => {
        const key = (g['key'] as string | null) ?? null;
        const apps = num(g['applications']);
        const hires = num(g['hires']);
        const hireRate = rate(hires, apps);
        const successN = num(g['success_n']);
        const success = rate(num(g['successes']), successN);
        const ratingN = num(g['rating_n']);
        return {
          key,
          label: label(key, g),
          applications: apps,
          hires,
          inProgress: num(g['in_progress']),
          hireRate: hireRate.rate,
          hireRateCiLow: hireRate.ciLow,
          hireRateCiHigh: hireRate.ciHigh,
          meanLatestRating: ratingN > 0 ? Number(g['rating_mean']) : null,
          meanLatestRatingN: ratingN,
          successRate: success.rate,
          successN,
          successCiLow: success.ciLow,
          successCiHigh: success.ciHigh,
          successExcludedTooRecent: num(g['too_recent']),
        };
      })
      // Most hires first; then most applications; then by key, so the order is stable.
      .sort(
        (a, b) =>
          b.hires - a.hires ||
          b.applications - a.applications ||
          String(a.key ?? '\uffff').localeCompare(String(b.key ?? '\uffff')),
      );
  const none = (what: string) => `(no ${what})`;
  const byMonth: FunnelMonth[] = groups
    .filter((g) => g['dimension'] === 'month')
    .map((g) => {
      const apps = num(g['applications']);
      const hires = num(g['hires']);
      const hireRate = rate(hires, apps);
      return {
        month: String(g['key']),
        applications: apps,
        hires,
        inProgress: num(g['in_progress']),
        hireRate: hireRate.rate,
        hireRateCiLow: hireRate.ciLow,
        hireRateCiHigh: hireRate.ciHigh,
      };
    })
    .sort((a, b) => a.month.localeCompare(b.month));

  const unmappedStages = input.rows
    .filter((r) => r.kind === 'unmapped')
    .map((r) => ({ stage: String(r.data['stage']), events: num(r.data['events']) }))
    .sort((a, b) => b.events - a.events || a.stage.localeCompare(b.stage));

  return {
    filters: input.filters,
    dataVersion: input.dataVersion,
    asOf: input.asOf,
    computedAt: new Date(),
    successThreshold: input.successThreshold,
    stagesSource: input.stagesSource,
    applications,
    unmappedEvents: num(total['unmapped_events']),
    unmappedStages,
    stages,
    timeToHire: daysSummary(total['time_to_hire_n'], total['time_to_hire_q']),
    offerAcceptance: { hired, declined, ...acceptance },
    bySource: byDimension('source', (key) => key ?? none('source')),
    byJob: byDimension('job', (key, row) =>
      key === null ? none('job') : row['job_title'] ? `${String(row['job_title'])} (${key})` : key,
    ),
    byDepartment: byDimension('department', (key) => key ?? none('department')),
    byMonth,
  };
}
