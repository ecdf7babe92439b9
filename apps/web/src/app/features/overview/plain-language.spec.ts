import type { AdverseImpactStagesReport, FunnelStage, InterviewerCalibration } from '@hiresignal/shared';
import {
  certaintyOf,
  effectSize,
  fairnessFlags,
  fairnessHeadline,
  freshnessSentence,
  readCalibration,
  readCriterion,
  readValidity,
  slowestStage,
  slowestStageSentence,
  timeAgo,
  weakestStep,
  weakestStepSentence,
} from './plain-language';

/*
 * Sources of the thresholds:
 * - Effect sizes: Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences (2nd ed.), ch. 3:
 *   r = .10 small, .30 medium ("moderate" here), .50 large.
 * - Certainty: the 95% Fisher-z interval, tanh(atanh r ± 1.959964 / sqrt(n - 3)) (Fisher 1921). It excludes 0
 *   exactly when the two-sided p < .05; an interval inside (-.10, .10) rules out any effect as large as Cohen's
 *   small one (an equivalence reading: Lakens, D. (2017). Equivalence tests. Social Psychological and Personality
 *   Science, 8, 355-362).
 * The intervals below are worked by hand from that formula; the functions only read them.
 */

function criterion(label: string, r: number | null, ciLow: number | null, ciHigh: number | null, n: number) {
  return { criterion: label.toLowerCase(), label, r, ciLow, ciHigh, n, sufficient: n >= 30 };
}

// r = .30, n = 100: atanh .30 = .30952, 1.959964 / sqrt(97) = .19901 -> tanh(.11051, .50853) = .1101, .4689.
const FUNDAMENTALS = criterion('Fundamentals', 0.3, 0.1101, 0.4689, 100);
// r = .15, n = 40: atanh .15 = .15114, 1.959964 / sqrt(37) = .32222 -> tanh(-.17108, .47336) = -.1694, .4408.
const OWNERSHIP = criterion('Ownership', 0.15, -0.1694, 0.4408, 40);
// r = .03, n = 1000: atanh .03 = .03001, 1.959964 / sqrt(997) = .06207 -> tanh(-.03206, .09208) = -.0321, .0918.
const RESPONSIBLE = criterion('Responsible AI', 0.03, -0.0321, 0.0918, 1000);
// r = .05, n = 300: atanh .05 = .05004, 1.959964 / sqrt(297) = .11373 -> tanh(-.06369, .16377) = -.0636, .1623.
const COMMUNICATION = criterion('Communication', 0.05, -0.0636, 0.1623, 300);
// r = -.20, n = 200: atanh -.20 = -.20273, 1.959964 / sqrt(197) = .13964 -> tanh(-.34237, -.06309) = -.3297, -.0630.
const NEGATIVE = criterion('Deployment at scale', -0.2, -0.3297, -0.063, 200);
// r = -.15, n = 138: atanh -.15 = -.15114, 1.959964 / sqrt(135) = .16869 -> tanh(-.31983, .01755) = -.3094, .0175.
const WRONG_WAY_UNSURE = criterion('Responsible AI', -0.15, -0.3094, 0.0175, 138);
// r = -.12, n = 50: atanh -.12 = -.12058, 1.959964 / sqrt(47) = .28589 -> tanh(-.40647, .16531) = -.3854, .1638.
const WRONG_WAY_WIDE = criterion('Ownership', -0.12, -0.3854, 0.1638, 50);
// r = .08, n = 1000: atanh .08 = .08017, 1.959964 / sqrt(997) = .06207 -> tanh(.01810, .14224) = .0181, .1413.
const TINY_BUT_REAL = criterion('Communication', 0.08, 0.0181, 0.1413, 1000);

describe('effect size words (Cohen 1988)', () => {
  it('puts .10, .30 and .50 at the start of small, moderate and large', () => {
    expect(effectSize(0)).toBe('negligible');
    expect(effectSize(0.099)).toBe('negligible');
    expect(effectSize(0.1)).toBe('small');
    expect(effectSize(0.299)).toBe('small');
    expect(effectSize(0.3)).toBe('moderate');
    expect(effectSize(0.499)).toBe('moderate');
    expect(effectSize(0.5)).toBe('large');
  });

  it('judges the size of a negative r by its absolute value', () => {
    expect(effectSize(-0.35)).toBe('moderate');
    expect(effectSize(-0.05)).toBe('negligible');
  });
});

