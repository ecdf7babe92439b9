/*
 * Every statistic the dashboard shows, in one list: the Glossary page prints it and the term tooltips
 * (ui/term) show each entry's one-line meaning with a link to its anchor. The definitions follow PRODUCT.md, the
 * README and docs/statistics.md; keep the three and this file in step.
 */

export type GlossarySection = 'validity' | 'interviewers' | 'funnel' | 'fairness' | 'data';

export const GLOSSARY_SECTIONS: readonly { id: GlossarySection; title: string; intro: string }[] = [
  {
    id: 'validity',
    title: 'Criterion validity',
    intro: 'Does a rubric criterion pick out the people who do well after being hired?',
  },
  {
    id: 'interviewers',
    title: 'Interviewers and agreement',
    intro: 'Do interviewers score alike, and do their scores predict how hires turn out?',
  },
  {
    id: 'funnel',
    title: 'Funnel',
    intro: 'Where candidates drop out and how long each step takes.',
  },
  {
    id: 'fairness',
    title: 'Fairness',
    intro: 'Whether groups of candidates are selected and scored at similar rates.',
  },
  {
    id: 'data',
    title: 'Samples and data',
    intro: 'Who is counted, and how sure a number can be.',
  },
];

export interface GlossaryTerm {
  /** The anchor on the Glossary page (/glossary#id) and the key a tooltip names. */
  id: string;
  term: string;
  /** Other names or symbols the screens use for it. */
  aka?: string;
  section: GlossarySection;
  /** One line: what the tooltip says. */
  short: string;
  /** A few plain sentences. */
  meaning: string;
  formula?: string;
  source: string;
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  // ---------- Criterion validity ----------
  {
    id: 'validity-r',
    term: 'Validity (observed r)',
    aka: 'r, Pearson correlation',
    section: 'validity',
    short:
      'How closely interview scores on a criterion go with how hires turn out: 0 is no link, 1 a perfect one.',
    meaning:
      'The correlation between a criterion score and the outcome among the people you hired. As a rough guide .10 is a small, .30 a moderate and .50 a large effect. It is measured only among hires, so it understates how well the criterion separates all applicants.',
    formula: 'r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²), over hires with a score and a known outcome',
    source: 'Pearson (1896); effect sizes Cohen (1988), ch. 3.',
  },
  {
    id: 'confidence-interval',
    term: '95% confidence interval',
    aka: '95% CI, interval',
    section: 'data',
    short:
      'The range the true value probably lies in; if it includes 0, the data cannot rule out "no effect".',
    meaning:
      'A range computed so that, over many samples, 95 of 100 such ranges contain the true value. A narrow interval means we are fairly sure of the number; a wide one means more data is needed. For a correlation we use Fisher’s z; for a rate, Wilson’s interval.',
    formula: 'correlation: tanh(atanh r ± 1.959964 / √(n − 3))',
    source: 'Fisher (1915, 1921).',
  },
  {
    id: 'p-value',
    term: 'p value',
    aka: 'p',
    section: 'data',
    short:
      'How surprising the result would be if there were truly no effect; below .05 is called significant.',
    meaning:
      'The probability of a result at least this far from "no effect" if there were none. A small p (under .05) means chance alone is an unlikely explanation; it does not say how large or important the effect is.',
    formula: 'for r: t = r √((n − 2)/(1 − r²)) on n − 2 degrees of freedom, two-sided',
    source: 'Student (1908); Fisher (1915).',
  },
  {
    id: 'spearman',
    term: 'Spearman’s rho',
    aka: 'ρ',
    section: 'validity',
    short: 'A correlation of ranks: like r, but not pulled by a few extreme values.',
    meaning:
      'The correlation of the ranks of the scores and of the outcomes (ties get their average rank). Shown beside r as a check: if the two differ much, a few unusual hires drive r.',
    formula: 'Pearson r of the mid-ranks',
    source: 'Spearman (1904).',
  },
  {
    id: 'range-restriction',
    term: 'Range-restriction correction (Thorndike Case II)',
    aka: 'corrected r, Case II',
    section: 'validity',
    short: 'Estimates r among all applicants, since low scorers were never hired and so never measured.',
    meaning:
      'Because you hire the people who scored high, scores among hires vary less than among applicants, which shrinks r. The correction scales r up by how much narrower the hires’ spread of scores is. It assumes selection directly on this score; hires are chosen on the composite, so for one criterion it under-corrects. The observed r is always shown beside it.',
    formula: 'U = SD(applicants) / SD(hires); r_c = rU / √(1 + r²(U² − 1))',
    source: 'Thorndike (1949); Hunter, Schmidt and Le (2006).',
  },
  {
    id: 'operational-validity',
    term: 'Operational validity',
    section: 'validity',
    short:
      'r corrected both for unreliable performance ratings and for range restriction: the best estimate of true usefulness.',
    meaning:
      'Performance ratings are themselves noisy, which hides part of a real relationship. Operational validity first divides r by the square root of the ratings’ reliability, then applies the Case II correction. Not computed for retention, which is a recorded event, not a rating.',
    formula: 'r′ = r / √r_yy, then Case II on r′',
    source: 'Schmidt and Hunter (1998); Hunter and Schmidt (2004).',
  },
  {
    id: 'criterion-reliability',
    term: 'Criterion reliability',
    aka: 'r_yy',
    section: 'validity',
    short:
      'How consistent performance ratings are; .52 by default, the typical agreement of two supervisors.',
    meaning:
      'The share of the variation in performance ratings that is not rater noise. Used by the operational-validity correction; an admin can change it in Settings.',
    formula: 'default r_yy = .52',
    source: 'Viswesvaran, Ones and Schmidt (1996).',
  },
  {
    id: 'auc',
    term: 'AUC',
    aka: 'area under the ROC curve',
    section: 'validity',
    short:
      'For yes/no outcomes: the chance a hire who succeeded scored higher than one who did not (.50 is a coin toss).',
    meaning:
      'Pick one hire with the outcome and one without at random: AUC is the probability that the first scored higher (ties count half). .50 means the score does not separate them; 1 means it always does. Its interval is DeLong’s.',
    formula: 'AUC = P(score₊ > score₋) + ½ P(score₊ = score₋); DeLong standard error',
    source: 'Hanley and McNeil (1982); DeLong, DeLong and Clarke-Pearson (1988).',
  },
  {
    id: 'point-biserial',
    term: 'Point-biserial r',
    aka: 'r_pb',
    section: 'validity',
    short: 'The ordinary correlation r when the outcome is yes/no, coded 1 and 0.',
    meaning:
      'For success and retention the outcome is 1 or 0; r computed on that is the point-biserial correlation, read like any r.',
    formula: 'Pearson r with y ∈ {0, 1}',
    source: 'Pearson (1896).',
  },
  {
    id: 'composite',
    term: 'Composite score',
    section: 'validity',
    short: 'A candidate’s overall interview score: the plain average of their criterion scores.',
    meaning:
      'The unweighted mean of the application’s criterion scores (of the criteria it was scored on). Its validity tells how well the interview as a whole predicts the outcome.',
    formula: 'composite = mean of the criterion scores',
    source: 'PRODUCT.md, Statistical definitions.',
  },
  {
    id: 'candidate-score',
    term: 'Criterion score',
    section: 'validity',
    short: 'A candidate’s score on one criterion: the mean of every interviewer’s score on it.',
    meaning:
      'For one application and one criterion, the mean of all scores given on that criterion, by every interviewer in every interview.',
    formula: 'mean of the scores on the criterion',
    source: 'PRODUCT.md, Statistical definitions.',
  },
  {
    id: 'beta',
    term: 'Regression weight (β)',
    aka: 'beta, standardized coefficient',
    section: 'validity',
    short: 'How much a criterion predicts the outcome once the other criteria are taken into account.',
    meaning:
      'The standardized coefficient of the criterion in a regression of the outcome on all criteria together. A criterion that overlaps with the others can have a large r but a small β.',
    formula: 'β = R_xx⁻¹ r_xy, with a t interval',
    source: 'Cohen, Cohen, West and Aiken (2003).',
  },
  {
    id: 'delta-r2',
    term: 'ΔR² (incremental validity)',
    aka: 'Delta R squared',
    section: 'validity',
    short: 'How much prediction is lost if this criterion is dropped from the rubric.',
    meaning:
      'The share of the outcome’s variance explained by all criteria (R²) minus the share explained without this one. A ΔR² near zero means the other criteria already cover what it measures.',
    formula: 'ΔR² = R²(all) − R²(all but this one) = β² / (R_xx⁻¹)_jj; F test on (1, n − k − 1) df',
    source: 'Cohen, Cohen, West and Aiken (2003).',
  },
  {
    id: 'multiple-r',
    term: 'Multiple R and R²',
    aka: 'R, R², adjusted R²',
    section: 'validity',
    short: 'How well all criteria together predict the outcome; R² is the share of its variation explained.',
    meaning:
      'The correlation between the outcome and the best weighted combination of all criteria. Adjusted R² discounts for the number of criteria; cross-validated R is measured on hires the model did not see.',
    formula: 'adjusted R² = 1 − (1 − R²)(n − 1)/(n − k − 1); 5-fold cross-validated R',
    source: 'Cohen, Cohen, West and Aiken (2003); Stone (1974).',
  },
  {
    id: 'relative-weight',
    term: 'Relative weight (recommended weight)',
    section: 'validity',
    short: 'Each criterion’s share of what the rubric predicts: a suggested weight for the composite.',
    meaning:
      'Splits R² among the criteria even when they are correlated with one another. Divided by R², it is the share shown as the recommended rubric weight.',
    formula: 'Johnson’s ε_j, Σ ε_j = R²; weight = ε_j / R²',
    source: 'Johnson (2000).',
  },
  {
    id: 'halo',
    term: 'Inter-criterion correlation (halo)',
    section: 'validity',
    short:
      'How alike a candidate’s scores on different criteria are; very high values suggest a halo effect.',
    meaning:
      'The correlation between two criteria’s scores among applicants. If unrelated criteria correlate highly, interviewers may be scoring an overall impression rather than each criterion.',
    formula: 'Pearson r between criterion scores, pairwise',
    source: 'Thorndike (1920).',
  },
  {
    id: 'hire-cohort',
    term: 'Validity by hire quarter',
    aka: 'hire cohort',
    section: 'validity',
    short: 'r computed separately for the people hired in each quarter, to see whether validity drifts.',
    meaning:
      'Each quarter’s hires with a known outcome. Small quarters swing widely; quarters below the minimum sample are greyed and marked insufficient data.',
    formula: 'r per hire quarter (UTC), with its Fisher-z interval',
    source: 'docs/statistics.md, Validity by hire cohort.',
  },

