import { RECORD_KINDS, parseTimestamp, validateRecords } from '@hiresignal/shared';
import { toCsv } from './csv';
import {
  DEMO_CRITERIA,
  DEMO_SKIPPED_STAGE,
  DEMO_STAGES,
  DEMO_UNMAPPED_STAGE,
  type DemoCriterion,
} from './demo-model';
import { generateDemoData, type DemoData } from './generate-demo-data';

const AS_OF = new Date('2026-11-01T00:00:00Z');
const AS_OF_MS = AS_OF.getTime();

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** PRODUCT.md definitions: criterion score = mean over interviewers; composite = mean of the criterion scores. */
function criterionScores(data: DemoData): {
  byCriterion: Record<DemoCriterion, number[]>;
  composite: number[];
} {
  const index = new Map(data.records.applications.map((a, i) => [a.applicationId, i]));
  const n = data.records.applications.length;
  const sums = DEMO_CRITERIA.map(() => new Float64Array(n));
  const counts = DEMO_CRITERIA.map(() => new Float64Array(n));
  for (const s of data.records.interview_scores) {
    const c = DEMO_CRITERIA.indexOf(s.criterion as DemoCriterion);
    const i = index.get(s.applicationId) ?? -1;
    sums[c][i] += s.score;
    counts[c][i] += 1;
  }
  const byCriterion = Object.fromEntries(
    DEMO_CRITERIA.map((c, ci) => [
      c,
      Array.from(sums[ci], (sum, i) => (counts[ci][i] ? sum / counts[ci][i] : NaN)),
    ]),
  ) as Record<DemoCriterion, number[]>;
  const composite = Array.from({ length: n }, (_, i) => {
    const present = DEMO_CRITERIA.map((c) => byCriterion[c][i]).filter((v) => !Number.isNaN(v));
    return present.length ? mean(present) : NaN;
  });
  return { byCriterion, composite };
}

function latestRatings(data: DemoData): Map<string, number> {
  const latest = new Map<string, { date: string; rating: number }>();
  for (const r of data.records.performance_reviews) {
    const seen = latest.get(r.applicationId);
    if (!seen || r.reviewDate > seen.date)
      latest.set(r.applicationId, { date: r.reviewDate, rating: r.rating });
  }
  return new Map([...latest].map(([id, v]) => [id, v.rating]));
}