describe('certainty from the 95% interval', () => {
  it('is fairly sure when the interval excludes zero, on either side', () => {
    expect(certaintyOf(FUNDAMENTALS)).toBe('sure');
    expect(certaintyOf(NEGATIVE)).toBe('sure');
  });

  it("can't tell when the interval includes zero and reaches past ±.10", () => {
    expect(certaintyOf(OWNERSHIP)).toBe('unsure');
    expect(certaintyOf(COMMUNICATION)).toBe('unsure');
  });

  it('is fairly sure an effect is negligible when the whole interval lies inside (-.10, .10)', () => {
    expect(certaintyOf(RESPONSIBLE)).toBe('sure-negligible');
  });

  it('says insufficient below the minimum sample, whatever the interval', () => {
    // r = .60, n = 12: tanh(atanh .60 ± 1.959964 / 3) = .0464, .8695: excludes zero, but 12 < 30.
    expect(certaintyOf(criterion('Fundamentals', 0.6, 0.0464, 0.8695, 12))).toBe('insufficient');
  });
});

describe('a criterion in words', () => {
  it('reads a moderate, certain validity as the talent leader would say it', () => {
    const reading = readCriterion(FUNDAMENTALS, 'performance', 30);
    expect(reading.sentence).toBe(
      'Candidates who score high on Fundamentals get better performance reviews: a moderate effect, and we are fairly sure.',
    );
    expect(reading.detail).toBe('r = .30, 95% CI .11 to .47, n = 100 hires');
    expect(reading.verdict).toBe('keep');
  });

  it("says a small effect whose interval includes zero can't be told yet", () => {
    const reading = readCriterion(OWNERSHIP, 'success', 30);
    expect(reading.sentence).toBe(
      "Candidates who score high on Ownership more often turn out to be successful hires: a small effect, but we can't tell yet (no effect is still possible).",
    );
    expect(reading.verdict).toBe('unclear');
  });

  it('marks a negligible criterion for dropping, with how sure we are', () => {
    const sure = readCriterion(RESPONSIBLE, 'performance', 30);
    expect(sure.sentence).toBe(
      'Scores on Responsible AI tell us little or nothing about performance reviews: we are fairly sure any effect is negligible.',
    );
    expect(sure.verdict).toBe('drop');
  });

  it("does not drop a negligible r whose interval still reaches a small effect (.10): it can't tell yet", () => {
    const unsure = readCriterion(COMMUNICATION, 'performance', 30);
    expect(unsure.sentence).toBe(
      "Scores on Communication tell us little or nothing about performance reviews so far, but we can't rule out a small effect yet.",
    );
    expect(unsure.verdict).toBe('unclear');
    const real = readCriterion(TINY_BUT_REAL, 'performance', 30);
    expect(real.sentence).toBe(
      'Scores on Communication tell us little or nothing about performance reviews: a negligible effect, though we are fairly sure it is not zero.',
    );
    expect(real.verdict).toBe('unclear');
  });

  it('says a criterion predicts the wrong way', () => {
    const reading = readCriterion(NEGATIVE, 'retention', 30);
    expect(reading.sentence).toBe(
      'Candidates who score high on Deployment at scale more often leave in their first year: a small effect in the wrong direction, and we are fairly sure.',
    );
    expect(reading.verdict).toBe('drop');
  });

  it('drops a wrong-way criterion whose interval rules out a useful validity, even if it may not hurt', () => {
    const reading = readCriterion(WRONG_WAY_UNSURE, 'performance', 30);
    expect(reading.sentence).toBe(
      "Candidates who score high on Responsible AI get worse performance reviews: a small effect in the wrong direction. We can't be sure it hurts, but we are fairly sure it does not help.",
    );
    expect(reading.verdict).toBe('drop');
    const wide = readCriterion(WRONG_WAY_WIDE, 'performance', 30);
    expect(wide.sentence).toBe(
      "Candidates who score high on Ownership get worse performance reviews: a small effect in the wrong direction, but we can't tell yet.",
    );
    expect(wide.verdict).toBe('unclear');
  });

  it('judges r as printed, so a shown .10 is a small effect', () => {
    // r = .0996, n = 138: printed ".10"; interval tanh(atanh .0996 ± .16869) = -.0700, .2638.
    const reading = readCriterion(criterion('Ownership', 0.0996, -0.07, 0.2638, 138), 'performance', 30);
    expect(reading.effect).toBe('small');
    expect(reading.verdict).toBe('unclear');
  });

  it('counts the hires still needed when the sample is too small', () => {
    const reading = readCriterion(criterion('Fundamentals', 0.6, 0.0464, 0.8695, 12), 'performance', 30);
    expect(reading.sentence).toBe(
      'Fundamentals: not enough data yet. 18 more hires with known performance reviews needed.',
    );
    expect(reading.verdict).toBe('wait');
    expect(reading.moreNeeded).toBe(18);
  });
});

