// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { FilterOptions, JobSummary } from '@hiresignal/shared';

/** The job, department and source a screen is filtered on (null: not filtered), as its URL holds them. */
export interface CohortChoice {
  jobId: string | null;
  department: string | null;
  source: string | null;
}

export type ChoiceKey = keyof CohortChoice;

export const CHOICE_KEYS: readonly ChoiceKey[] = ['jobId', 'department', 'source'];

export interface SelectOption {
  value: string;
  label: string;
}

export function jobLabel(job: JobSummary): string {
  const title = job.title ?? job.jobId;
  return job.department ? `${title} · ${job.department}` : title;
}

/** The options of each select, from the organization's data. */
export function choiceOptions(options: FilterOptions): Record<ChoiceKey, SelectOption[]> {
  return {
    jobId: options.jobs.map((job) => ({ value: job.jobId, label: jobLabel(job) })),
    department: options.departments.map((name) => ({ value: name, label: name })),
    source: options.sources.map(({ source, applications }) => ({
      value: source,
      label: `${source} (${applications.toLocaleString('en-US')})`,
    })),
  };
}

/**
 * The values in the URL that name nothing in the data (a mistyped or outdated link): they are dropped rather than
 * shown as if they were choices, since they would filter every chart down to nothing.
 */
export function unknownChoices(
  choice: CohortChoice,
  options: FilterOptions,
): { key: ChoiceKey; value: string }[] {
  const known = choiceOptions(options);
  return CHOICE_KEYS.flatMap((key) => {
    const value = choice[key];
    return value !== null && !known[key].some((option) => option.value === value) ? [{ key, value }] : [];
  });
}

const NOUNS: Record<ChoiceKey, [string, string]> = {
  jobId: ['job', 'jobs'],
  department: ['department', 'departments'],
  source: ['source', 'sources'],
};

/** 'The link asked for job "x" and source "y", which your data does not have: showing all jobs and sources.' */
export function describeUnknownChoices(unknown: readonly { key: ChoiceKey; value: string }[]): string {
  const asked = joinWords(unknown.map(({ key, value }) => `${NOUNS[key][0]} "${value}"`));
  const all = joinWords(unknown.map(({ key }) => NOUNS[key][1]));
  return `The link asked for ${asked}, which your data does not have: showing all ${all}.`;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
