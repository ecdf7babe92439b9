import { chiSquareIndependence, fisherExact2x2, twoProportionZTest, type ChiSquareTest } from './contingency';

/** One group's counts at a selection decision (or a scoring rate: applicants = scored, selected = above the median). */
export interface GroupCounts {
  group: string;
  applicants: number;
  selected: number;
  /** Left out of the reference choice, the ratios and the tests (e.g. a suppressed small cell). */
  withheld?: boolean;
}

export interface GroupImpact {
  group: string;
  applicants: number;
  selected: number;
  rate: number | null;
  /** Under 2% of the (known) applicants: listed, but not a reference, not in a ratio or a test. */
  excluded: boolean;
  reference: boolean;
  impactRatio: number | null;
  fourFifthsFlag: boolean;
  fisherP: number | null;
  zP: number | null;
}

export interface ImpactAnalysis {
  referenceGroup: string | null;
  groups: GroupImpact[];
  chiSquare: ChiSquareTest | null;
}

/**
 * The four-fifths rule of the Uniform Guidelines (29 CFR 1607.4(D)) in exact integer arithmetic: group g's rate is
 * below four fifths of the reference group's when 5 x selected_g x applicants_ref < 4 x selected_ref x applicants_g,
 * so a ratio of exactly 0.80 is not flagged.
 */
export function fourFifthsFlag(
  selected: number,
  applicants: number,
  referenceSelected: number,
  referenceApplicants: number,
): boolean {
  return 5 * selected * referenceApplicants < 4 * referenceSelected * applicants;
}

/**
 * A group holds less than `share` (2%) of `base` applicants: applicants / base < share, decided exactly for the
 * 2% rule (50 x applicants < base).
 */
export function underShare(applicants: number, base: number, share = 0.02): boolean {
  if (share === 0.02) return 50 * applicants < base;
  return applicants < share * base;
}

/**
 * Impact ratios at one decision (PRODUCT.md "Fairness definitions"): among the groups holding at least 2% of the
 * applicants of `groups` (and not withheld), the reference group is the one with the highest rate (ties: the larger
 * group, then the name); each such group's impact ratio is its rate over the reference rate, flagged by the
 * four-fifths rule, with two-sided Fisher exact and pooled z p values against the reference; the chi-square test of
 * independence runs across those groups (groups x selected / not selected).
 */
export function impactAnalysis(groups: readonly GroupCounts[], minimumShare = 0.02): ImpactAnalysis {
  const base = groups.reduce((s, g) => s + g.applicants, 0);
  const excluded = groups.map((g) => underShare(g.applicants, base, minimumShare));
  const eligible = groups
    .map((g, i) => ({ g, i }))
    .filter(({ g, i }) => !excluded[i] && !g.withheld && g.applicants > 0);
  let reference: { g: GroupCounts; i: number } | null = null;
  for (const candidate of eligible) {
    if (reference === null) {
      reference = candidate;
      continue;
    }
    const a = candidate.g;
    const r = reference.g;
    // a.selected / a.applicants vs r.selected / r.applicants, compared exactly.
    const diff = a.selected * r.applicants - r.selected * a.applicants;
    if (
      diff > 0 ||
      (diff === 0 && (a.applicants > r.applicants || (a.applicants === r.applicants && a.group < r.group)))
    ) {
      reference = candidate;
    }
  }
  const ref = reference?.g ?? null;
  const included = new Set(eligible.map(({ i }) => i));
  const result = groups.map((g, i): GroupImpact => {
    const rate = g.applicants > 0 ? g.selected / g.applicants : null;
    const inAnalysis = included.has(i) && ref !== null;
    const isReference = ref !== null && reference?.i === i;
    let impactRatio: number | null = null;
    let flag = false;
    let fisherP: number | null = null;
    let zP: number | null = null;
    if (inAnalysis && ref !== null && rate !== null) {
      // (sel_g / app_g) / (sel_ref / app_ref) as one division of integers: 51/100 over 60/100 is 0.85 exactly.
      impactRatio = ref.selected > 0 ? (g.selected * ref.applicants) / (ref.selected * g.applicants) : null;
      flag = fourFifthsFlag(g.selected, g.applicants, ref.selected, ref.applicants);
      if (!isReference) {
        fisherP = fisherExact2x2(
          g.selected,
          g.applicants - g.selected,
          ref.selected,
          ref.applicants - ref.selected,
        );
        zP = twoProportionZTest(g.selected, g.applicants, ref.selected, ref.applicants)?.p ?? null;
      }
    }
    return {
      group: g.group,
      applicants: g.applicants,
      selected: g.selected,
      rate,
      excluded: excluded[i],
      reference: isReference,
      impactRatio,
      fourFifthsFlag: flag,
      fisherP,
      zP,
    };
  });
  const tableRows = eligible.map(({ g }) => [g.selected, g.applicants - g.selected]);
  return {
    referenceGroup: ref?.group ?? null,
    groups: result,
    chiSquare: tableRows.length >= 2 ? chiSquareIndependence(tableRows) : null,
  };
}
