import type { InterviewScoreRecord, RecordError } from '@hiresignal/shared';
import type { Rubric } from './hiring-records.entities';

/**
 * Fills in each score's rubric (named, or the organization's default) and checks the criterion belongs to it and
 * the score lies on its scale. Mutates the records: after this every score names its rubric and version.
 */
export function resolveRubrics(records: InterviewScoreRecord[], rubrics: Rubric[]): RecordError[] {
  const errors: RecordError[] = [];
  const fallback = rubrics.find((r) => r.isDefault) ?? (rubrics.length === 1 ? rubrics[0] : undefined);
  records.forEach((record, index) => {
    const base = { index, recordId: record.applicationId };
    let rubric: Rubric | undefined;
    if (record.rubric !== undefined) {
      const versions = rubrics.filter((r) => r.name === record.rubric);
      rubric =
        record.rubricVersion === undefined
          ? versions.sort((a, b) => b.version - a.version)[0]
          : versions.find((r) => r.version === record.rubricVersion);
      if (!rubric) {
        errors.push({
          ...base,
          field: record.rubricVersion === undefined ? 'rubric' : 'rubricVersion',
          message: `no rubric ${record.rubric}${record.rubricVersion === undefined ? '' : ` version ${record.rubricVersion}`} in this organization`,
        });
        return;
      }
    } else {
      rubric = fallback;
      if (!rubric) {
        errors.push({
          ...base,
          field: 'rubric',
          message: 'is required: this organization has no default rubric',
        });
        return;
      }
    }
    if (!rubric.criteria.some((c) => c.key === record.criterion)) {
      errors.push({
        ...base,
        field: 'criterion',
        value: record.criterion,
        message: `is not a criterion of rubric ${rubric.name} v${rubric.version} (criteria: ${rubric.criteria.map((c) => c.key).join(', ')})`,
      });
    }
    if (record.score < rubric.scaleMin || record.score > rubric.scaleMax) {
      errors.push({
        ...base,
        field: 'score',
        value: record.score,
        message: `must lie on the scale of rubric ${rubric.name} v${rubric.version}, ${rubric.scaleMin} to ${rubric.scaleMax}`,
      });
    }
    record.rubric = rubric.name;
    record.rubricVersion = rubric.version;
  });
  return errors;
}