describe('generateDemoData', () => {
  it('is deterministic: the same seed and options give identical output, another seed does not', () => {
    const a = generateDemoData({ applications: 500, seed: 7, asOf: AS_OF });
    const b = generateDemoData({ applications: 500, seed: 7, asOf: AS_OF });
    const c = generateDemoData({ applications: 500, seed: 8, asOf: AS_OF });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    for (const kind of RECORD_KINDS) expect(toCsv(kind, b.records[kind])).toBe(toCsv(kind, a.records[kind]));
    expect(JSON.stringify(c.records)).not.toBe(JSON.stringify(a.records));
  });

  it('rejects impossible options', () => {
    expect(() => generateDemoData({ applications: -1, seed: 1, asOf: AS_OF })).toThrow(RangeError);
    expect(() => generateDemoData({ applications: 10, seed: 1, asOf: new Date('nope') })).toThrow(RangeError);
    expect(() =>
      generateDemoData({ applications: 10, seed: 1, asOf: AS_OF, criterionValidity: { fundamentals: 0.99 } }),
    ).toThrow(RangeError);
  });

  describe('the demo organization: 2,000 applications, seed 42', () => {
    let data: DemoData;
    beforeAll(() => {
      data = generateDemoData({ applications: 2000, seed: 42, asOf: AS_OF });
    });

    it('passes every canonical record schema', () => {
      for (const kind of RECORD_KINDS) {
        const records = data.records[kind];
        const result = validateRecords(kind, records);
        expect({ kind, errors: result.errors.slice(0, 5) }).toEqual({ kind, errors: [] });
        expect(result.valid).toHaveLength(records.length);
      }
      expect(data.records.applications).toHaveLength(2000);
    });

    it('describes the organization, rubric, stages and interviewer pool', () => {
      expect(data.organization.name).toBe('Demo (AI Engineering)');
      expect(data.rubric).toMatchObject({ name: 'AI Engineer', version: 1, scaleMin: 1, scaleMax: 4 });
      expect(data.rubric.criteria.map((c) => c.key)).toEqual([...DEMO_CRITERIA]);
      expect(data.stages).toEqual([...DEMO_STAGES]);
      expect(data.truth.criterionValidity.responsible_ai).toBeLessThan(0.1);
      expect(data.truth.interviewers).toHaveLength(25);
      const used = new Set(data.records.interview_scores.map((s) => s.interviewerId));
      expect([...used].every((id) => /^int-\d{3}$/.test(id))).toBe(true);
      expect(used.size).toBe(25);
      // Each interviewer has one display name, written on every score, and no two share one.
      const names = new Map<string, Set<string | undefined>>();
      for (const s of data.records.interview_scores) {
        names.set(s.interviewerId, (names.get(s.interviewerId) ?? new Set()).add(s.interviewerName));
      }
      expect([...names.values()].every((n) => n.size === 1 && ![...n][0]?.startsWith('Interviewer'))).toBe(
        true,
      );
      expect(new Set([...names.values()].map((n) => [...n][0])).size).toBe(25);
      expect(data.truth.interviewers.map((i) => names.get(i.interviewerId)?.has(i.name))).toEqual(
        Array(25).fill(true),
      );
      expect(new Set(data.records.applications.map((a) => a.jobId))).toEqual(
        new Set(['req-ai-101', 'req-ai-102', 'req-ml-201']),
      );
      expect(new Set(data.records.applications.map((a) => a.source))).toEqual(
        new Set(['referral', 'linkedin', 'careers_site', 'agency', 'university']),
      );
    });

    it('has enough hires with performance reviews for every criterion', () => {
      const hires = data.records.applications.filter((a) => a.status === 'hired');
      const reviewed = new Set(data.records.performance_reviews.map((r) => r.applicationId));
      expect(hires.length).toBeGreaterThanOrEqual(140);
      expect(reviewed.size).toBeGreaterThanOrEqual(120);
      const hiredIds = new Set(hires.map((h) => h.applicationId));
      expect([...reviewed].every((id) => hiredIds.has(id))).toBe(true);
      // A hire's full loop scores every criterion, so every criterion has that many hires with an outcome.
      const scored = new Set(data.records.interview_scores.map((s) => `${s.applicationId}|${s.criterion}`));
      for (const c of DEMO_CRITERIA) {
        expect([...reviewed].filter((id) => scored.has(`${id}|${c}`)).length).toBe(reviewed.size);
      }
    });

    it('keeps every timeline in order and nothing after asOf', () => {
      // Collects problems and asserts once: an expect per row would dominate the run time.
      const problems: string[] = [];
      const check = (ok: boolean, what: string) => {
        if (!ok) problems.push(what);
      };
      const apps = new Map(data.records.applications.map((a) => [a.applicationId, a]));
      const at = (s: string | undefined) => parseTimestamp(s ?? '');
      for (const a of data.records.applications) {
        const id = a.applicationId;
        check(at(a.appliedAt) <= AS_OF_MS, `${id} applied after asOf`);
        const decided = ['rejected', 'withdrawn', 'hired', 'offer_declined'].includes(a.status);
        check((a.decidedAt !== undefined) === decided, `${id} decidedAt vs status ${a.status}`);
        check((a.hiredAt !== undefined) === (a.status === 'hired'), `${id} hiredAt vs status ${a.status}`);
        check((a.rejectionReason !== undefined) === (a.status === 'rejected'), `${id} rejectionReason`);
        if (a.decidedAt) check(at(a.decidedAt) <= AS_OF_MS, `${id} decided after asOf`);
      }
      const lastStage = new Map<string, { index: number; at: number }>();
      const skipped = DEMO_STAGES.indexOf(DEMO_SKIPPED_STAGE as (typeof DEMO_STAGES)[number]);
      for (const e of data.records.stage_events) {
        const previous = lastStage.get(e.applicationId) ?? {
          index: -1,
          at: at(apps.get(e.applicationId)?.appliedAt),
        };
        if (e.stage === DEMO_UNMAPPED_STAGE) {
          // Not in the stage list: before the screen, after applying.
          check(previous.index === -1, `${e.applicationId} unmapped event after a stage`);
          check(at(e.enteredAt) > previous.at, `${e.applicationId} unmapped event too early`);
          lastStage.set(e.applicationId, { index: -1, at: at(e.enteredAt) });
          continue;
        }
        const index = DEMO_STAGES.indexOf(e.stage as (typeof DEMO_STAGES)[number]);
        // The one recording quirk: the event at DEMO_SKIPPED_STAGE may be missing.
        check(
          index === previous.index + 1 || (index === skipped + 1 && previous.index === skipped - 1),
          `${e.applicationId} skipped to ${e.stage}`,
        );
        check(at(e.enteredAt) > previous.at, `${e.applicationId} entered ${e.stage} too early`);
        check(at(e.enteredAt) <= AS_OF_MS, `${e.applicationId} entered ${e.stage} after asOf`);
        lastStage.set(e.applicationId, { index, at: at(e.enteredAt) });
      }
      for (const a of data.records.applications) {
        if (a.status !== 'hired') continue;
        check(
          lastStage.get(a.applicationId)?.index === DEMO_STAGES.indexOf('hired'),
          `${a.applicationId} hired stage`,
        );
      }
      for (const s of data.records.interview_scores) {
        const entered = lastStage.get(s.applicationId);
        check(
          entered !== undefined && at(s.interviewedAt) <= AS_OF_MS,
          `${s.interviewId} interviewed after asOf`,
        );
      }
      for (const r of data.records.performance_reviews) {
        const hiredAt = at(apps.get(r.applicationId)?.hiredAt);
        check(at(r.reviewDate) > hiredAt && at(r.reviewDate) <= AS_OF_MS, `${r.applicationId} review date`);
        check(
          r.scaleMax === 5 && (r.reviewPeriod === '6m' || r.reviewPeriod === '12m'),
          `${r.applicationId} review`,
        );
      }
      for (const s of data.records.separations) {
        const app = apps.get(s.applicationId);
        check(app?.status === 'hired', `${s.applicationId} separated without a hire`);
        check(
          at(s.separatedAt) > at(app?.hiredAt) && at(s.separatedAt) <= AS_OF_MS,
          `${s.applicationId} date`,
        );
      }
      expect(problems.slice(0, 10)).toEqual([]);
    });

    it('gives the funnel something to show: unmapped and skipped stage events, stages of different lengths', () => {
      const events = data.records.stage_events;
      const unmapped = events.filter((e) => e.stage === DEMO_UNMAPPED_STAGE).length;
      // About DEMO_UNMAPPED_RATE (4%) of the applications with a screen.
      expect(unmapped).toBeGreaterThan(40);
      expect(unmapped).toBeLessThan(130);
      const byApp = new Map<string, Map<string, number>>();
      for (const e of events) {
        const m = byApp.get(e.applicationId) ?? new Map<string, number>();
        m.set(e.stage, parseTimestamp(e.enteredAt));
        byApp.set(e.applicationId, m);
      }
      const skippedApps = [...byApp.values()].filter(
        (m) => m.has('pipeline_debugging') && m.has('system_design') && !m.has(DEMO_SKIPPED_STAGE),
      ).length;
      expect(skippedApps).toBeGreaterThan(10);
      // Median days from entering a stage to entering the next: the take-home and the onsite take longest.
      const medianDays = (from: string, to: string) => {
        const d = [...byApp.values()]
          .filter((m) => m.has(from) && m.has(to))
          .map((m) => ((m.get(to) ?? 0) - (m.get(from) ?? 0)) / 86_400_000)
          .sort((a, b) => a - b);
        return d[Math.floor(d.length / 2)];
      };
      const screen = medianDays('recruiter_screen', 'pipeline_debugging');
      const takeHome = medianDays('pipeline_debugging', 'inference_latency');
      const onsite = medianDays('system_design', 'cross_functional');
      expect(takeHome).toBeGreaterThan(2 * screen);
      expect(onsite).toBeGreaterThan(2 * screen);
      expect(data.records.applications.filter((a) => a.status === 'active').length).toBeGreaterThan(20);
      // Referrals convert best.
      const hireRate = (source: string) => {
        const apps = data.records.applications.filter((a) => a.source === source);
        return apps.filter((a) => a.status === 'hired').length / apps.length;
      };
      expect(hireRate('referral')).toBeGreaterThan(1.3 * hireRate('linkedin'));
      expect(hireRate('referral')).toBeGreaterThan(1.3 * hireRate('agency'));
    });

    it('scores each interview by one interviewer on 2-3 criteria, with a consistent recommendation', () => {
      const problems: string[] = [];
      const interviews = new Map<
        string,
        { interviewers: Set<string>; scores: number[]; recommendation?: string }
      >();
      for (const s of data.records.interview_scores) {
        if (!(Number.isInteger(s.score) && s.score >= 1 && s.score <= 4))
          problems.push(`${s.interviewId} score`);
        if (s.rubric !== 'AI Engineer' || s.rubricVersion !== 1) problems.push(`${s.interviewId} rubric`);
        if (!s.interviewedAt || !s.stage) problems.push(`${s.interviewId} interviewedAt/stage`);
        const iv = interviews.get(s.interviewId) ?? { interviewers: new Set(), scores: [] };
        iv.interviewers.add(s.interviewerId);
        iv.scores.push(s.score);
        iv.recommendation = s.recommendation;
        interviews.set(s.interviewId, iv);
      }
      const expected = (m: number) =>
        m < 1.75 ? 'strong_no' : m < 2.5 ? 'no' : m < 3.25 ? 'yes' : 'strong_yes';
      for (const [id, iv] of interviews) {
        if (iv.interviewers.size !== 1) problems.push(`${id} has ${iv.interviewers.size} interviewers`);
        if (iv.scores.length < 2 || iv.scores.length > 3)
          problems.push(`${id} scores ${iv.scores.length} criteria`);
        if (iv.recommendation !== expected(mean(iv.scores))) problems.push(`${id} recommendation`);
      }
      expect(problems.slice(0, 10)).toEqual([]);
    });

    it('has every criterion of a completed loop scored by three different interviewers', () => {
      const hired = new Set(
        data.records.applications.filter((a) => a.status === 'hired').map((a) => a.applicationId),
      );
      const raters = new Map<string, Set<string>>();
      for (const s of data.records.interview_scores) {
        if (!hired.has(s.applicationId)) continue;
        const key = `${s.applicationId}|${s.criterion}`;
        raters.set(key, (raters.get(key) ?? new Set()).add(s.interviewerId));
      }
      expect(raters.size).toBe(hired.size * DEMO_CRITERIA.length);
      for (const set of raters.values()) expect(set.size).toBe(3);
    });

    it('restricts range: the composite varies less among hires than in the applicant pool', () => {
      const { composite } = criterionScores(data);
      const pool = composite.filter((v) => !Number.isNaN(v));
      const hired = composite.filter((_, i) => data.records.applications[i].status === 'hired');
      expect(sd(hired)).toBeLessThan(0.75 * sd(pool));
      expect(mean(hired)).toBeGreaterThan(mean(pool));
    });

    it('gives demographics at most once per candidate, for known candidates only', () => {
      const candidates = new Set(data.records.applications.map((a) => a.candidateId));
      const ids = data.records.demographics.map((d) => d.candidateId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => candidates.has(id))).toBe(true);
      expect(ids.length).toBeGreaterThan(0.9 * candidates.size);
      expect(data.records.demographics.some((d) => d.sex === 'declined')).toBe(true);
      expect(data.records.demographics.some((d) => d.raceEthnicity === 'declined')).toBe(true);
    });
  });

  describe('recovering the truth from a 20,000-application run', () => {
    let data: DemoData;
    let scores: ReturnType<typeof criterionScores>;
    beforeAll(() => {
      data = generateDemoData({ applications: 20_000, seed: 2026, asOf: AS_OF });
      scores = criterionScores(data);
    });

    it('builds true criterion scores with the stated validities', () => {
      // n = 20,000 candidates-ish: the SE of r is about (1 - r^2) / sqrt(n) < .01.
      for (const c of DEMO_CRITERIA) {
        const r = pearson(data.latent.trueScores[c], data.latent.performance);
        expect(Math.abs(r - data.truth.criterionValidity[c])).toBeLessThan(0.035);
      }
    });

    it('attenuates the applicant-pool validity of observed scores only by their unreliability', () => {
      // Observed score = f(true score + leniency + interview impression + noise), the error terms independent of
      // performance given the true score, and (true score, performance) jointly normal. Then
      // r(score, perf) = r(true, perf) * r(score, true) within any pool selected on other things, up to sampling
      // error: the observed validity is the true one times the square root of the score's reliability.
      // A single continuous rating has reliability about truth.singleRatingReliability (~.6); a mean of 1 to 3
      // ratings, rounded to 4 points, has r(score, true) between about .74 and .9, so r(score, perf) / v lies
      // between about .65 and .95 (the pool is selected only mildly on performance).
      const observed = {} as Record<DemoCriterion, number>;
      for (const c of DEMO_CRITERIA) {
        const inPool = scores.byCriterion[c].flatMap((v, i) => (Number.isNaN(v) ? [] : [i]));
        const x = inPool.map((i) => scores.byCriterion[c][i]);
        const perf = inPool.map((i) => data.latent.performance[i]);
        const truth = inPool.map((i) => data.latent.trueScores[c][i]);
        observed[c] = pearson(x, perf);
        expect(Math.abs(observed[c] - pearson(truth, perf) * pearson(x, truth))).toBeLessThan(0.03);
        const v = data.truth.criterionValidity[c];
        if (v >= 0.3) {
          expect(observed[c]).toBeGreaterThan(0.65 * v);
          expect(observed[c]).toBeLessThan(0.97 * v);
        } else {
          expect(Math.abs(observed[c])).toBeLessThan(0.1);
        }
      }
      // The true order .45 > .40 > .35 > .30 > .05 survives, because the attenuation factors are alike.
      expect(observed.fundamentals).toBeGreaterThan(observed.deployment_at_scale);
      expect(observed.deployment_at_scale).toBeGreaterThan(observed.ownership);
      expect(observed.ownership).toBeGreaterThan(observed.communication);
      expect(observed.communication).toBeGreaterThan(observed.responsible_ai + 0.1);
    });

    it('shows lower, range-restricted validity against ratings in the hired sample', () => {
      // Hires are selected on the composite (U > 1 for every criterion) and ratings measure performance with
      // reliability ~.52, so the observed r against the latest rating falls well below the applicant-pool r.
      const latest = latestRatings(data);
      const hiredIdx = data.records.applications.flatMap((a, i) => (latest.has(a.applicationId) ? [i] : []));
      expect(hiredIdx.length).toBeGreaterThan(1000);
      const rating = hiredIdx.map((i) => latest.get(data.records.applications[i].applicationId) ?? NaN);
      for (const c of DEMO_CRITERIA) {
        const all = scores.byCriterion[c].filter((v) => !Number.isNaN(v));
        const hired = hiredIdx.map((i) => scores.byCriterion[c][i]);
        expect(sd(all) / sd(hired)).toBeGreaterThan(1.1);
        const r = pearson(hired, rating);
        if (data.truth.criterionValidity[c] >= 0.35) {
          expect(r).toBeGreaterThan(0.05);
          expect(r).toBeLessThan(0.35);
        } else if (data.truth.criterionValidity[c] < 0.1) {
          expect(r).toBeLessThan(0.05);
        }
      }
    });

    it('has no group differences without scoringBias, and a visible one with it', () => {
      const sexOf = new Map(data.records.demographics.map((d) => [d.candidateId, d.sex]));
      const gap = (d: DemoData, composite: number[]) => {
        const by = (sex: string) =>
          composite.filter(
            (v, i) => !Number.isNaN(v) && sexOf.get(d.records.applications[i].candidateId) === sex,
          );
        return mean(by('female')) - mean(by('male'));
      };
      const perfGap = (d: DemoData) => {
        const by = (sex: string) =>
          d.latent.performance.filter((_, i) => sexOf.get(d.records.applications[i].candidateId) === sex);
        return mean(by('female')) - mean(by('male'));
      };
      // Demographics are drawn independently of ability; the SE of these gaps is about .015.
      expect(Math.abs(perfGap(data))).toBeLessThan(0.06);
      expect(Math.abs(gap(data, scores.composite))).toBeLessThan(0.05);

      const biased = generateDemoData({ applications: 20_000, seed: 2026, asOf: AS_OF, scoringBias: 0.5 });
      const biasedSexOf = new Map(biased.records.demographics.map((d) => [d.candidateId, d.sex]));
      sexOf.clear();
      for (const [id, sex] of biasedSexOf) sexOf.set(id, sex);
      // Still no true difference, but interviewers mark female candidates down by .5 * .8 = .4 points before
      // rounding, so their composite falls by about .3 (a little less after selection and clamping).
      expect(Math.abs(perfGap(biased))).toBeLessThan(0.06);
      expect(gap(biased, criterionScores(biased).composite)).toBeLessThan(-0.2);
    });

    it('separates low performers involuntarily and regrets losing high performers', () => {
      const index = new Map(data.records.applications.map((a, i) => [a.applicationId, i]));
      const perfOf = (type: string) =>
        data.records.separations
          .filter((s) => s.separationType === type)
          .map((s) => data.latent.performance[index.get(s.applicationId) ?? -1]);
      const involuntary = perfOf('involuntary');
      const regretted = perfOf('voluntary_regretted');
      expect(involuntary.length).toBeGreaterThan(20);
      expect(regretted.length).toBeGreaterThan(20);
      expect(mean(involuntary)).toBeLessThan(mean(regretted) - 0.5);
    });
  });
});