  // ---------- Interviewers ----------
  {
    id: 'leniency',
    term: 'Leniency',
    section: 'interviewers',
    short:
      'How many score points an interviewer gives above (+) or below (−) their co-panelists for the same candidates.',
    meaning:
      'For each candidate an interviewer shares with others, the difference between their score and the co-panelists’ mean on the same criteria, averaged over candidates. Called lenient or harsh only when the whole 95% interval lies on one side of zero.',
    formula: 'mean over shared candidates of (own score − co-panelists’ mean), t interval',
    source: 'docs/statistics.md, Interviewer calibration.',
  },
  {
    id: 'agreement-with-decision',
    term: 'Agreement with the decision',
    section: 'interviewers',
    short: 'The share of an interviewer’s yes/no recommendations that match the final hiring decision.',
    meaning:
      'A yes or strong yes counts as "advance", a no or strong no as "do not". Hired and offer-declined applications count as advanced, rejected ones as not; active and withdrawn ones are left out.',
    formula: 'matching recommendations / compared interviews',
    source: 'docs/statistics.md, Interviewer calibration.',
  },
  {
    id: 'interviewer-validity',
    term: 'Interviewer’s own validity',
    section: 'interviewers',
    short: 'How well one interviewer’s scores predict how the hires they interviewed turned out.',
    meaning:
      'The correlation between an interviewer’s mean score of each hire and that hire’s outcome, over the hires they interviewed. Most interviewers meet too few hires for this to be sure.',
    formula: 'Pearson r with Fisher-z interval, flagged below the minimum sample',
    source: 'docs/statistics.md, Interviewer calibration.',
  },
  {
    id: 'icc',
    term: 'Intraclass correlation (ICC)',
    aka: 'ICC(1,1), ICC(2,1), ICC(2,k)',
    section: 'interviewers',
    short: 'How far different interviewers give the same candidate the same score (1 = perfect agreement).',
    meaning:
      'The share of score variation that comes from real differences between candidates rather than from who interviewed them. ICC(1,1) is the reliability of one interviewer; ICC(2,k) of a panel’s average. Below .50 is poor, .75 good, .90 excellent.',
    formula: 'ICC(1,1) = (BMS − WMS) / (BMS + (k₀ − 1) WMS)',
    source: 'Shrout and Fleiss (1979); McGraw and Wong (1996); Koo and Li (2016) for the words.',
  },
  {
    id: 'krippendorff-alpha',
    term: 'Krippendorff’s alpha',
    aka: 'α',
    section: 'interviewers',
    short: 'Agreement between interviewers that copes with any panel size and missing ratings (1 = perfect).',
    meaning:
      'Compares the disagreement observed within candidates with the disagreement expected by chance. Shown with interval and ordinal distances.',
    formula: 'α = 1 − D_observed / D_expected',
    source: 'Krippendorff (2011).',
  },

