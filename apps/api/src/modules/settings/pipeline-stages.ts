/**
 * The stages seen in an organization's stage events in their usual order: by the mean position of the stage among
 * each application's events ordered by entry time (ties by name), so a stage usually entered first comes first.
 * The funnel's default list when the organization has not set one (null pipeline_stages).
 */
export const SEEN_STAGES_SQL = `
  SELECT stage, count(*)::int AS events, avg(pos)::float8 AS mean_position
  FROM (
    SELECT stage,
      row_number() OVER (PARTITION BY application_external_id ORDER BY entered_at, stage) AS pos
    FROM stage_events WHERE organization_id = $1
  ) x
  GROUP BY stage
  ORDER BY mean_position, stage`;

export interface SeenStage {
  stage: string;
  events: number;
}

export function seenStagesFromRows(rows: Record<string, unknown>[]): SeenStage[] {
  return rows.map((r) => ({ stage: String(r['stage']), events: Number(r['events']) }));
}

/**
 * Brings the organization's funnel summaries (migration 1766000000000) up to date for the stage list $2: rebuilds
 * the days in stage when they were kept for another list (this one is new, or the order seen in the data changed),
 * and folds the cells' and buckets' deltas into sums. The funnel report runs it before its read, in the same
 * transaction; setting a list runs it too, so the first report after the change does not pay the rebuild.
 */
export const FUNNEL_REFRESH_SQL = 'SELECT funnel_refresh($1::uuid, $2::text[])';
