/** The implicit first step of every funnel (APPLIED_STEP of libs/shared settings.ts). */
const APPLIED_STEP = 'applied';

/** "recruiter_screen" -> "Recruiter screen" (as stageLabel of libs/shared settings.ts, which the bundle cannot import). */
export function stageLabel(stage: string): string {
  const words = stage.replace(/[_-]+/g, ' ').trim();
  return words.length === 0 ? stage : words[0].toUpperCase() + words.slice(1);
}

/**
 * The stage list as PUT /settings/pipeline-stages accepts it (pipelineStagesSchema): names trimmed, none empty or
 * longer than 200 characters, none "applied", no duplicates, at least one. Returns the list or the first problem.
 */
export function validateStageList(draft: readonly string[]): {
  stages: string[] | null;
  error: string | null;
} {
  const stages = draft.map((s) => s.trim());
  const fail = (error: string) => ({ stages: null, error });
  if (stages.length === 0) return fail('Name at least one stage, or choose "Follow the data".');
  const empty = stages.findIndex((s) => s.length === 0);
  if (empty >= 0) return fail(`Stage ${empty + 1} has no name: name it or remove it.`);
  const long = stages.findIndex((s) => s.length > 200);
  if (long >= 0) return fail(`Stage ${long + 1} is longer than 200 characters.`);
  if (stages.includes(APPLIED_STEP))
    return fail('"applied" is the implicit first step: leave it out of the list.');
  const seen = new Set<string>();
  for (const s of stages) {
    if (seen.has(s)) return fail(`"${s}" is in the list twice.`);
    seen.add(s);
  }
  return { stages, error: null };
}
