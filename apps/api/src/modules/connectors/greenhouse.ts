import type { RaceEthnicity, Recommendation, Sex } from '@hiresignal/shared';
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
  type Json,
  resolveCriterion,
} from './ats-common';

/*
 * Greenhouse Harvest API v1 objects (see test/fixtures/ats/greenhouse/README.md for the documentation each shape
 * follows) converted to canonical records. One file holds one object type, recognised by its fields.
 */

export const GREENHOUSE_OBJECTS = [
  'applications',
  'scorecards',
  'scheduled_interviews',
  'offers',
  'jobs',
  'eeoc',
] as const;
export type GreenhouseObject = (typeof GREENHOUSE_OBJECTS)[number];

export function detectGreenhouseObject(item: Json): GreenhouseObject | null {
  if ('attributes' in item || 'overall_recommendation' in item) return 'scorecards';
  if ('interviewers' in item && 'start' in item) return 'scheduled_interviews';
  if ('race' in item || 'gender' in item || 'veteran_status' in item) return 'eeoc';
  if ('starts_at' in item || ('resolved_at' in item && 'application_id' in item)) return 'offers';
  if ('candidate_id' in item && 'applied_at' in item) return 'applications';
  if ('departments' in item || 'requisition_id' in item || 'hiring_team' in item) return 'jobs';
  return null;
}

/** Greenhouse's five scorecard ratings, lowest first; no_decision means no score. */
export const GREENHOUSE_RATINGS = ['definitely_not', 'no', 'mixed', 'yes', 'strong_yes'] as const;

const RECOMMENDATIONS: Record<string, Recommendation | undefined> = {
  definitely_not: 'strong_no',
  no: 'no',
  yes: 'yes',
  strong_yes: 'strong_yes',
};

const STATUSES: Record<string, string> = {
  active: 'active',
  converted: 'active',
  paused: 'active',
  unvisited: 'active',
  completed: 'active',
  rejected: 'rejected',
  hired: 'hired',
};

const GENDERS: Record<string, Sex> = { male: 'male', female: 'female', decline_to_self_identify: 'declined' };
const RACES: Record<string, RaceEthnicity> = {
  american_indian_or_alaskan_native: 'american_indian_or_alaska_native',
  american_indian_or_alaska_native: 'american_indian_or_alaska_native',
  asian: 'asian',
  black_or_african_american: 'black_or_african_american',
  hispanic_or_latino: 'hispanic_or_latino',
  white: 'white',
  native_hawaiian_or_other_pacific_islander: 'native_hawaiian_or_other_pacific_islander',
  two_or_more_races: 'two_or_more_races',
  decline_to_self_identify: 'declined',
};

/** Converts a Greenhouse export object by object; the object type is told by the first object. */
export function greenhouseConverter(ctx: ConvertContext): AtsConverter {
  let type: GreenhouseObject | null = null;
  // Stage events are kept at the earliest time per application and stage, so they wait for the end of the file.
  const stageEvents = new Map<
    string,
    { row: number; app: string; stage: string; at: string; path: string }
  >();
  const addStage = (
    row: number,
    app: string | undefined,
    name: string | undefined,
    at: string | undefined,
    path: string,
  ) => {
    if (!app || !name || !at) return;
    const { target } = ctx.resolver.resolve('stage', name);
    if (target === null) return;
    const id = `${app}\u0000${target}`;
    const seen = stageEvents.get(id);
    if (!seen || Date.parse(at) < Date.parse(seen.at))
      stageEvents.set(id, { row, app, stage: target, at, path });
  };

  function* convert(item: Json, row: number): Generator<RowResult> {
    type ??= detectGreenhouseObject(item);
    if (!type) {
      throw new ImportFatalError(
        `cannot tell which Greenhouse object this file holds: expected ${GREENHOUSE_OBJECTS.join(', ')} as GET /v1/<object> returns them`,
      );
    }
    switch (type) {
      case 'applications':
        yield* application(item, row, ctx, addStage);
        break;
      case 'scorecards':
        yield* scorecard(item, row, ctx);
        break;
      case 'scheduled_interviews': {
        const start = obj(item['start']);
        addStage(
          row,
          str(item['application_id']),
          str(obj(item['interview'])?.['name']),
          str(start?.['date_time']) ?? str(start?.['date']),
          'interview.name',
        );
        break;
      }
      case 'offers':
        if (item['status'] !== 'deprecated') {
          addStage(
            row,
            str(item['application_id']),
            'Offer',
            str(item['sent_at']) ?? str(item['created_at']),
            'status',
          );
        }
        break;
      case 'jobs': {
        const departments = Array.isArray(item['departments']) ? item['departments'] : [];
        const id = str(item['id']);
        if (!id) {
          yield { staged: null, problems: [problem(row, 'id', item['id'], 'is required')] };
          break;
        }
        const record = {
          jobId: id,
          jobTitle: str(item['name']),
          department: str(obj(departments[0])?.['name']),
        };
        yield { staged: { kind: 'jobs', row, line: null, key: id, record }, problems: [] };
        break;
      }
      case 'eeoc':
        yield eeoc(item, row, ctx);
        break;
    }
  }

  function* finish(): Generator<RowResult> {
    for (const e of stageEvents.values()) {
      yield record(
        'stage_events',
        { applicationId: e.app, stage: e.stage, enteredAt: e.at },
        e.row,
        {
          applicationId: 'application_id',
          stage: e.path,
          enteredAt: 'start',
        },
        ctx,
      );
    }
    stageEvents.clear();
  }

  return { convert, finish };
}

/** A whole Greenhouse list, already in memory. */
export function convertGreenhouse(items: Json[], ctx: ConvertContext): Generator<RowResult> {
  return convertAll(greenhouseConverter(ctx), items);
}