  // ---------- Funnel ----------
  {
    id: 'cohort',
    term: 'Cohort',
    section: 'funnel',
    short:
      'The applications that applied in the chosen dates: every funnel number refers to the same people.',
    meaning:
      'Applications are grouped by the date they applied, never by the date of a later event. A saved cohort is a named set of filters anyone can reapply.',
    formula: 'applications with applied_at inside the applied-date filters',
    source: 'PRODUCT.md, Funnel definitions.',
  },
  {
    id: 'pass-through',
    term: 'Pass-through rate',
    section: 'funnel',
    short: 'Of the candidates whose time at a stage has ended, the share who moved on to a later stage.',
    meaning:
      'Counts only concluded considerations: candidates still at the stage are counted beside it, never in the rate. The weakest step is the lowest pass-through among stages with at least the minimum sample of concluded candidates.',
    formula: 'advanced / (advanced + exited), with a 95% Wilson interval',
    source: 'PRODUCT.md, Funnel definitions; Wilson (1927).',
  },
  {
    id: 'wilson-interval',
    term: 'Wilson interval',
    section: 'funnel',
    short: 'The 95% interval of a rate, which stays sensible for small counts and rates near 0 or 100%.',
    meaning: 'Used for pass-through, offer acceptance, hire rate and success rate.',
    formula: 'centre (p + z²/2n) / (1 + z²/n) ± z/(1 + z²/n) · √(p(1 − p)/n + z²/4n²), z = 1.959964',
    source: 'Wilson (1927); Newcombe (1998).',
  },
  {
    id: 'conversion',
    term: 'Conversion',
    aka: 'Of applied',
    section: 'funnel',
    short: 'The share of all applications that reached a stage.',
    meaning: 'A skipped stage counts as reached; a hire has reached every stage.',
    formula: 'reached / applications',
    source: 'PRODUCT.md, Funnel definitions.',
  },
  {
    id: 'in-progress',
    term: 'In progress',
    section: 'funnel',
    short: 'Candidates still at a stage with no decision yet: not counted as passed or exited.',
    meaning:
      'The furthest stage is this one and the application is still active. A recent cohort has many of these, so its rates are not final.',
    formula: 'furthest stage = S and status active',
    source: 'PRODUCT.md, Funnel definitions.',
  },
  {
    id: 'days-in-stage',
    term: 'Days in stage',
    section: 'funnel',
    short: 'How long candidates who moved on spent at a stage: the median and the 90th percentile.',
    meaning:
      'From entering the stage to the first event at a later one, for candidates who advanced. The median is the typical wait; 1 in 10 took longer than the 90th percentile. The slowest stage is the one with the highest median among stages with enough candidates.',
    formula: 'median and 90th percentile, linear interpolation between order statistics',
    source: 'Hyndman and Fan (1996), definition 7.',
  },
  {
    id: 'time-to-hire',
    term: 'Time to hire',
    section: 'funnel',
    short: 'Days from applying to being hired, for the hires of the cohort.',
    meaning: 'Median and 90th percentile over the hires with a hire date.',
    formula: 'hired_at − applied_at, in days',
    source: 'PRODUCT.md, Funnel definitions.',
  },
  {
    id: 'offer-acceptance',
    term: 'Offer acceptance',
    section: 'funnel',
    short: 'Of the candidates who decided on an offer, the share who accepted.',
    meaning: 'Hires against hires plus declined offers, with a Wilson interval.',
    formula: 'hired / (hired + offer declined)',
    source: 'PRODUCT.md, Funnel definitions.',
  },
  {
    id: 'hire-rate',
    term: 'Hire rate and quality of hire',
    section: 'funnel',
    short: 'The share of applications that ended in a hire, and how those hires later rated and succeeded.',
    meaning:
      'By source, job and department: hires / applications, the mean latest performance rating of those hires and their success rate, so a source that brings many weak hires is visible.',
    formula: 'hires / applications, Wilson interval',
    source: 'PRODUCT.md, Funnel definitions.',
  },
  {
    id: 'unmapped-stage',
    term: 'Unmapped stage',
    section: 'funnel',
    short: 'A stage name in the data that is not in your pipeline list: counted, but in no stage.',
    meaning: 'Add it to the stage list in Settings to count it as a stage.',
    formula: 'stage events whose stage is not in the list',
    source: 'PRODUCT.md, Funnel definitions.',
  },

