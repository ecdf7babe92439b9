import type { ExportFrequency } from '@hiresignal/shared';
import type { RepeatRule } from '../queue/queue.types';

/*
 * When scheduled exports are due (UTC): daily at 02:00, weekly on Monday at 02:00, monthly on the 1st at 02:00, an
 * hour when imports are usually quiet. The same rule as a cron pattern for BullMQ's job schedulers and as functions
 * for the in-process queue and for naming a run.
 */

const HOUR = 2;
const DAY_MS = 86_400_000;

export const CRON_PATTERNS: Record<ExportFrequency, string> = {
  daily: `0 ${HOUR} * * *`,
  weekly: `0 ${HOUR} * * 1`,
  monthly: `0 ${HOUR} 1 * *`,
};

/** The latest due time at or before `at`. */
export function previousDue(frequency: ExportFrequency, at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), HOUR);
  if (frequency === 'daily') return new Date(day <= at.getTime() ? day : day - DAY_MS);
  if (frequency === 'weekly') {
    // getUTCDay: Sunday 0, Monday 1. Days back to this week's Monday.
    const back = (new Date(day).getUTCDay() + 6) % 7;
    const monday = day - back * DAY_MS;
    return new Date(monday <= at.getTime() ? monday : monday - 7 * DAY_MS);
  }
  const first = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1, HOUR);
  return new Date(
    first <= at.getTime() ? first : Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1, HOUR),
  );
}

/** The first due time strictly after `after`. */
export function nextDue(frequency: ExportFrequency, after: Date): Date {
  const prev = previousDue(frequency, after);
  if (frequency === 'daily') return new Date(prev.getTime() + DAY_MS);
  if (frequency === 'weekly') return new Date(prev.getTime() + 7 * DAY_MS);
  return new Date(Date.UTC(prev.getUTCFullYear(), prev.getUTCMonth() + 1, 1, HOUR));
}

export function repeatRule(frequency: ExportFrequency): RepeatRule {
  return { pattern: CRON_PATTERNS[frequency], next: (after) => nextDue(frequency, after) };
}
