import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDemoData, writeDemoData, type DemoData } from '@hiresignal/demo-data';
import {
  RECORD_KINDS,
  type DaysSummary,
  type FunnelGroup,
  type FunnelMonth,
  type FunnelReport,
  type PipelineStagesSetting,
  type RecordKind,
} from '@hiresignal/shared';
import type { Principal } from '../../src/modules/identity/access.decorators';
import { IngestionService } from '../../src/modules/ingestion/ingestion.service';
import { RubricsService } from '../../src/modules/records/rubrics.service';
import {
  bearer,
  createOrganization,
  must,
  startTestApp,
  waitForImport,
  type TestApp,
} from '../support/test-app';

/*
 * Issue 11, "Done means": the Funnel report's figures match a hand computation from the demo's CSV files (the
 * generator's output) to the last digit.
 *
 * 1. The demo data is generated as the demo organization gets it (demo-seeder.service.ts): the seeder's DEMO_SEED
 *    (read from its source, so a change there is followed), the configured DEMO_APPLICATIONS (default 2000, the real
 *    demo size: it ingests in a few seconds) and a FIXED asOf, so the sample is the same every day.
 * 2. The library's own writer (writeDemoData) writes the CSV files into a temp dir; this test reads them back with
 *    its own small RFC 4180 parser (not the product's) and computes the funnel in plain TypeScript from the
 *    definitions of PRODUCT.md, "Funnel definitions", quoted below.
 * 3. The same records go into a fresh organization the way the demo seeder puts them in: the rubric, the pipeline
 *    stage list of PRODUCT.md (the seeder writes data.stages; here through PUT /settings/pipeline-stages), then every
 *    kind through IngestionService.submit in chunks of MAX_RECORDS_PER_REQUEST, waiting for each import.
 * 4. GET /api/v1/analytics/funnel unfiltered and with filters (a source; an applied-date cohort; a department with
 *    a cohort; a job) is compared figure by figure with the hand computation.
 * 5. Every stage event is then moved by an hour and put back through the same ingestion (upserts that update each
 *    row twice); the funnel must follow both states, so figures derived from the events at write time stay right.
 *
 * Runtime: the demo's real size (2000 applications, about 30,000 records of all kinds) ingests and checks in
 * 10 to 20 s on PostgreSQL and on PGlite, so no smaller size is needed.
 *
 * Tolerance: counts (applications, reached, advanced, exited, in progress, n, hires, events) must be equal. Rates,
 * interval ends, means and day summaries must agree to 1e-9 relative (with a 1e-12 absolute floor for values that
 * are 0 in exact arithmetic). The screen shows rates to 0.1 percentage point and days to 0.1 day, so 1e-9 is many
 * digits past the last one shown, while it leaves room for floating-point evaluation order (PostgreSQL's
 * percentile_cont interpolation and avg against the same formulas in JavaScript differ by at most a few ulps).
 *
 * Success outcome: the product judges it on the start of the current UTC day (the server's clock), not on the
 * data's asOf. The expected success figures are therefore computed for the judgement day the report states
 * (report.asOf), after checking that it is the start of the UTC day of the request.
 */

/** PRODUCT.md, "Funnel definitions": "the demo's is recruiter_screen, ..., offer, hired". */
const PRODUCT_DEMO_STAGES = [
  'recruiter_screen',
  'pipeline_debugging',
  'inference_latency',
  'system_design',
  'cross_functional',
  'offer',
  'hired',
];
/** A fixed "today" of the data set (any instant works; fixed so the sample is the same on every run). */
const AS_OF = new Date('2026-11-26T18:00:00Z');
/** PRODUCT.md, "Statistical definitions": success threshold default 4 of 5. */
const SUCCESS_THRESHOLD = 4;
const DAY_MS = 86_400_000;
/** PRODUCT.md: "no involuntary or regretted separation within 365 days of hire". */
const JUDGEMENT_DAYS = 365;
/** PRODUCT.md: z = 1.959964 (two-sided 95%). */
const Z = 1.959964;
const EXIT_STATUSES = new Set(['rejected', 'withdrawn', 'offer_declined']);
const RELATIVE_TOLERANCE = 1e-9;
const ABSOLUTE_FLOOR = 1e-12;