describe('the validity report in words', () => {
  it('names the criterion to drop and orders the rest by r', () => {
    const reading = readValidity(
      [RESPONSIBLE, FUNDAMENTALS, OWNERSHIP],
      criterion('Composite', 0.35, 0.1651, 0.5117, 100),
      'performance',
      30,
    );
    expect(reading.criteria.map((c) => c.label)).toEqual(['Fundamentals', 'Ownership', 'Responsible AI']);
    expect(reading.drop.map((c) => c.label)).toEqual(['Responsible AI']);
    expect(reading.headline).toBe(
      'Consider dropping Responsible AI: we are fairly sure it does not predict performance reviews usefully.',
    );
    expect(reading.composite?.sentence).toBe(
      'Candidates who score high on the composite (all criteria averaged) get better performance reviews: a moderate effect, and we are fairly sure.',
    );
  });

  it('lists a wrong-way criterion first among those to drop', () => {
    const reading = readValidity([RESPONSIBLE, NEGATIVE, FUNDAMENTALS], null, 'performance', 30);
    expect(reading.drop.map((c) => c.label)).toEqual(['Deployment at scale', 'Responsible AI']);
    expect(reading.headline).toBe(
      'Consider dropping Deployment at scale and Responsible AI: we are fairly sure they do not predict performance reviews usefully; high scores on Deployment at scale even go with worse performance reviews.',
    );
    // The demo's pattern: one wrong-way criterion whose interval tops out at .02, the others can't be told yet.
    const demo = readValidity([FUNDAMENTALS, WRONG_WAY_UNSURE, COMMUNICATION], null, 'performance', 30);
    expect(demo.drop.map((c) => c.label)).toEqual(['Responsible AI']);
    expect(demo.headline).toBe(
      'Consider dropping Responsible AI: we are fairly sure it does not predict performance reviews usefully; high scores on it even go with worse performance reviews.',
    );
  });

  it('says so when no criterion is clearly useless, naming the weakest', () => {
    expect(readValidity([FUNDAMENTALS, OWNERSHIP], null, 'performance', 30).headline).toBe(
      'No criterion to drop yet: none is clearly useless. The weakest so far is Ownership (r = .15); more hires will tell.',
    );
    expect(readValidity([FUNDAMENTALS], null, 'performance', 30).headline).toBe(
      'No criterion to drop: every criterion with enough data predicts performance reviews.',
    );
  });

  it('recommends nothing before any criterion has the minimum sample', () => {
    const reading = readValidity(
      [criterion('Fundamentals', 0.6, 0.0464, 0.8695, 12), criterion('Ownership', 0.1, -0.5, 0.6, 9)],
      null,
      'performance',
      30,
    );
    expect(reading.drop).toEqual([]);
    expect(reading.headline).toBe(
      'Not enough hires with known performance reviews to judge any criterion yet: at most 12 of the 30 needed.',
    );
  });
});