describe("generateDemoData: the demo organization's fairness signals (seed 20261126, 2000 applications)", () => {
  // The seed and size of apps/api/src/modules/demo/demo-seeder.service.ts (DEMO_SEED, DEMO_APPLICATIONS default).
  const data = generateDemoData({ applications: 2000, seed: 20_261_126, asOf: AS_OF });
  const demographics = new Map(data.records.demographics.map((d) => [d.candidateId, d]));
  const sexOf = (candidateId: string): string => {
    const sex = demographics.get(candidateId)?.sex;
    return sex === undefined || sex === 'declined' ? 'unknown' : sex;
  };
  const stages = data.stages as string[];
  const furthest = new Map<string, number>();
  for (const e of data.records.stage_events) {
    const position = stages.indexOf(e.stage) + 1;
    if (position > 0) furthest.set(e.applicationId, Math.max(furthest.get(e.applicationId) ?? 0, position));
  }
  /** PRODUCT.md: at stage position i, applicants = advanced + exited (in progress left out), selected = advanced. */
  const decision = (position: number | 'hire') => {
    const counts = new Map<string, { applicants: number; selected: number }>();
    for (const a of data.records.applications) {
      let applicant: boolean;
      let selected: boolean;
      if (position === 'hire') {
        applicant = a.status !== 'active';
        selected = a.status === 'hired';
      } else {
        const f = a.status === 'hired' ? stages.length : (furthest.get(a.applicationId) ?? 0);
        selected = f > position;
        applicant = selected || (f === position && a.status !== 'active');
      }
      if (!applicant) continue;
      const group = sexOf(a.candidateId);
      const entry = counts.get(group) ?? { applicants: 0, selected: 0 };
      entry.applicants++;
      if (selected) entry.selected++;
      counts.set(group, entry);
    }
    return counts;
  };
  /** Groups flagged by the exact four-fifths rule against the highest-rate group holding >= 2% of known applicants. */
  const flagged = (counts: Map<string, { applicants: number; selected: number }>) => {
    const known = [...counts].filter(([g]) => g !== 'unknown');
    const base = known.reduce((s, [, c]) => s + c.applicants, 0);
    const included = known.filter(([, c]) => 50 * c.applicants >= base && c.applicants >= 5);
    const [, ref] = included.reduce((best, g) =>
      g[1].selected * best[1].applicants > best[1].selected * g[1].applicants ? g : best,
    );
    return included
      .filter(([, c]) => 5 * c.selected * ref.applicants < 4 * ref.selected * c.applicants)
      .map(([g]) => g);
  };

  it('flags women at the pipeline debugging exercise, and at no other decision', () => {
    const flags = [...stages.map((_, i) => i), 'hire' as const].map(
      (p) => [p, flagged(decision(p))] as const,
    );
    const at = stages.indexOf('pipeline_debugging') + 1;
    expect(flags.filter(([, groups]) => groups.length > 0)).toEqual([[at, ['female']]]);
    const counts = decision(at);
    const female = counts.get('female');
    const male = counts.get('male');
    // Women's pass-through rate there is about .6 against the men's .85: a ratio near .7.
    expect(
      female && male && female.selected / female.applicants / (male.selected / male.applicants),
    ).toBeLessThan(0.75);
  });

  it("keeps 'another' under 2% of the known applicants at every decision", () => {
    for (const p of [...stages.map((_, i) => i), 'hire' as const]) {
      const counts = decision(p);
      const base = [...counts].filter(([g]) => g !== 'unknown').reduce((s, [, c]) => s + c.applicants, 0);
      const another = counts.get('another')?.applicants ?? 0;
      expect([p, 50 * another < base || base === 0]).toEqual([p, true]);
    }
    expect(decision('hire').get('another')?.applicants).toBeGreaterThan(0);
  });

  it('leaves an unknown share: candidates with no demographics row, and ones who declined', () => {
    const candidates = new Set(data.records.applications.map((a) => a.candidateId));
    const noRow = [...candidates].filter((c) => !demographics.has(c)).length;
    const declined = data.records.demographics.filter((d) => d.sex === 'declined').length;
    expect(noRow / candidates.size).toBeGreaterThan(0.015);
    expect(declined / candidates.size).toBeGreaterThan(0.03);
  });

  it('makes fundamentals predict the latest rating visibly worse for women than for men', () => {
    const latest = latestRatings(data);
    const scores = criterionScores(data).byCriterion.fundamentals;
    const by = (sex: string) => {
      const idx = data.records.applications.flatMap((a, i) =>
        latest.has(a.applicationId) && !Number.isNaN(scores[i]) && sexOf(a.candidateId) === sex ? [i] : [],
      );
      return {
        n: idx.length,
        r: pearson(
          idx.map((i) => scores[i]),
          idx.map((i) => latest.get(data.records.applications[i].applicationId) ?? NaN),
        ),
      };
    };
    const women = by('female');
    const men = by('male');
    // Both groups reach the default minimum sample of 30 hires with a rating.
    expect(women.n).toBeGreaterThanOrEqual(30);
    expect(men.n).toBeGreaterThanOrEqual(30);
    expect(men.r - women.r).toBeGreaterThan(0.3);
    expect(men.r).toBeGreaterThan(0.2);
  });
});
