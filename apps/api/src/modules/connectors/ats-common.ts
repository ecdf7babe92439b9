import type { RecordKind } from '@hiresignal/shared';
import type { Rubric } from '../records/hiring-records.entities';
import { finishRecord, naturalKey, type RowProblem, type RowResult } from '../records/row-checks';
import type { AtsResolver } from './ats-mapping.service';

export type Json = Record<string, unknown>;

export interface ConvertContext {
  resolver: AtsResolver;
  rubrics: Rubric[];
}

/**
 * Converts the objects of one ATS export, fed one at a time in file order (row = the object's 1-based position),
 * so a file of any size is converted in flat memory; finish() yields what needs the whole file.
 */
export interface AtsConverter {
  convert(item: Json, row: number): Iterable<RowResult>;
  finish(): Iterable<RowResult>;
}

/** The properties beside the export's array (Lever's opportunityId, archiveReasons) as far as read. */
export interface EnvelopeSource {
  /** null when the export is a bare array. */
  readonly envelope: Json | null;
  /** The whole file has been read: a property missing now is missing for good. */
  readonly done: boolean;
}

/** Feeds a whole list through a converter (tests, and anything already in memory). */
export function* convertAll(converter: AtsConverter, items: Iterable<Json>): Generator<RowResult> {
  let row = 0;
  for (const item of items) if (isObject(item)) yield* converter.convert(item, ++row);
  yield* converter.finish();
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function obj(value: unknown): Json | undefined {
  return isObject(value) ? value : undefined;
}

/** An ISO string as given, or epoch milliseconds (Lever) as ISO. */
export function time(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return str(value);
}

/** The rubric a converted score lands on: the organization's default one. */
export function defaultRubric(rubrics: Rubric[]): Rubric | undefined {
  return rubrics.find((r) => r.isDefault) ?? (rubrics.length === 1 ? rubrics[0] : undefined);
}

/** Level i of n ordered levels, spread evenly over the rubric's scale (lowest level = scaleMin). */
export function levelScore(index: number, levels: number, rubric: Rubric): number {
  const score = rubric.scaleMin + (index / (levels - 1)) * (rubric.scaleMax - rubric.scaleMin);
  return Math.round(score * 1000) / 1000;
}

/**
 * Builds one canonical record from an ATS object and checks it like a CSV row; `paths` names where each field came
 * from in the object (e.g. attributes[2].rating), for the error's column.
 */
export function record(
  kind: RecordKind,
  input: Record<string, unknown>,
  row: number,
  paths: Record<string, string>,
  ctx: ConvertContext,
  problems: RowProblem[] = [],
): RowResult {
  const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const raw = Object.fromEntries(
    Object.entries(clean).flatMap(([k, v]) =>
      typeof v === 'string' || typeof v === 'number' ? [[k, String(v)]] : [],
    ),
  );
  return finishRecord(kind, clean, raw, problems, row, null, ctx.rubrics, (field) => paths[field] ?? field);
}

export function problem(row: number, column: string, value: unknown, message: string): RowProblem {
  return {
    row,
    line: null,
    column,
    field: column,
    value: value === undefined || value === null ? null : String(value),
    message: `${column}: ${message}`,
  };
}

/** Keeps the first record per natural key (an ATS repeats a stage for every interview in it). */
export function dedupe(results: RowResult[]): RowResult[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    if (!r.staged) return true;
    const id = `${r.staged.kind}\u0000${r.staged.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export { naturalKey };

/**
 * The rubric criterion an ATS score field maps to. `skip` is set when the field is not imported: with the
 * problem to report when the name matches nothing, or null when the mapping says to ignore it.
 */
export function resolveCriterion(
  ctx: ConvertContext,
  vendor: 'greenhouse' | 'lever',
  row: number,
  column: string,
  name: string,
  what: string,
): { criterion: string; skip?: undefined } | { criterion?: undefined; skip: RowResult | null } {
  const resolved = ctx.resolver.resolve('criterion', name);
  if (resolved.target !== null) return { criterion: resolved.target };
  if (resolved.origin !== 'unmatched') return { skip: null };
  return {
    skip: {
      staged: null,
      problems: [
        problem(
          row,
          column,
          name,
          `${what} "${name}" matches no rubric criterion; map it (or ignore it) with PUT /api/v1/imports/mappings/${vendor}`,
        ),
      ],
    },
  };
}