function stage(
  label: string,
  advanced: number,
  exited: number,
  median: number | null,
  daysN: number,
): Pick<
  FunnelStage,
  | 'label'
  | 'advanced'
  | 'exited'
  | 'passThroughRate'
  | 'passThroughCiLow'
  | 'passThroughCiHigh'
  | 'daysInStage'
> {
  const total = advanced + exited;
  return {
    label,
    advanced,
    exited,
    passThroughRate: total === 0 ? null : advanced / total,
    passThroughCiLow: null,
    passThroughCiHigh: null,
    daysInStage: median === null ? null : { n: daysN, median, p90: median * 2 },
  };
}

describe('the funnel in words', () => {
  // Pass-through = advanced / (advanced + exited), PRODUCT.md's definition: 40/100 = .40, 60/80 = .75, 2/12 = .167.
  const stages = [
    stage('Applied', 100, 0, null, 0),
    stage('Screen', 40, 60, 2.5, 40),
    stage('Exercise', 30, 10, 16, 30),
    stage('Offer', 2, 10, 30, 2),
    stage('Hired', 0, 0, null, 0),
  ];

  it('finds the lowest pass-through among stages with enough concluded candidates', () => {
    // Offer passes 2 of 12 (17%), but 12 concluded candidates are fewer than 30: the Screen's 40% is the weakest.
    expect(weakestStep(stages, 30)?.label).toBe('Screen');
    expect(weakestStep(stages, 10)?.label).toBe('Offer');
    expect(weakestStep(stages, 1000)).toBeNull();
  });

  it('finds the highest median days among stages with enough candidates who moved on', () => {
    // Offer's 30-day median rests on 2 candidates: the Exercise's 16 days (30 candidates) is the slowest.
    expect(slowestStage(stages, 30)?.label).toBe('Exercise');
    expect(slowestStage(stages, 2)?.label).toBe('Offer');
  });

  it('writes both as sentences', () => {
    const screen = { ...stages[1], passThroughCiLow: 0.3094, passThroughCiHigh: 0.498 };
    // Wilson interval of 40/100 (Wilson 1927): .3094 to .4980.
    expect(weakestStepSentence(screen, 30)).toBe(
      'The weakest step is Screen: 40% of the candidates whose consideration there has concluded moved on (95% CI 31% to 50%, 100 candidates).',
    );
    expect(slowestStageSentence(stages[2], 30)).toBe(
      'The slowest stage is Exercise: candidates spend a median of 16 days there (1 in 10 takes more than 32 days; 30 candidates).',
    );
    expect(weakestStepSentence(null, 30)).toMatch(/^No step has 30 or more concluded candidates/);
  });
});

function interviewer(
  id: string,
  value: number,
  ciLow: number | null,
  ciHigh: number | null,
): InterviewerCalibration {
  return {
    interviewerId: id,
    name: null,
    interviews: 20,
    candidates: 20,
    leniency: { value, ciLow, ciHigh },
    nCoPanelComparisons: 20,
    agreementWithDecision: null,
    nDecisions: 0,
    validity: { n: 0, r: null, ciLow: null, ciHigh: null, pValue: null, sufficient: false },
  };
}

describe('interviewer calibration in words', () => {
  it('names the interviewers whose whole leniency interval lies on one side of zero', () => {
    const reading = readCalibration([
      interviewer('ana', 0.2, 0.05, 0.35),
      interviewer('ben', 0.6, 0.3, 0.9),
      interviewer('cy', -0.4, -0.7, -0.1),
      interviewer('dee', 0.3, -0.1, 0.7),
      { ...interviewer('eve', 0, null, null), leniency: null },
    ]);
    expect(reading.lenient.map((r) => r.interviewerId)).toEqual(['ben', 'ana']);
    expect(reading.harsh.map((r) => r.interviewerId)).toEqual(['cy']);
    expect(reading.unknown).toBe(1);
    expect(reading.headline).toBe(
      '3 of 5 interviewers score out of line with their co-panelists: 2 more leniently (ben +0.60, ana +0.20) and 1 more harshly (cy −0.40), in score points against the same candidates.',
    );
  });

  it('says everyone is in line when no interval excludes zero', () => {
    expect(
      readCalibration([interviewer('dee', 0.3, -0.1, 0.7), interviewer('fay', -0.2, -0.5, 0.1)]).headline,
    ).toBe(
      'All 2 interviewers score in line with their co-panelists: no one is clearly more lenient or harsher.',
    );
  });
});

