import {
  NO_FAIRNESS_FILTERS,
  activeCohortFilterCount,
  adverseImpactParams,
  biasAuditParams,
  differentialValidityParams,
  paramsKey,
  parseFairnessFilters,
  sameFairnessFilters,
  stagesParams,
} from './fairness-filters';

describe('fairness URL filters', () => {
  it('defaults to sex, the hire decision, the composite and performance', () => {
    expect(parseFairnessFilters(new URLSearchParams(''))).toEqual(NO_FAIRNESS_FILTERS);
  });

  it('reads what the URL holds and drops what is not valid', () => {
    const filters = parseFairnessFilters(
      new URLSearchParams(
        'groupBy=intersectional&decision=system_design&criterion=fundamentals&outcome=success&appliedFrom=2026-02-30&appliedTo=2026-06-30&source=%20referral%20',
      ),
    );
    expect(filters).toEqual({
      ...NO_FAIRNESS_FILTERS,
      groupBy: 'intersectional',
      decision: 'system_design',
      criterion: 'fundamentals',
      outcome: 'success',
      appliedTo: '2026-06-30',
      source: 'referral',
    });
    expect(parseFairnessFilters(new URLSearchParams('groupBy=age&outcome=x')).groupBy).toBe('sex');
    expect(activeCohortFilterCount(filters)).toBe(2);
    expect(sameFairnessFilters(filters, { ...filters })).toBe(true);
    expect(sameFairnessFilters(filters, { ...filters, decision: 'hire' })).toBe(false);
  });

  it('sends each route only its own parameters', () => {
    const filters = { ...NO_FAIRNESS_FILTERS, jobId: 'J1', decision: 'offer', criterion: 'ownership' };
    expect(adverseImpactParams(filters)).toEqual({ jobId: 'J1', decision: 'offer', groupBy: 'sex' });
    expect(stagesParams(filters)).toEqual({ jobId: 'J1', groupBy: 'sex' });
    expect(biasAuditParams(filters)).toEqual({ jobId: 'J1', criterion: 'ownership' });
    expect(differentialValidityParams(filters)).toEqual({
      jobId: 'J1',
      outcome: 'performance',
      groupBy: 'sex',
      criterion: 'ownership',
    });
    expect(paramsKey({ b: '2', a: '1' })).toBe(paramsKey({ a: '1', b: '2' }));
  });
});