  // ---------- Fairness ----------
  {
    id: 'selection-rate',
    term: 'Selection rate',
    section: 'fairness',
    short: 'Of a group’s candidates who got a decision at a step, the share who were selected.',
    meaning:
      'At a stage: of those who reached it and concluded there, the share who advanced. At the hire decision: of the concluded applications, the share hired.',
    formula: 'selected / applicants at the decision',
    source: 'PRODUCT.md, Fairness definitions.',
  },
  {
    id: 'impact-ratio',
    term: 'Impact ratio',
    section: 'fairness',
    short: 'A group’s selection rate divided by the highest group’s rate: 1 is equal, below 0.8 is flagged.',
    meaning:
      'Compares each group with the reference group, the one with the highest rate among groups holding at least 2% of the applicants.',
    formula: 'rate_group / rate_reference',
    source: '29 CFR 1607.4(D); 6 RCNY 5-301.',
  },
  {
    id: 'four-fifths',
    term: 'Four-fifths rule',
    section: 'fairness',
    short: 'A rule of thumb: an impact ratio below 0.8 is evidence of adverse impact worth looking into.',
    meaning:
      'It is a flag, not a verdict: with small groups a ratio below 0.8 can be chance (see the Fisher test), and with large ones a smaller gap can matter. Exactly 0.80 is not flagged.',
    formula: '5 × selected_g × applicants_ref < 4 × selected_ref × applicants_g',
    source: 'Uniform Guidelines on Employee Selection Procedures, 29 CFR 1607.4(D).',
  },
  {
    id: 'reference-group',
    term: 'Reference group and the 2% rule',
    section: 'fairness',
    short:
      'The group with the highest rate among those holding at least 2% of applicants; smaller groups are listed but not compared.',
    meaning:
      'Groups under 2% of the known applicants at a decision are shown with their count and rate and marked excluded.',
    formula: '50 × applicants_g ≥ known applicants',
    source: '6 RCNY 5-301(d).',
  },
  {
    id: 'fisher-exact',
    term: 'Fisher’s exact test',
    aka: 'Fisher p',
    section: 'fairness',
    short: 'How likely a gap this large between a group and the reference group is by chance alone.',
    meaning:
      'An exact test of the 2 × 2 table (selected or not, by group), reliable for small groups. Below .05 the gap is called statistically significant. The pooled two-proportion z test is shown beside it.',
    formula: 'two-sided, hypergeometric probabilities of tables no more likely than the one observed',
    source: 'Fisher (1935); Agresti (2007).',
  },
  {
    id: 'chi-square',
    term: 'Chi-square test',
    aka: 'χ²',
    section: 'fairness',
    short: 'Whether selection rates differ across all compared groups at once.',
    meaning: 'Pearson’s test of independence of group and selection, without continuity correction.',
    formula: 'X² = Σ (observed − expected)² / expected, (r − 1)(c − 1) df',
    source: 'Agresti (2007).',
  },
  {
    id: 'scoring-rate',
    term: 'Scoring rate (bias audit)',
    section: 'fairness',
    short: 'The share of a group’s candidates who scored above the median of all scored candidates.',
    meaning:
      'Used by New York City’s bias-audit rules for scores: impact ratios of scoring rates, with the same 2% and small-cell rules.',
    formula: 'scored strictly above the overall median / scored applications',
    source: 'NYC Local Law 144, 6 RCNY 5-301.',
  },
  {
    id: 'differential-validity',
    term: 'Differential validity',
    section: 'fairness',
    short: 'Whether a score predicts the outcome equally well for different groups.',
    meaning:
      'r per group with its interval; the difference is tested with a z test (two groups) or Q (more). Groups below the minimum sample are shown but not tested.',
    formula: 'z = (atanh r₁ − atanh r₂) / √(1/(n₁ − 3) + 1/(n₂ − 3))',
    source: 'Hedges and Olkin (1985).',
  },
  {
    id: 'cleary',
    term: 'Differential prediction (Cleary model)',
    section: 'fairness',
    short: 'Whether the same score predicts a different outcome for different groups (slope or intercept).',
    meaning:
      'A regression of the outcome on score, group and score × group among hires. A slope difference means the score predicts more strongly for one group; an intercept difference that one group is over- or under-predicted at every score.',
    formula: 'outcome ~ score + group + score × group; t or F tests',
    source: 'Cleary (1968).',
  },
  {
    id: 'small-cell-suppression',
    term: 'Small-cell suppression',
    section: 'fairness',
    short: 'Groups with fewer than k people (5 by default) are hidden so that no one can be identified.',
    meaning:
      'A suppressed cell shows no count, rate or ratio, on every screen and in every export; so does any other cell from which it could be worked out by subtraction.',
    formula: 'cell of 1 to k − 1 people, and its complements',
    source: 'PRODUCT.md, Fairness definitions.',
  },
  {
    id: 'unknown-group',
    term: 'Unknown group',
    section: 'fairness',
    short: 'Candidates without demographic data, or who declined: counted and shown, never compared.',
    meaning: 'They are not part of any ratio, test or the 2% base.',
    formula: 'no demographics row, or a missing or declined value',
    source: 'PRODUCT.md, Fairness definitions.',
  },

