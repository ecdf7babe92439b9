import type { OrganizationSettings } from '@hiresignal/shared';

export type SettingsField = keyof OrganizationSettings;
export type SettingsDraft = Record<SettingsField, string>;
export type SettingsErrors = Partial<Record<SettingsField, string>>;

/** Mirrors the API's rules (libs/shared settings.ts), so a user learns what is wrong before saving. */
export function validateSettings(draft: SettingsDraft): {
  value: OrganizationSettings | null;
  errors: SettingsErrors;
} {
  const errors: SettingsErrors = {};
  const read = (field: SettingsField): number | null => {
    const text = draft[field].trim();
    if (text === '') {
      errors[field] = 'Enter a number.';
      return null;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      errors[field] = 'Enter a number, e.g. 0.52.';
      return null;
    }
    return value;
  };
  const reliability = read('criterionReliability');
  if (reliability !== null && (reliability <= 0 || reliability > 1)) {
    errors.criterionReliability = 'Must be greater than 0 and at most 1 (e.g. 0.52).';
  }
  const threshold = read('successThreshold');
  if (threshold !== null && (threshold < 0 || threshold > 100)) {
    errors.successThreshold = 'Must be between 0 and 100, on your performance rating scale (e.g. 4 of 5).';
  }
  const minimum = read('minimumSample');
  if (minimum !== null && (!Number.isInteger(minimum) || minimum < 4 || minimum > 1_000_000)) {
    errors.minimumSample = 'Must be a whole number of hires from 4 to 1,000,000.';
  }
  const k = read('smallCellK');
  if (k !== null && (!Number.isInteger(k) || k < 1 || k > 1000)) {
    errors.smallCellK = 'Must be a whole number of people from 1 to 1,000 (5 or more is usual).';
  }
  if (
    Object.keys(errors).length > 0 ||
    reliability === null ||
    threshold === null ||
    minimum === null ||
    k === null
  ) {
    return { value: null, errors };
  }
  return {
    value: {
      criterionReliability: reliability,
      successThreshold: threshold,
      minimumSample: minimum,
      smallCellK: k,
    },
    errors,
  };
}

export function toDraft(settings: OrganizationSettings): SettingsDraft {
  return {
    criterionReliability: String(settings.criterionReliability),
    successThreshold: String(settings.successThreshold),
    minimumSample: String(settings.minimumSample),
    smallCellK: String(settings.smallCellK),
  };
}

/** Whether two drafts hold the same values (a field edited and edited back is not a change). */
export function sameDraft(a: SettingsDraft, b: SettingsDraft): boolean {
  return (Object.keys(a) as SettingsField[]).every((key) => sameNumberText(a[key], b[key]));
}

function sameNumberText(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  return x === y || (x !== '' && y !== '' && Number(x) === Number(y));
}