// ---------------------------------------------------------------------------------------------------------------
// An independent RFC 4180 reader (RFC 4180 section 2): records end in CRLF (a bare LF is accepted too), fields are
// separated by commas, a field may be enclosed in double quotes, and inside a quoted field a double quote is written
// twice and commas and line breaks are data. The first record is the header.
// ---------------------------------------------------------------------------------------------------------------

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let wasQuoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else {
          inQuotes = false;
          i += 1;
          const next = text[i];
          if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
            throw new Error(`CSV: text after a closing quote at offset ${i}`);
          }
        }
      } else {
        field += c;
        i += 1;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '' || wasQuoted) throw new Error(`CSV: a quote inside an unquoted field at offset ${i}`);
      inQuotes = true;
      wasQuoted = true;
      i += 1;
    } else if (c === ',') {
      endField();
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 2;
    } else if (c === '\n') {
      endRow();
      i += 1;
    } else {
      field += c;
      i += 1;
    }
  }
  if (inQuotes) throw new Error('CSV: unterminated quoted field');
  // The last record may lack its line break.
  if (field !== '' || wasQuoted || row.length > 0) endRow();
  return rows;
}

/** Rows of a CSV file as objects keyed by the header's column names; every row must have the header's width. */
function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('CSV: no header');
  return rows.map((cells, r) => {
    if (cells.length !== header.length) {
      throw new Error(`CSV: row ${r + 2} has ${cells.length} fields, the header ${header.length}`);
    }
    return Object.fromEntries(header.map((column, c) => [column, cells[c]]));
  });
}

/** ISO 8601 as the canonical records write it: a date (UTC midnight) or a UTC date-time with Z. Milliseconds. */
function parseInstant(text: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z)?$/.exec(text);
  if (!m) throw new Error(`${what}: not an ISO 8601 UTC timestamp: ${JSON.stringify(text)}`);
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  return Date.UTC(
    n(m[1]),
    n(m[2]) - 1,
    n(m[3]),
    n(m[4]),
    n(m[5]),
    n(m[6]),
    m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0')),
  );
}

const optional = (text: string | undefined): string | null =>
  text === undefined || text === '' ? null : text;

// ---------------------------------------------------------------------------------------------------------------
// The demo's CSV files as plain rows.
// ---------------------------------------------------------------------------------------------------------------

interface CsvApplication {
  id: string;
  jobId: string;
  jobTitle: string | null;
  department: string | null;
  source: string | null;
  appliedAt: number;
  /** The UTC date of applied_at, YYYY-MM-DD. */
  appliedDay: string;
  status: string;
  hiredAt: number | null;
}

interface CsvData {
  applications: CsvApplication[];
  events: { app: string; stage: string; at: number }[];
  reviews: { app: string; date: number; rating: number }[];
  separations: { app: string; at: number; type: string }[];
  stages: string[];
  rowCounts: Record<string, number>;
}

async function readDemoCsv(dir: string): Promise<CsvData> {
  const read = async (kind: string) => csvObjects(await readFile(join(dir, `${kind}.csv`), 'utf8'));
  const rowCounts: Record<string, number> = {};
  for (const kind of RECORD_KINDS) rowCounts[kind] = (await read(kind)).length;
  const applications = (await read('applications')).map((r): CsvApplication => {
    const applied = must(optional(r['applied_at']), 'applied_at');
    const hired = optional(r['hired_at']);
    return {
      id: must(optional(r['application_id']), 'application_id'),
      jobId: must(optional(r['job_id']), 'job_id'),
      jobTitle: optional(r['job_title']),
      department: optional(r['department']),
      source: optional(r['source']),
      appliedAt: parseInstant(applied, 'applied_at'),
      appliedDay: applied.slice(0, 10),
      // The canonical default status is active (PRODUCT.md lists it first).
      status: optional(r['status']) ?? 'active',
      hiredAt: hired === null ? null : parseInstant(hired, 'hired_at'),
    };
  });
  const events = (await read('stage_events')).map((r) => ({
    app: must(optional(r['application_id']), 'application_id'),
    stage: must(optional(r['stage']), 'stage'),
    at: parseInstant(must(optional(r['entered_at']), 'entered_at'), 'entered_at'),
  }));
  const reviews = (await read('performance_reviews')).map((r) => ({
    app: must(optional(r['application_id']), 'application_id'),
    date: parseInstant(must(optional(r['review_date']), 'review_date'), 'review_date'),
    rating: Number(must(optional(r['rating']), 'rating')),
  }));
  const separations = (await read('separations')).map((r) => ({
    app: must(optional(r['application_id']), 'application_id'),
    at: parseInstant(must(optional(r['separated_at']), 'separated_at'), 'separated_at'),
    type: must(optional(r['separation_type']), 'separation_type'),
  }));
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as { stages: string[] };
  return { applications, events, reviews, separations, stages: truth.stages, rowCounts };
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics, from their sources.
// ---------------------------------------------------------------------------------------------------------------

/**
 * Wilson (1927), "Probable inference, the law of succession, and statistical inference", JASA 22:209-212: the score
 * interval, without continuity correction (Newcombe 1998, method 3). With p = x/n and z = 1.959964:
 *   (p + z^2/(2n) +- z sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n).
 * In exact arithmetic the lower end is 0 when x = 0 and the upper end 1 when x = n; those are set exactly.
 */
function wilson(x: number, n: number): { rate: number; low: number; high: number } | null {
  if (n === 0) return null;
  const p = x / n;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * n);
  const spread = Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const scale = 1 + z2 / n;
  return {
    rate: p,
    low: x === 0 ? 0 : (centre - spread) / scale,
    high: x === n ? 1 : (centre + spread) / scale,
  };
}