describe('fairness flags in words', () => {
  // Uniform Guidelines Questions and Answers (44 FR 11996, Q. 12): selection rates 60%, 45%, 48% and 51% give
  // impact ratios .75, .80 and .85 against 60%; only .75 is below four-fifths (the API's exact flag).
  const report: AdverseImpactStagesReport = {
    filters: {},
    dataVersion: '1',
    computedAt: '2026-01-01T00:00:00Z',
    groupBy: 'race_ethnicity',
    k: 5,
    decisions: [
      {
        decision: 'hire',
        applicants: 400,
        unknown: 0,
        referenceGroup: 'white',
        chiSquare: null,
        groups: [
          sel('white', 'White', 60, 100, 1, false, true),
          sel('black', 'Black', 45, 100, 0.75, true, false, 0.04),
          sel('asian', 'Asian', 48, 100, 0.8, false, false, 0.11),
          sel('hispanic', 'Hispanic', 51, 100, 0.85, false, false, 0.25),
          { ...sel('aian', 'American Indian', 0, 3, 0, true, false), suppressed: true },
        ],
      },
    ],
  };

  function sel(
    group: string,
    label: string,
    selected: number,
    applicants: number,
    impactRatio: number,
    fourFifthsFlag: boolean,
    reference: boolean,
    fisherP: number | null = null,
  ) {
    return {
      group,
      label,
      applicants,
      selected,
      selectionRate: selected / applicants,
      impactRatio,
      fourFifthsFlag,
      fisherP,
      zP: null,
      excluded: false,
      suppressed: false,
      reference,
    };
  }

  it('lists only the shown groups the API flags, with the reference and significance', () => {
    const flags = fairnessFlags([report]);
    expect(flags).toEqual([
      {
        grouping: 'race_ethnicity',
        decision: 'hire',
        group: 'black',
        groupLabel: 'Black',
        referenceLabel: 'White',
        impactRatio: 0.75,
        fisherP: 0.04,
        significant: true,
      },
    ]);
    expect(fairnessHeadline(flags, ['sex', 'race_ethnicity'])).toBe(
      "1 group falls below four-fifths of the highest group's selection rate at some step (by sex and by race/ethnicity): it is statistically significant (Fisher p < .05).",
    );
    expect(fairnessHeadline([], ['sex'])).toBe(
      "No group's selection rate falls below four-fifths of the highest group's at any step (by sex).",
    );
  });
});

describe('data freshness in words', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('says how long ago, in whole units', () => {
    expect(timeAgo('2026-03-10T11:59:30Z', now)).toBe('just now');
    expect(timeAgo('2026-03-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(timeAgo('2026-03-10T09:00:00Z', now)).toBe('3 hours ago');
    expect(timeAgo('2026-03-08T11:00:00Z', now)).toBe('2 days ago');
    expect(timeAgo(null, now)).toBe('never');
  });

  it('reads the newest completed import, and counts running and failed ones', () => {
    const runs = [
      { status: 'running' as const, finishedAt: null, inserted: 0, updated: 0 },
      { status: 'failed' as const, finishedAt: '2026-03-10T11:00:00Z', inserted: 0, updated: 0 },
      { status: 'completed' as const, finishedAt: '2026-03-10T10:00:00Z', inserted: 1200, updated: 34 },
      { status: 'completed' as const, finishedAt: '2026-03-01T10:00:00Z', inserted: 9, updated: 0 },
    ];
    expect(freshnessSentence(runs, now)).toBe(
      'Data last arrived 2 hours ago: 1,234 records added or changed. 1 import is still running. 1 recent import failed.',
    );
    expect(freshnessSentence([], now)).toBe('No import has completed yet.');
  });
});