  // ---------- Samples and data ----------
  {
    id: 'sample-size',
    term: 'n (sample size)',
    section: 'data',
    short: 'How many people a number rests on; for validity, hires with both a score and a known outcome.',
    meaning: 'The larger n, the narrower the interval and the surer the number.',
    source: 'docs/statistics.md, Samples.',
  },
  {
    id: 'insufficient-data',
    term: 'Insufficient data',
    section: 'data',
    short:
      'Fewer people than the minimum sample (30 hires by default): the number is shown greyed, too uncertain to act on.',
    meaning:
      'The numbers are still computed and shown, flagged. To detect a correlation of .20 reliably takes about 194 hires, .30 about 85 (two-sided alpha .05, power .80).',
    formula: 'n < minimum sample; n needed = ((z.975 + z.80) / atanh r)² + 3',
    source: 'Cohen (1988).',
  },
  {
    id: 'outcome',
    term: 'Outcome (performance, success, retention)',
    section: 'data',
    short: 'What a hire’s result is measured by: latest rating, success, or staying the first year.',
    meaning:
      'Performance: the latest review rating. Success: latest rating at or above the threshold (4 of 5 by default) and no involuntary or regretted departure in the first 365 days. Retention: still employed at day 365. Hires too recent to judge are left out and counted.',
    formula: 'see docs/statistics.md, Outcomes',
    source: 'PRODUCT.md, Statistical definitions.',
  },
  {
    id: 'applicant-pool',
    term: 'Applicant pool and hired sample',
    section: 'data',
    short:
      'Applicants: everyone scored on a criterion. Hired sample: the hires among them with a known outcome.',
    meaning: 'Range-restriction compares the spread of scores in the two.',
    source: 'PRODUCT.md, Statistical definitions.',
  },
  {
    id: 'data-version',
    term: 'Data version',
    section: 'data',
    short:
      'A counter that goes up with every import that changes data: the same version gives the same numbers.',
    meaning:
      'Every report and export names the data version it was computed at, so two files at the same version agree exactly.',
    source: 'README, Cohorts and exports.',
  },
];

const BY_ID = new Map(GLOSSARY.map((term) => [term.id, term]));

export function glossaryTerm(id: string): GlossaryTerm | undefined {
  return BY_ID.get(id);
}
