import type { CriterionReliability, InterviewerCalibration } from '@hiresignal/shared';
import {
  iccWord,
  interviewerLabel,
  leniencyVerdict,
  listNames,
  panelText,
  sortByLeniency,
  sortByReliability,
} from './interviewers-format';

function interviewer(id: string, value: number | null, ciLow = -0.1, ciHigh = 0.1): InterviewerCalibration {
  return {
    interviewerId: id,
    name: null,
    interviews: 10,
    candidates: 10,
    leniency: value === null ? null : { value, ciLow: value + ciLow, ciHigh: value + ciHigh },
    nCoPanelComparisons: 20,
    agreementWithDecision: 0.7,
    nDecisions: 10,
    validity: { n: 5, r: null, ciLow: null, ciHigh: null, pValue: null, sufficient: false },
  };
}

function reliability(criterion: string, icc: number | null): CriterionReliability {
  return {
    criterion,
    label: criterion,
    nCandidates: 10,
    nRatings: 30,
    meanRatersPerCandidate: 3,
    icc11: icc === null ? null : { value: icc, ciLow: null, ciHigh: null },
    icc21: null,
    icc2k: null,
    alphaInterval: null,
    alphaOrdinal: null,
  };
}

describe('interviewer calibration formatting', () => {
  it('sorts the most lenient first and unknown last', () => {
    const sorted = sortByLeniency([
      interviewer('b', -0.2),
      interviewer('a', null),
      interviewer('c', 0.4),
      interviewer('d', 0),
    ]);
    expect(sorted.map((row) => row.interviewerId)).toEqual(['c', 'd', 'b', 'a']);
  });

  it('calls someone lenient or harsh only when the whole interval is on one side of zero', () => {
    expect(leniencyVerdict(interviewer('a', 0.3))).toBe('lenient');
    expect(leniencyVerdict(interviewer('a', -0.3))).toBe('harsh');
    expect(leniencyVerdict(interviewer('a', 0.05))).toBe('calibrated');
    expect(leniencyVerdict(interviewer('a', null))).toBe('unknown');
  });

  it('names ICC levels (Koo and Li) and sorts the weakest criterion first', () => {
    expect(iccWord(0.3)).toBe('poor');
    expect(iccWord(0.6)).toBe('moderate');
    expect(iccWord(0.8)).toBe('good');
    expect(iccWord(0.95)).toBe('excellent');
    expect(iccWord(null)).toBe('');
    const sorted = sortByReliability([reliability('x', 0.7), reliability('y', null), reliability('z', 0.4)]);
    expect(sorted.map((row) => row.criterion)).toEqual(['z', 'x', 'y']);
  });
});

describe('interviewer names', () => {
  it('shows the display name, or the id when there is none', () => {
    expect(interviewerLabel({ interviewerId: 'int-003', name: 'Priya Raman' })).toBe('Priya Raman');
    expect(interviewerLabel({ interviewerId: 'int-003', name: null })).toBe('int-003');
    expect(interviewerLabel({ interviewerId: 'int-003', name: '  ' })).toBe('int-003');
    // An API from before names: no field at all.
    expect(interviewerLabel({ interviewerId: 'int-003' })).toBe('int-003');
  });

  it('names the panel of the same-panel ICCs in words, not as a field', () => {
    const names: Record<string, string> = { a: 'Ada Lovelace', b: 'Chen Wei' };
    const nameOf = (id: string) => names[id] ?? id;
    expect(panelText({ interviewers: ['a', 'b', 'c'], nCandidates: 41 }, nameOf)).toBe(
      '41 candidates scored by Ada Lovelace, Chen Wei and c',
    );
    expect(panelText({ interviewers: ['a', 'b'], nCandidates: 1 }, nameOf)).toBe(
      '1 candidate scored by Ada Lovelace and Chen Wei',
    );
    expect(panelText(null, nameOf)).toBeNull();
    expect(panelText(undefined, nameOf)).toBeNull();
    expect(listNames([])).toBe('');
  });
});
