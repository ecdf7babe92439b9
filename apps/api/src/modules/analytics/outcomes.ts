import type { Outcome } from '@hiresignal/shared';

export const DAY_MS = 86_400_000;
/** Success and retention are judged over the first 365 days after hire. */
export const JUDGEMENT_DAYS = 365;

/** What the database knows about one hire's outcome. */
export interface HireOutcomeFacts {
  hiredAt: Date | null;
  /** Rating of the latest performance review (by review date), null when there is none. */
  latestRating: number | null;
  separatedAt: Date | null;
  separationType: string | null;
}

export type OutcomeClass =
  | { status: 'known'; value: number }
  /** Too recent to judge: counted in nExcludedTooRecent. */
  | { status: 'too_recent' }
  /** Cannot be judged for another reason (no hire date): left out, not counted. */
  | { status: 'unknown' };

export const BINARY_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['success', 'retention']);

/**
 * The day outcomes are judged on: the start of the current UTC day, so every request of one day sees the same
 * sample (and the cache can key on the date).
 */
export function judgementDay(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}

/**
 * Classifies one hire's outcome (docs/statistics.md, "Outcomes"):
 * - performance: the latest review's rating; a hire with no review yet is too recent.
 * - success (1/0): a hire whose first 365 days have not passed on `asOf` is too recent; otherwise an involuntary or
 *   voluntary_regretted separation on or before day 365 is a failure; otherwise a hire with no review yet is too
 *   recent; otherwise success is latest rating >= threshold.
 * - retention (1/0): a hire whose first 365 days have not passed is too recent; retained unless separated (any
 *   type) on or before day 365.
 */
export function classifyOutcome(
  outcome: Outcome,
  facts: HireOutcomeFacts,
  options: { asOf: Date; successThreshold: number },
): OutcomeClass {
  if (outcome === 'performance') {
    return facts.latestRating === null
      ? { status: 'too_recent' }
      : { status: 'known', value: facts.latestRating };
  }
  if (facts.hiredAt === null) return { status: 'unknown' };
  const dayLimit = facts.hiredAt.getTime() + JUDGEMENT_DAYS * DAY_MS;
  if (dayLimit > options.asOf.getTime()) return { status: 'too_recent' };
  const leftWithinYear = facts.separatedAt !== null && facts.separatedAt.getTime() <= dayLimit;
  if (outcome === 'retention') return { status: 'known', value: leftWithinYear ? 0 : 1 };
  if (
    leftWithinYear &&
    (facts.separationType === 'involuntary' || facts.separationType === 'voluntary_regretted')
  ) {
    return { status: 'known', value: 0 };
  }
  if (facts.latestRating === null) return { status: 'too_recent' };
  return { status: 'known', value: facts.latestRating >= options.successThreshold ? 1 : 0 };
}

/** Hire quarter, e.g. 2025-Q3 (UTC). */
export function hireCohort(hiredAt: Date): string {
  return `${hiredAt.getUTCFullYear()}-Q${Math.floor(hiredAt.getUTCMonth() / 3) + 1}`;
}
