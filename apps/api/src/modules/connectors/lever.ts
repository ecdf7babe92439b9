import type { Recommendation } from '@hiresignal/shared';
import { normalizeAtsName } from '@hiresignal/shared';
import type { RowResult } from '../records/row-checks';
import { ImportFatalError } from '../records/import-errors';
import {
  defaultRubric,
  levelScore,
  obj,
  problem,
  record,
  str,
  time,
  convertAll,
  type AtsConverter,
  type ConvertContext,
  type EnvelopeSource,
  type Json,
  resolveCriterion,
} from './ats-common';

/*
 * Lever API v1 objects (see test/fixtures/ats/lever/README.md for the documentation each shape follows):
 * opportunities (with stageChanges, origin, archived, and applications expanded for the posting) and feedback
 * forms (score fields). Lever's scores run 1 (strong no) to 4 (strong yes).
 */

export type LeverObject = 'opportunities' | 'feedback';

export function detectLeverObject(item: Json): LeverObject | null {
  if ('stageChanges' in item || 'contact' in item) return 'opportunities';
  if (
    'fields' in item &&
    ('completedAt' in item || 'baseTemplateId' in item || item['type'] === 'interview')
  ) {
    return 'feedback';
  }
  return null;
}

export const LEVER_SCORE_LEVELS = 4;
const RECOMMENDATIONS: Recommendation[] = ['strong_no', 'no', 'yes', 'strong_yes'];

/**
 * Converts a Lever export object by object. Two envelope properties matter: archiveReasons (which archive reason
 * ids mean hired) and opportunityId (whose feedback a list is). Read before `data`, as in our fixtures, nothing
 * waits; when they follow `data`, the objects that need them are held until the end of the file.
 */
export function leverConverter(ctx: ConvertContext, source: EnvelopeSource): AtsConverter {
  let type: LeverObject | null = null;
  let hiredReasons: Set<string> | null = null;
  let userNames: Map<string, string> | null = null;
  const deferred: { item: Json; row: number }[] = [];
  const known = (key: string) => source.done || source.envelope === null || key in source.envelope;
  // Lever's archived.reason is an archive reason id; GET /archive_reasons lists them with type hired|non-hired.
  const reasons = () =>
    (hiredReasons ??= new Set(
      (Array.isArray(source.envelope?.['archiveReasons']) ? source.envelope['archiveReasons'] : [])
        .flatMap((r) => (obj(r)?.['type'] === 'hired' ? [str(obj(r)?.['id'])] : []))
        .filter((id): id is string => id !== undefined),
    ));
  // Lever's feedback names its user by id; GET /users lists them with their names. Read when it precedes `data`.
  const names = () => {
    if (userNames) return userNames;
    const list = source.envelope?.['users'];
    if (!Array.isArray(list)) return new Map<string, string>();
    return (userNames = new Map(
      list.flatMap((u) => {
        const id = str(obj(u)?.['id']);
        const name = str(obj(u)?.['name']);
        return id !== undefined && name !== undefined ? [[id, name] as const] : [];
      }),
    ));
  };
  const waits = (item: Json) =>
    type === 'opportunities'
      ? needsArchiveReasons(item) && !known('archiveReasons')
      : str(item['opportunityId']) === undefined && !known('opportunityId');
  const one = (item: Json, row: number) =>
    type === 'opportunities'
      ? opportunity(item, row, ctx, needsArchiveReasons(item) ? reasons() : new Set())
      : feedback(item, row, source.envelope, ctx, names());

  function* convert(item: Json, row: number): Generator<RowResult> {
    type ??= detectLeverObject(item);
    if (!type) {
      throw new ImportFatalError(
        'cannot tell which Lever object this file holds: expected opportunities (GET /v1/opportunities?expand=applications) or feedback forms (GET /v1/opportunities/:id/feedback)',
      );
    }
    if (waits(item)) deferred.push({ item, row });
    else yield* one(item, row);
  }

  function* finish(): Generator<RowResult> {
    for (const { item, row } of deferred.splice(0)) yield* one(item, row);
  }

  return { convert, finish };
}

/** An archived opportunity whose reason is an id, not the text "Hired": archiveReasons tells whether it is a hire. */
function needsArchiveReasons(item: Json): boolean {
  const archived = obj(item['archived']);
  const reason = str(archived?.['reason']);
  return (
    time(archived?.['archivedAt']) !== undefined &&
    reason !== undefined &&
    normalizeAtsName(reason) !== 'hired'
  );
}

/** A whole Lever list and its envelope, already in memory. */
export function convertLever(
  items: Json[],
  envelope: Json | null,
  ctx: ConvertContext,
): Generator<RowResult> {
  return convertAll(leverConverter(ctx, { envelope, done: true }), items);
}