/**
 * Hyndman and Fan (1996), "Sample quantiles in statistical packages", The American Statistician 50:361-365, type 7
 * (R's default, numpy's 'linear'): with the values sorted x[0..n-1] and h = (n - 1) p, the quantile is
 * x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 */
function quantile7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function summary(values: number[]): DaysSummary {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, median: null, p90: null };
  return { n: sorted.length, median: quantile7(sorted, 0.5), p90: quantile7(sorted, 0.9) };
}

// ---------------------------------------------------------------------------------------------------------------
// The funnel, by hand (PRODUCT.md, "Funnel definitions").
// ---------------------------------------------------------------------------------------------------------------

interface Cohort {
  jobId?: string;
  department?: string;
  source?: string;
  /** Inclusive UTC dates of applied_at. */
  appliedFrom?: string;
  appliedTo?: string;
}

interface ExpectedStage {
  stage: string;
  reached: number;
  advanced: number;
  exited: number;
  inProgress: number;
  pass: { rate: number; low: number; high: number } | null;
  conversion: number | null;
  days: DaysSummary | null;
}

interface ExpectedGroup {
  key: string | null;
  applications: number;
  hires: number;
  inProgress: number;
  hireRate: { rate: number; low: number; high: number } | null;
  meanLatestRating: number | null;
  meanLatestRatingN: number;
  success: { rate: number; low: number; high: number } | null;
  successN: number;
  tooRecent: number;
  jobTitle: string | null;
}

interface Expected {
  applications: number;
  unmappedEvents: number;
  unmappedStages: { stage: string; events: number }[];
  stages: ExpectedStage[];
  timeToHire: DaysSummary;
  offer: { hired: number; declined: number; ci: { rate: number; low: number; high: number } | null };
  bySource: Map<string | null, ExpectedGroup>;
  byJob: Map<string | null, ExpectedGroup>;
  byDepartment: Map<string | null, ExpectedGroup>;
  byMonth: Map<string, ExpectedGroup>;
}

const days = (fromMs: number, toMs: number) => (toMs - fromMs) / DAY_MS;