function* application(
  item: Json,
  row: number,
  ctx: ConvertContext,
  addStage: (
    row: number,
    app: string | undefined,
    name: string | undefined,
    at: string | undefined,
    path: string,
  ) => void,
): Generator<RowResult> {
  const job = obj(Array.isArray(item['jobs']) ? item['jobs'][0] : undefined);
  const status = str(item['status']);
  const mapped = status ? STATUSES[status] : undefined;
  if (!job) {
    yield {
      staged: null,
      problems: [
        problem(row, 'jobs', null, 'is empty: a prospect without a job is not an application we can import'),
      ],
    };
    return;
  }
  if (status && !mapped) {
    yield {
      staged: null,
      problems: [problem(row, 'status', status, `is not a Greenhouse application status`)],
    };
    return;
  }
  const hired = mapped === 'hired';
  // The application object has no hire date; hired_at when an export adds it, else the last activity.
  const hiredAt = hired ? (time(item['hired_at']) ?? time(item['last_activity_at'])) : undefined;
  const app = str(item['id']);
  yield record(
    'applications',
    {
      applicationId: app,
      candidateId: str(item['candidate_id']),
      jobId: str(job['id']),
      jobTitle: str(job['name']),
      source: str(obj(item['source'])?.['public_name']),
      appliedAt: time(item['applied_at']),
      status: mapped,
      decidedAt: mapped === 'rejected' ? time(item['rejected_at']) : hiredAt,
      hiredAt,
      rejectionReason: str(obj(item['rejection_reason'])?.['name']),
    },
    row,
    {
      applicationId: 'id',
      candidateId: 'candidate_id',
      jobId: 'jobs[0].id',
      jobTitle: 'jobs[0].name',
      source: 'source.public_name',
      appliedAt: 'applied_at',
      status: 'status',
      decidedAt: 'rejected_at',
      hiredAt: 'last_activity_at',
      rejectionReason: 'rejection_reason.name',
    },
    ctx,
  );
  addStage(
    row,
    app,
    str(obj(item['current_stage'])?.['name']),
    time(item['last_activity_at']),
    'current_stage.name',
  );
}

function* scorecard(item: Json, row: number, ctx: ConvertContext): Generator<RowResult> {
  const rubric = defaultRubric(ctx.rubrics);
  const attributes = Array.isArray(item['attributes']) ? item['attributes'] : [];
  const step = str(obj(item['interview_step'])?.['name']) ?? str(item['interview']);
  const stage = step ? ctx.resolver.resolve('stage', step).target : null;
  const recommendation = RECOMMENDATIONS[str(item['overall_recommendation']) ?? ''];
  const interviewer = obj(item['submitted_by']);
  const interviewerName = userName(interviewer);
  for (let a = 0; a < attributes.length; a++) {
    const attribute = obj(attributes[a]);
    if (!attribute) continue;
    const name = str(attribute['name']);
    const rating = attribute['rating'];
    if (rating === null || rating === undefined || rating === 'no_decision') continue; // missing, not a score
    if (!name) {
      yield { staged: null, problems: [problem(row, `attributes[${a}].name`, null, 'is required')] };
      continue;
    }
    const criterion = resolveCriterion(
      ctx,
      'greenhouse',
      row,
      `attributes[${a}].name`,
      name,
      'scorecard attribute',
    );
    if (criterion.skip !== undefined) {
      if (criterion.skip) yield criterion.skip;
      continue;
    }
    const level = (GREENHOUSE_RATINGS as readonly unknown[]).indexOf(rating);
    if (level < 0) {
      yield {
        staged: null,
        problems: [
          problem(
            row,
            `attributes[${a}].rating`,
            rating,
            `is not a Greenhouse rating (${GREENHOUSE_RATINGS.join(', ')}, no_decision)`,
          ),
        ],
      };
      continue;
    }
    yield record(
      'interview_scores',
      {
        applicationId: str(item['application_id']),
        interviewId: str(item['id']),
        interviewerId: str(interviewer?.['id']),
        interviewerName,
        criterion: criterion.criterion,
        score: rubric ? levelScore(level, GREENHOUSE_RATINGS.length, rubric) : level + 1,
        stage: stage ?? undefined,
        interviewedAt: time(item['interviewed_at']),
        recommendation,
      },
      row,
      {
        applicationId: 'application_id',
        interviewId: 'id',
        interviewerId: 'submitted_by.id',
        interviewerName: 'submitted_by.name',
        criterion: `attributes[${a}].name`,
        score: `attributes[${a}].rating`,
        stage: 'interview',
        interviewedAt: 'interviewed_at',
        rubric: 'attributes',
        rubricVersion: 'attributes',
      },
      ctx,
    );
  }
}

/** A Harvest user's display name: `name`, else first and last name joined. */
function userName(user: Json | undefined): string | undefined {
  const full = [str(user?.['first_name']), str(user?.['last_name'])].filter((part) => part !== undefined);
  return str(user?.['name']) ?? (full.length > 0 ? full.join(' ') : undefined);
}

function eeoc(item: Json, row: number, ctx: ConvertContext): RowResult {
  const gender = normalizeAtsName(str(obj(item['gender'])?.['description']) ?? '');
  const race = normalizeAtsName(str(obj(item['race'])?.['description']) ?? '');
  return record(
    'demographics',
    {
      candidateId: str(item['candidate_id']),
      sex: gender ? (GENDERS[gender] ?? 'another') : undefined,
      raceEthnicity: race ? (RACES[race] ?? race) : undefined,
    },
    row,
    { candidateId: 'candidate_id', sex: 'gender.description', raceEthnicity: 'race.description' },
    ctx,
  );
}