function* opportunity(
  item: Json,
  row: number,
  ctx: ConvertContext,
  hiredReasons: Set<string>,
): Generator<RowResult> {
  const id = str(item['id']);
  const applications = Array.isArray(item['applications']) ? item['applications'] : [];
  const posting = str(obj(applications[0])?.['posting']);
  if (!posting) {
    yield {
      staged: null,
      problems: [
        problem(
          row,
          'applications[0].posting',
          null,
          'is required: export opportunities with expand=applications so each names its posting (the job)',
        ),
      ],
    };
    return;
  }
  const archived = obj(item['archived']);
  const archivedAt = time(archived?.['archivedAt']);
  const reason = str(archived?.['reason']);
  // A hire is archived with a reason of type "hired" (or, resolved to text, "Hired"); any other reason ends it.
  const hired =
    archivedAt !== undefined &&
    (normalizeAtsName(reason ?? '') === 'hired' || hiredReasons.has(reason ?? ''));
  const status = archivedAt === undefined ? 'active' : hired ? 'hired' : 'rejected';
  yield record(
    'applications',
    {
      applicationId: id,
      candidateId: str(item['contact']),
      jobId: posting,
      source: str(item['origin']),
      appliedAt: time(item['createdAt']),
      status,
      decidedAt: archivedAt,
      hiredAt: hired ? archivedAt : undefined,
      rejectionReason: hired ? undefined : reason,
    },
    row,
    {
      applicationId: 'id',
      candidateId: 'contact',
      jobId: 'applications[0].posting',
      source: 'origin',
      appliedAt: 'createdAt',
      status: 'archived.reason',
      decidedAt: 'archived.archivedAt',
      hiredAt: 'archived.archivedAt',
      rejectionReason: 'archived.reason',
    },
    ctx,
  );
  const changes = Array.isArray(item['stageChanges']) ? item['stageChanges'] : [];
  const earliest = new Map<string, { at: string; index: number }>();
  changes.forEach((change, index) => {
    const c = obj(change);
    const stageId = str(c?.['toStageId']);
    const at = time(c?.['updatedAt']);
    if (!stageId || !at) return;
    const { target } = ctx.resolver.resolve('stage', stageId);
    if (target === null) return;
    const seen = earliest.get(target);
    if (!seen || Date.parse(at) < Date.parse(seen.at)) earliest.set(target, { at, index });
  });
  for (const [stage, { at, index }] of earliest) {
    yield record(
      'stage_events',
      { applicationId: id, stage, enteredAt: at },
      row,
      {
        applicationId: 'id',
        stage: `stageChanges[${index}].toStageId`,
        enteredAt: `stageChanges[${index}].updatedAt`,
      },
      ctx,
    );
  }
}

function* feedback(
  item: Json,
  row: number,
  envelope: Json | null,
  ctx: ConvertContext,
  userNames: ReadonlyMap<string, string>,
): Generator<RowResult> {
  const opportunityId = str(item['opportunityId']) ?? str(envelope?.['opportunityId']);
  if (!opportunityId) {
    yield {
      staged: null,
      problems: [
        problem(
          row,
          'opportunityId',
          null,
          'is required: feedback is listed per opportunity, so wrap the list as {"opportunityId": ..., "data": [...]} or add opportunityId to each form',
        ),
      ],
    };
    return;
  }
  const rubric = defaultRubric(ctx.rubrics);
  // `user` is the user's id, or the user itself when expanded ({id, name, ...}).
  const user = obj(item['user']);
  const interviewerId = user ? str(user['id']) : str(item['user']);
  const interviewerName =
    str(user?.['name']) ?? (interviewerId === undefined ? undefined : userNames.get(interviewerId));
  const fields = Array.isArray(item['fields']) ? item['fields'] : [];
  let recommendation: Recommendation | undefined;
  for (const f of fields) {
    const field = obj(f);
    if (field?.['type'] === 'score-system') {
      const n = Number(field['value']);
      if (Number.isInteger(n) && n >= 1 && n <= 4) recommendation = RECOMMENDATIONS[n - 1];
    }
  }
  for (let k = 0; k < fields.length; k++) {
    const field = obj(fields[k]);
    if (!field || field['type'] !== 'score') continue;
    const name = str(field['text']);
    const value = field['value'];
    if (value === null || value === undefined || value === '') continue; // not scored
    if (!name) {
      yield { staged: null, problems: [problem(row, `fields[${k}].text`, null, 'is required')] };
      continue;
    }
    const criterion = resolveCriterion(ctx, 'lever', row, `fields[${k}].text`, name, 'score field');
    if (criterion.skip !== undefined) {
      if (criterion.skip) yield criterion.skip;
      continue;
    }
    const level = Number(value);
    if (!Number.isInteger(level) || level < 1 || level > LEVER_SCORE_LEVELS) {
      yield {
        staged: null,
        problems: [
          problem(row, `fields[${k}].value`, value, `is not a Lever score (1 to ${LEVER_SCORE_LEVELS})`),
        ],
      };
      continue;
    }
    yield record(
      'interview_scores',
      {
        applicationId: opportunityId,
        interviewId: str(item['interview']) ?? str(item['id']),
        interviewerId,
        interviewerName,
        criterion: criterion.criterion,
        score: rubric ? levelScore(level - 1, LEVER_SCORE_LEVELS, rubric) : level,
        interviewedAt: time(item['completedAt']) ?? time(item['createdAt']),
        recommendation,
      },
      row,
      {
        applicationId: 'opportunityId',
        interviewId: 'interview',
        interviewerId: user ? 'user.id' : 'user',
        interviewerName: user?.['name'] !== undefined ? 'user.name' : 'users[].name',
        criterion: `fields[${k}].text`,
        score: `fields[${k}].value`,
        interviewedAt: 'completedAt',
        rubric: 'fields',
        rubricVersion: 'fields',
      },
      ctx,
    );
  }
}