function computeFunnel(data: CsvData, cohort: Cohort, judgementDayMs: number): Expected {
  const stages = data.stages;
  const K = stages.length;
  const position = new Map(stages.map((s, i) => [s, i + 1]));
  // Cohort: applications grouped by applied_at, the applied-date filters inclusive UTC days; job, department and
  // source equal to the filter.
  const apps = data.applications.filter(
    (a) =>
      (cohort.jobId === undefined || a.jobId === cohort.jobId) &&
      (cohort.department === undefined || a.department === cohort.department) &&
      (cohort.source === undefined || a.source === cohort.source) &&
      (cohort.appliedFrom === undefined || a.appliedDay >= cohort.appliedFrom) &&
      (cohort.appliedTo === undefined || a.appliedDay <= cohort.appliedTo),
  );
  const inCohort = new Set(apps.map((a) => a.id));

  // Per application: the entry time at each listed stage (the earliest event there), and unmapped events.
  const entered = new Map<string, (number | null)[]>();
  const unmapped = new Map<string, number>();
  let unmappedEvents = 0;
  for (const e of data.events) {
    if (!inCohort.has(e.app)) continue;
    const idx = position.get(e.stage);
    if (idx === undefined) {
      // "Stage events on a stage that is not in the list are kept and counted as unmapped."
      unmappedEvents += 1;
      unmapped.set(e.stage, (unmapped.get(e.stage) ?? 0) + 1);
      continue;
    }
    let times = entered.get(e.app);
    if (!times) {
      times = new Array<number | null>(K + 1).fill(null);
      entered.set(e.app, times);
    }
    const prev = times[idx];
    times[idx] = prev === null ? e.at : Math.min(prev, e.at);
  }

  const latestReview = new Map<string, { date: number; rating: number }>();
  for (const r of data.reviews) {
    const prev = latestReview.get(r.app);
    if (!prev || r.date > prev.date) latestReview.set(r.app, { date: r.date, rating: r.rating });
  }
  const separation = new Map(data.separations.map((s) => [s.app, s]));

  const stageCounts = Array.from({ length: K + 1 }, () => ({
    reached: 0,
    advanced: 0,
    exited: 0,
    inProgress: 0,
  }));
  const stageDays: number[][] = Array.from({ length: K + 1 }, () => []);
  const timeToHire: number[] = [];
  let hired = 0;
  let declined = 0;

  const groupMaps = {
    source: new Map<string | null, ExpectedGroup & { ratingSum: number; successes: number }>(),
    job: new Map<string | null, ExpectedGroup & { ratingSum: number; successes: number }>(),
    department: new Map<string | null, ExpectedGroup & { ratingSum: number; successes: number }>(),
    month: new Map<string | null, ExpectedGroup & { ratingSum: number; successes: number }>(),
  };
  const groupOf = (dimension: keyof typeof groupMaps, key: string | null) => {
    const map = groupMaps[dimension];
    let g = map.get(key);
    if (!g) {
      g = {
        key,
        applications: 0,
        hires: 0,
        inProgress: 0,
        hireRate: null,
        meanLatestRating: null,
        meanLatestRatingN: 0,
        success: null,
        successN: 0,
        tooRecent: 0,
        jobTitle: null,
        ratingSum: 0,
        successes: 0,
      };
      map.set(key, g);
    }
    return g;
  };

  for (const a of apps) {
    const isHire = a.status === 'hired';
    // Step 0 is the implicit "applied": every application is in it at applied_at.
    const t = entered.get(a.id) ?? new Array<number | null>(K + 1).fill(null);
    const times = [...t];
    times[0] = a.appliedAt;
    // "a hire with no event at the last stage entered it at hired_at".
    if (isHire && times[K] === null && a.hiredAt !== null) times[K] = a.hiredAt;
    // Furthest stage reached: the furthest listed stage with an event; "a hired application has reached the last
    // stage". Reached S: furthest >= S (a skipped stage counts as reached and passed).
    let furthest = 0;
    for (let i = 1; i <= K; i++) if (t[i] !== null) furthest = i;
    if (isHire) furthest = K;
    for (let s = 0; s <= K; s++) {
      const c = stageCounts[s];
      if (furthest >= s) c.reached += 1;
      // Advanced from S: reached a stage after S.
      if (furthest > s) c.advanced += 1;
      // Exited at S: furthest stage S and status rejected, withdrawn or offer_declined.
      if (furthest === s && EXIT_STATUSES.has(a.status)) c.exited += 1;
      // In progress at S: furthest stage S and status active.
      if (furthest === s && a.status === 'active') c.inProgress += 1;
      // Time in stage S: applications that advanced from S and have an event at S (applied: applied_at), days from
      // entering S to the earliest event at a later stage.
      const start = times[s];
      if (furthest > s && start !== null) {
        let next: number | null = null;
        for (let j = s + 1; j <= K; j++) {
          const tj = times[j];
          if (tj !== null && (next === null || tj < next)) next = tj;
        }
        if (next !== null) stageDays[s].push(days(start, next));
      }
    }
    if (isHire) hired += 1;
    if (a.status === 'offer_declined') declined += 1;
    // Time to hire: hired_at - applied_at in days.
    if (isHire && a.hiredAt !== null) timeToHire.push(days(a.appliedAt, a.hiredAt));

    // Quality of hire (PRODUCT.md, "Statistical definitions"): performance outcome = the latest review's rating;
    // success = latest rating >= threshold and no involuntary or regretted separation within 365 days of hire,
    // judged on the judgement day; hires whose 365 days have not passed, or (not lost and) without a review, are
    // too recent, left out and counted.
    let rating: number | null = null;
    let success: 0 | 1 | null = null;
    let tooRecent = false;
    if (isHire) {
      rating = latestReview.get(a.id)?.rating ?? null;
      if (a.hiredAt !== null) {
        const yearEnd = a.hiredAt + JUDGEMENT_DAYS * DAY_MS;
        const sep = separation.get(a.id);
        const lost =
          sep !== undefined &&
          sep.at <= yearEnd &&
          (sep.type === 'involuntary' || sep.type === 'voluntary_regretted');
        if (yearEnd > judgementDayMs) tooRecent = true;
        else if (lost) success = 0;
        else if (rating === null) tooRecent = true;
        else success = rating >= SUCCESS_THRESHOLD ? 1 : 0;
      }
    }
    const month = new Date(a.appliedAt).toISOString().slice(0, 7);
    const keys: [keyof typeof groupMaps, string | null][] = [
      ['source', a.source],
      ['job', a.jobId],
      ['department', a.department],
      ['month', month],
    ];
    for (const [dimension, key] of keys) {
      const g = groupOf(dimension, key);
      if (dimension === 'job' && g.jobTitle === null) g.jobTitle = a.jobTitle;
      g.applications += 1;
      if (isHire) g.hires += 1;
      if (a.status === 'active') g.inProgress += 1;
      if (rating !== null) {
        g.meanLatestRatingN += 1;
        g.ratingSum += rating;
      }
      if (success !== null) {
        g.successN += 1;
        g.successes += success;
      }
      if (tooRecent) g.tooRecent += 1;
    }
  }

  const finish = (map: Map<string | null, ExpectedGroup & { ratingSum: number; successes: number }>) => {
    const out = new Map<string | null, ExpectedGroup>();
    for (const [key, g] of map) {
      out.set(key, {
        ...g,
        // Hire rate = hires / applications, Wilson 95%.
        hireRate: wilson(g.hires, g.applications),
        meanLatestRating: g.meanLatestRatingN > 0 ? g.ratingSum / g.meanLatestRatingN : null,
        success: wilson(g.successes, g.successN),
      });
    }
    return out;
  };

  const applications = apps.length;
  return {
    applications,
    unmappedEvents,
    unmappedStages: [...unmapped]
      .map(([stage, events]) => ({ stage, events }))
      .sort((x, y) => y.events - x.events || (x.stage < y.stage ? -1 : x.stage > y.stage ? 1 : 0)),
    stages: ['applied', ...stages].map((stage, s) => {
      const c = stageCounts[s];
      return {
        stage,
        ...c,
        // Pass-through rate = advanced / (advanced + exited): in-progress ones are not in the denominator.
        pass: wilson(c.advanced, c.advanced + c.exited),
        // Conversion to S = reached S / applications.
        conversion: applications > 0 ? c.reached / applications : null,
        // Days in stage: null where no one advanced.
        days: c.advanced > 0 ? summary(stageDays[s]) : null,
      };
    }),
    timeToHire: summary(timeToHire),
    // Offer acceptance rate = hired / (hired + offer_declined), Wilson 95%.
    offer: { hired, declined, ci: wilson(hired, hired + declined) },
    bySource: finish(groupMaps.source),
    byJob: finish(groupMaps.job),
    byDepartment: finish(groupMaps.department),
    byMonth: finish(groupMaps.month) as Map<string, ExpectedGroup>,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison.
// ---------------------------------------------------------------------------------------------------------------

/** Every disagreement, as "where: expected X, actual Y", so one run reports all of them. */
class Differences {
  readonly list: string[] = [];

  count(where: string, actual: unknown, expected: number | string | boolean | null): void {
    if (actual !== expected)
      this.list.push(`${where}: expected ${String(expected)}, actual ${String(actual)}`);
  }

  real(where: string, actual: unknown, expected: number | null): void {
    if (expected === null || actual === null || actual === undefined) {
      if (actual !== expected)
        this.list.push(`${where}: expected ${String(expected)}, actual ${String(actual)}`);
      return;
    }
    if (typeof actual !== 'number' || !close(actual, expected)) {
      this.list.push(`${where}: expected ${expected}, actual ${String(actual)}`);
    }
  }

  interval(
    where: string,
    actual: { rate: unknown; low: unknown; high: unknown },
    expected: { rate: number; low: number; high: number } | null,
  ): void {
    this.real(`${where} rate`, actual.rate, expected?.rate ?? null);
    this.real(`${where} ciLow`, actual.low, expected?.low ?? null);
    this.real(`${where} ciHigh`, actual.high, expected?.high ?? null);
  }

  days(where: string, actual: DaysSummary | null, expected: DaysSummary | null): void {
    if (actual === null || expected === null) {
      if (actual !== expected)
        this.list.push(`${where}: expected ${JSON.stringify(expected)}, actual ${JSON.stringify(actual)}`);
      return;
    }
    this.count(`${where}.n`, actual.n, expected.n);
    this.real(`${where}.median`, actual.median, expected.median);
    this.real(`${where}.p90`, actual.p90, expected.p90);
  }
}

function close(actual: number, expected: number): boolean {
  const diff = Math.abs(actual - expected);
  return (
    diff <= ABSOLUTE_FLOOR || diff <= RELATIVE_TOLERANCE * Math.max(Math.abs(actual), Math.abs(expected))
  );
}

function compareGroups(
  d: Differences,
  name: string,
  actual: (FunnelGroup | FunnelMonth)[],
  expected: Map<string | null, ExpectedGroup>,
): void {
  const keyOf = (g: FunnelGroup | FunnelMonth) => ('month' in g ? g.month : g.key);
  d.count(`${name} groups`, actual.map(keyOf).sort().join('|'), [...expected.keys()].sort().join('|'));
  for (const g of actual) {
    const key = keyOf(g);
    const e = expected.get(key);
    if (!e) continue;
    const where = `${name}[${String(key)}]`;
    d.count(`${where}.applications`, g.applications, e.applications);
    d.count(`${where}.hires`, g.hires, e.hires);
    d.count(`${where}.inProgress`, g.inProgress, e.inProgress);
    d.interval(
      `${where}.hireRate`,
      { rate: g.hireRate, low: g.hireRateCiLow, high: g.hireRateCiHigh },
      e.hireRate,
    );
    if ('month' in g) continue;
    d.real(`${where}.meanLatestRating`, g.meanLatestRating, e.meanLatestRating);
    d.count(`${where}.meanLatestRatingN`, g.meanLatestRatingN, e.meanLatestRatingN);
    d.interval(
      `${where}.successRate`,
      { rate: g.successRate, low: g.successCiLow, high: g.successCiHigh },
      e.success,
    );
    d.count(`${where}.successN`, g.successN, e.successN);
    d.count(`${where}.successExcludedTooRecent`, g.successExcludedTooRecent, e.tooRecent);
    if (name === 'byJob') d.count(`${where}.label`, g.label, `${String(e.jobTitle)} (${String(key)})`);
  }
  // Sorted by hires, most first (then applications): the sources table is "sorted by hires".
  if (name !== 'byMonth') {
    const groups = actual as FunnelGroup[];
    for (let i = 1; i < groups.length; i++) {
      const [p, q] = [groups[i - 1], groups[i]];
      if (p.hires < q.hires || (p.hires === q.hires && p.applications < q.applications)) {
        d.list.push(`${name}: ${String(p.key)} before ${String(q.key)} is not by hires, then applications`);
      }
    }
  } else {
    const months = actual.map(keyOf);
    d.count(`${name} order`, months.join('|'), [...months].sort().join('|'));
  }
}

function compareReport(report: FunnelReport, e: Expected): string[] {
  const d = new Differences();
  d.count('applications', report.applications, e.applications);
  d.count('unmappedEvents', report.unmappedEvents, e.unmappedEvents);
  d.count('unmappedStages', JSON.stringify(report.unmappedStages), JSON.stringify(e.unmappedStages));
  d.count('stages', report.stages.map((s) => s.stage).join('|'), e.stages.map((s) => s.stage).join('|'));
  report.stages.forEach((s, i) => {
    const x = e.stages[i];
    if (!x) return;
    const where = `stages[${s.stage}]`;
    d.count(`${where}.implicit`, s.implicit, i === 0);
    d.count(`${where}.reached`, s.reached, x.reached);
    d.count(`${where}.advanced`, s.advanced, x.advanced);
    d.count(`${where}.exited`, s.exited, x.exited);
    d.count(`${where}.inProgress`, s.inProgress, x.inProgress);
    d.interval(
      `${where}.passThrough`,
      { rate: s.passThroughRate, low: s.passThroughCiLow, high: s.passThroughCiHigh },
      x.pass,
    );
    d.real(`${where}.conversionFromApplied`, s.conversionFromApplied, x.conversion);
    d.days(`${where}.daysInStage`, s.daysInStage, x.days);
  });
  d.days('timeToHire', report.timeToHire, e.timeToHire);
  d.count('offerAcceptance.hired', report.offerAcceptance.hired, e.offer.hired);
  d.count('offerAcceptance.declined', report.offerAcceptance.declined, e.offer.declined);
  d.interval(
    'offerAcceptance',
    {
      rate: report.offerAcceptance.rate,
      low: report.offerAcceptance.ciLow,
      high: report.offerAcceptance.ciHigh,
    },
    e.offer.ci,
  );
  compareGroups(d, 'bySource', report.bySource, e.bySource);
  compareGroups(d, 'byJob', report.byJob, e.byJob);
  compareGroups(d, 'byDepartment', report.byDepartment, e.byDepartment);
  compareGroups(d, 'byMonth', report.byMonth, e.byMonth);
  return d.list;
}

// ---------------------------------------------------------------------------------------------------------------

/** The seeder's DEMO_SEED, read from its source so this test follows a change of the demo's seed. */
function demoSeed(): number {
  const source = readFileSync(
    resolve(process.cwd(), 'apps/api/src/modules/demo/demo-seeder.service.ts'),
    'utf8',
  );
  const m = /const DEMO_SEED = (\d+);/.exec(source);
  return Number(must(m?.[1], 'DEMO_SEED in demo-seeder.service.ts'));
}

describe('funnel on the demo data: the API against a hand computation from the demo CSV files', () => {
  let t: TestApp;
  let key: string;
  let organizationId: string;
  let dir: string;
  let data: DemoData;
  let csv: CsvData;

  /**
   * As DemoSeeder.seedIfEmpty: each kind's records through IngestionService.submit (the JSON API's path) in chunks
   * of MAX_RECORDS_PER_REQUEST, as an admin principal of the organization, then every import waited for.
   */
  async function submitAndWait(batches: [RecordKind, unknown[]][]): Promise<void> {
    const principal: Principal = { organizationId, role: 'admin', userId: null, apiKeyId: null, email: null };
    const ingestion = t.app.context.get(IngestionService);
    const chunk = t.config.MAX_RECORDS_PER_REQUEST;
    const importIds: string[] = [];
    for (const [kind, records] of batches) {
      for (let i = 0; i < records.length; i += chunk) {
        const { importId } = await ingestion.submit(principal, kind, {
          records: records.slice(i, i + chunk),
        });
        importIds.push(importId);
      }
    }
    for (const id of importIds) expect((await waitForImport(t, key, id, 120_000)).status).toBe('completed');
  }

  beforeAll(async () => {
    t = await startTestApp();
    data = generateDemoData({ applications: t.config.DEMO_APPLICATIONS, seed: demoSeed(), asOf: AS_OF });
    dir = await mkdtemp(join(tmpdir(), 'hs-funnel-demo-'));
    await writeDemoData(dir, data);
    csv = await readDemoCsv(dir);

    // As DemoSeeder.seedIfEmpty: organization, default rubric, the demo's stage list, every kind in chunks.
    const org = await createOrganization(t, data.organization.name);
    key = org.apiKey;
    await t.app.context.get(RubricsService).put(org.organizationId, { ...data.rubric, isDefault: true });
    const put = await t.http
      .put('/api/v1/settings/pipeline-stages')
      .set(bearer(key))
      .send({ stages: PRODUCT_DEMO_STAGES });
    expect(put.status).toBe(200);
    organizationId = org.organizationId;
    await submitAndWait(RECORD_KINDS.map((kind) => [kind, data.records[kind] as unknown[]]));
  });

  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads RFC 4180 CSV with its own parser: quotes, doubled quotes, commas and line breaks in fields', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n,"",plain\r\nlast,row,no-break';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\r\nlines'],
      ['', '', 'plain'],
      ['last', 'row', 'no-break'],
    ]);
    expect(() => parseCsv('"open')).toThrow(/unterminated/);
    expect(() => parseCsv('"a"b,c')).toThrow(/closing quote/);
    expect(parseInstant('2025-03-01T14:30:00Z', 'x')).toBe(Date.UTC(2025, 2, 1, 14, 30));
    expect(parseInstant('2025-03-01', 'x')).toBe(Date.UTC(2025, 2, 1));
  });

  it('reads back every record the generator wrote, and the demo stage list of PRODUCT.md', () => {
    for (const kind of RECORD_KINDS)
      expect([kind, csv.rowCounts[kind]]).toEqual([kind, data.records[kind].length]);
    expect(csv.stages).toEqual(PRODUCT_DEMO_STAGES);
    // The data exercises every definition: unmapped events, skipped stages, hires, declines, in progress, rejected,
    // withdrawn, success judged and too recent.
    const statuses = new Set(csv.applications.map((a) => a.status));
    expect([...statuses].sort()).toEqual(['active', 'hired', 'offer_declined', 'rejected', 'withdrawn']);
    expect(csv.events.some((e) => !PRODUCT_DEMO_STAGES.includes(e.stage))).toBe(true);
  });

  it("keeps the demo's stage list and counts every stage's events as the CSV files do", async () => {
    const res = await t.http.get('/api/v1/settings/pipeline-stages').set(bearer(key));
    expect(res.status).toBe(200);
    const setting = res.body as PipelineStagesSetting;
    expect(setting).toMatchObject({
      source: 'settings',
      configured: PRODUCT_DEMO_STAGES,
      stages: PRODUCT_DEMO_STAGES,
    });
    const perStage = new Map<string, number>();
    for (const e of csv.events) perStage.set(e.stage, (perStage.get(e.stage) ?? 0) + 1);
    const seen = [...setting.seen].sort((a, b) => (a.stage < b.stage ? -1 : 1));
    const expected = [...perStage]
      .map(([stage, events]) => ({ stage, events, mapped: PRODUCT_DEMO_STAGES.includes(stage) }))
      .sort((a, b) => (a.stage < b.stage ? -1 : 1));
    expect(seen).toEqual(expected);
  });

  const cohorts: [string, Cohort][] = [
    ['unfiltered', {}],
    ['source=referral', { source: 'referral' }],
    ['applied 2025-01-01..2025-06-30', { appliedFrom: '2025-01-01', appliedTo: '2025-06-30' }],
    [
      'department=ML Platform, source=linkedin, applied from 2024-07-01',
      { department: 'ML Platform', source: 'linkedin', appliedFrom: '2024-07-01' },
    ],
    ['jobId=req-ai-102, applied to 2026-05-31', { jobId: 'req-ai-102', appliedTo: '2026-05-31' }],
  ];

  /** The report for a cohort, checked against the hand computation: the list of disagreements. */
  async function differencesFor(cohort: Cohort, from: CsvData = csv): Promise<string[]> {
    const before = Date.now();
    const res = await t.http.get('/api/v1/analytics/funnel').query(cohort).set(bearer(key));
    const after = Date.now();
    expect(res.status).toBe(200);
    const report = res.body as FunnelReport;
    expect(report.filters).toEqual(cohort);
    expect(report.stagesSource).toBe('settings');
    expect(report.successThreshold).toBe(SUCCESS_THRESHOLD);
    // The success outcome's judgement day is the server's: the start of the UTC day of the request.
    const judgementDay = new Date(report.asOf).getTime();
    expect(judgementDay % DAY_MS).toBe(0);
    expect(judgementDay).toBeGreaterThanOrEqual(Math.floor(before / DAY_MS) * DAY_MS);
    expect(judgementDay).toBeLessThanOrEqual(Math.floor(after / DAY_MS) * DAY_MS);

    const expected = computeFunnel(from, cohort, judgementDay);
    expect(expected.applications).toBeGreaterThan(0);
    return compareReport(report, expected);
  }

  it.each(cohorts)('matches the hand computation to 1e-9: %s', async (_name, cohort) => {
    expect(await differencesFor(cohort)).toEqual([]);
  });

  it('covers the definitions on the whole demo: skipped stage, unmapped events, in progress, success both ways', () => {
    const e = computeFunnel(csv, {}, Math.floor(Date.now() / DAY_MS) * DAY_MS);
    expect(e.unmappedEvents).toBeGreaterThan(0);
    expect(e.stages.some((s) => s.inProgress > 0)).toBe(true);
    // inference_latency is skipped by some: its time-in-stage n is below its advanced count.
    const skipped = must(
      e.stages.find((s) => s.stage === 'inference_latency'),
      'inference_latency',
    );
    expect(must(skipped.days, 'days in inference_latency').n).toBeLessThan(skipped.advanced);
    const all = [...e.bySource.values()];
    expect(all.reduce((n, g) => n + g.successN, 0)).toBeGreaterThan(0);
    expect(all.reduce((n, g) => n + g.tooRecent, 0)).toBeGreaterThan(0);
  });

  it('gives the same figures after every stage event is moved and then put back (upserts keep the funnel right)', async () => {
    // Sent again unchanged, the events would not be written at all (the upsert skips equal rows); moved by an hour
    // and back, every event is updated twice, so whatever the product derives from the events follows updates.
    const moved = data.records.stage_events.map((e) => ({
      ...e,
      enteredAt: new Date(parseInstant(e.enteredAt, 'enteredAt') + 3_600_000).toISOString(),
    }));
    await submitAndWait([['stage_events', moved]]);
    const movedCsv = { ...csv, events: csv.events.map((e) => ({ ...e, at: e.at + 3_600_000 })) };
    expect(await differencesFor({}, movedCsv)).toEqual([]);
    await submitAndWait([['stage_events', data.records.stage_events]]);
    expect(await differencesFor({})).toEqual([]);
    expect(await differencesFor({ source: 'referral', appliedFrom: '2025-01-01' })).toEqual([]);
  });
});
