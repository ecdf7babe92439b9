import { Controller, Get, Query, Req, UnprocessableEntityException } from '@nestjs/common';
import { ACCESS } from '@hiresignal/shared';
import type {
  AdverseImpactReport,
  AdverseImpactStagesReport,
  BiasAuditReport,
  DifferentialValidityReport,
  FairnessFilters,
  FunnelReport,
  InterviewersReport,
  ReliabilityReport,
  ValidityReport,
} from '@hiresignal/shared';
import type { Request } from 'express';
import type { z } from 'zod';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { AuditService, auditActor } from '../audit/audit.service';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { filtersQuerySchema, normalizeFilters, outcomeQuerySchema, queryIssues } from './analytics-filters';
import { AnalyticsService } from './analytics.service';
import {
  adverseImpactQuerySchema,
  adverseImpactStagesQuerySchema,
  biasAuditQuerySchema,
  differentialValidityQuerySchema,
  normalizeFairnessFilters,
} from './fairness-filters';
import { FairnessService } from './fairness.service';
import { funnelQuerySchema, normalizeFunnelFilters } from './funnel-filters';
import { FunnelService } from './funnel.service';

function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message: 'Invalid query parameters',
    errors: queryIssues(parsed.error),
  });
}

/** Descriptions of the query parameters in GET /api/openapi.json (the schemas are analytics-filters.ts). */
const PARAMETER_DESCRIPTIONS: Record<string, string> = {
  outcome:
    'performance = latest review rating; success = rating >= threshold and no involuntary/regretted separation within 365 days of hire; retention = still employed 365 days after hire.',
  jobId: "Only applications to this job (the customer's job id).",
  department: 'Only applications to jobs of this department.',
  rubric: "Rubric name; default: the organization's default rubric. Scores of other rubrics are ignored.",
  rubricVersion: 'Rubric version; default: the newest version of the rubric.',
  source: 'Only applications from this source.',
  hiredFrom:
    'Inclusive UTC date (YYYY-MM-DD). Restricts the hired sample only; the applicant pool (for the range-restriction U) is not restricted by hire date.',
  hiredTo: 'Inclusive UTC date (YYYY-MM-DD); see hiredFrom.',
};

/** Descriptions of the fairness views' query parameters (docs/statistics.md "Fairness"). */
const FAIRNESS_PARAMETERS: Record<string, string> = {
  jobId: PARAMETER_DESCRIPTIONS['jobId'],
  department: PARAMETER_DESCRIPTIONS['department'],
  source: PARAMETER_DESCRIPTIONS['source'],
  rubric:
    "Rubric name for scores (bias audit, differential validity); default: the organization's default rubric.",
  rubricVersion: 'Rubric version; default: the newest version of the rubric.',
  appliedFrom: 'Inclusive UTC date (YYYY-MM-DD) on applied_at: chooses the cohort, as in the funnel.',
  appliedTo: 'Inclusive UTC date (YYYY-MM-DD) on applied_at; see appliedFrom.',
  hiredFrom: 'Inclusive UTC date (YYYY-MM-DD): restricts the hired sample of differential validity only.',
  hiredTo: 'Inclusive UTC date (YYYY-MM-DD); see hiredFrom.',
  decision:
    "'hire' (applicants = concluded applications, selected = hired), 'applied' or a pipeline stage (applicants = reached the stage and concluded there, selected = advanced).",
  groupBy: "'sex', 'race_ethnicity' or 'intersectional' (sex|race_ethnicity).",
  criterion: "A criterion key of the rubric, or 'composite' (default).",
  outcome: PARAMETER_DESCRIPTIONS['outcome'],
};

const fairnessResponses = (name: string) => ({
  200: { description: 'OK', schema: { type: 'object', description: `${name} (libs/shared fairness.ts)` } },
  404: { description: 'Unknown rubric', schema: apiRef('Error') },
  422: { description: 'Invalid query parameters', schema: apiRef('Error') },
});

const reportResponses = (schema: string) => ({
  200: { description: 'OK', schema: apiRef(schema) },
  404: { description: 'Unknown rubric', schema: apiRef('Error') },
  422: { description: 'Invalid query parameters', schema: apiRef('Error') },
});

/** Criterion validity and interviewer calibration (docs/statistics.md; contract in libs/shared analytics.ts). */
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly funnelReports: FunnelService,
    private readonly fairness: FairnessService,
    private readonly audit: AuditService,
  ) {}

  @Roles(...ACCESS.validity)
  @ApiDoc({
    summary: 'Criterion validity report',
    description:
      'Per criterion and for the unit-weighted composite: observed r with n, p and 95% Fisher-z interval, Spearman, ' +
      'Case II range-restriction correction and operational validity, AUC (DeLong) and point-biserial r for binary ' +
      'outcomes, insufficient-data flags; regression of the outcome on all criteria (betas, ΔR², relative weights, ' +
      'cross-validated R); inter-criterion (halo) correlations; validity per hire quarter. Cached per organization, ' +
      'data version, settings and filters.',
    query: outcomeQuerySchema,
    parameterDescriptions: PARAMETER_DESCRIPTIONS,
    responses: reportResponses('ValidityReport'),
  })
  @Get('validity')
  async getValidity(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ValidityReport & { minimumSample: number }> {
    const { outcome, ...filters } = parseQuery(outcomeQuerySchema, query);
    const report = await this.analytics.validity(
      principal.organizationId,
      outcome,
      normalizeFilters(filters),
    );
    // minimumSample at the top level is the pre-ValidityReport shape, kept while the old dashboard reads it.
    return { ...report, minimumSample: report.settings.minimumSample };
  }

  @Roles(...ACCESS.validity)
  @ApiDoc({
    summary: 'Interviewer calibration',
    description:
      'Per interviewer: interviews, candidates, leniency against co-panelists with a t interval, agreement of ' +
      'recommendations with the decision (hired or offer_declined = advanced, rejected = not; active and withdrawn ' +
      'applications are left out), and the predictive validity of their own scores.',
    query: outcomeQuerySchema,
    parameterDescriptions: PARAMETER_DESCRIPTIONS,
    responses: reportResponses('InterviewersReport'),
  })
  @Get('interviewers')
  getInterviewers(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InterviewersReport> {
    const { outcome, ...filters } = parseQuery(outcomeQuerySchema, query);
    return this.analytics.interviewers(principal.organizationId, outcome, normalizeFilters(filters));
  }

  @Roles(...ACCESS.validity)
  @ApiDoc({
    summary: 'Interrater reliability per criterion',
    description:
      "ICC(1,1) (unbalanced one-way), ICC(2,1) and ICC(2,k) (two-way random, on the most common complete panel) with 95% intervals, and Krippendorff's alpha (interval and ordinal). The method string says how unbalanced panels were handled.",
    query: filtersQuerySchema,
    parameterDescriptions: PARAMETER_DESCRIPTIONS,
    responses: reportResponses('ReliabilityReport'),
  })
  @Get('reliability')
  getReliability(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReliabilityReport> {
    return this.analytics.reliability(
      principal.organizationId,
      normalizeFilters(parseQuery(filtersQuerySchema, query)),
    );
  }

  @Roles(...ACCESS.funnel)
  @ApiDoc({
    summary: 'Recruiter funnel',
    description:
      'The cohort of applications applied inside appliedFrom..appliedTo (and the other filters) through the ' +
      "organization's pipeline stages: per stage reached, advanced, exited, in progress, pass-through rate " +
      'advanced / (advanced + exited) with its 95% Wilson interval, conversion from applied, days in stage ' +
      '(median and 90th percentile, linear interpolation); time to hire; offer acceptance; by source, job and ' +
      "department the hire rate and the hires' latest rating and success rate; by application month. Stage " +
      'events on stages outside the list are counted as unmapped. Cached per organization, data version, stage ' +
      'list, success threshold and filters.',
    query: funnelQuerySchema,
    parameterDescriptions: {
      jobId: PARAMETER_DESCRIPTIONS['jobId'],
      department: PARAMETER_DESCRIPTIONS['department'],
      source: PARAMETER_DESCRIPTIONS['source'],
      rubric: 'Accepted so one filter bar works on every screen; the funnel counts applications, not scores.',
      rubricVersion: 'As rubric: accepted, does not change the funnel.',
      appliedFrom: 'Inclusive UTC date (YYYY-MM-DD) on applied_at: chooses the cohort.',
      appliedTo: 'Inclusive UTC date (YYYY-MM-DD) on applied_at; see appliedFrom.',
    },
    responses: {
      200: {
        description: 'OK',
        schema: { type: 'object', description: 'FunnelReport (libs/shared analytics.ts)' },
      },
      422: { description: 'Invalid query parameters', schema: apiRef('Error') },
    },
  })
  @Get('funnel')
  getFunnel(@Query() query: unknown, @CurrentPrincipal() principal: Principal): Promise<FunnelReport> {
    return this.funnelReports.funnel(
      principal.organizationId,
      normalizeFunnelFilters(parseQuery(funnelQuerySchema, query)),
    );
  }

  @Roles(...ACCESS.fairness)
  @ApiDoc({
    summary: 'Adverse impact at one decision',
    description:
      'Selection rates by group (sex, race/ethnicity or intersectional) at the hire decision or a pipeline stage: ' +
      'impact ratio against the highest-rate group holding at least 2% of the applicants, the four-fifths flag ' +
      '(5 x sel_g x app_ref < 4 x sel_ref x app_g), two-sided Fisher exact and pooled z p values against that ' +
      'group, and the chi-square test of independence across the included groups. Unknown demographics are ' +
      "counted, never in a ratio or test; cells under the organization's k, or recoverable by subtraction, are " +
      'suppressed. Every request is written to the audit log.',
    query: adverseImpactQuerySchema,
    parameterDescriptions: FAIRNESS_PARAMETERS,
    responses: fairnessResponses('AdverseImpactReport'),
  })
  @Get('adverse-impact')
  async getAdverseImpact(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<AdverseImpactReport> {
    const { decision, groupBy, ...rest } = parseQuery(adverseImpactQuerySchema, query);
    const filters = normalizeFairnessFilters(rest);
    const report = await this.fairness.adverseImpact(principal.organizationId, decision, groupBy, filters);
    await this.recordRead(principal, req, 'adverse-impact', { decision, groupBy, filters });
    return report;
  }

  @Roles(...ACCESS.fairness)
  @ApiDoc({
    summary: 'Adverse impact at every stage',
    description:
      "The adverse-impact table of every decision in funnel order: the implicit 'applied' step, each pipeline " +
      "stage, then 'hire', so a talent leader sees where a gap opens. Same definitions, suppression and audit " +
      'as /analytics/adverse-impact.',
    query: adverseImpactStagesQuerySchema,
    parameterDescriptions: FAIRNESS_PARAMETERS,
    responses: fairnessResponses('AdverseImpactStagesReport'),
  })
  @Get('adverse-impact/stages')
  async getAdverseImpactStages(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<AdverseImpactStagesReport> {
    const { groupBy, ...rest } = parseQuery(adverseImpactStagesQuerySchema, query);
    const filters = normalizeFairnessFilters(rest);
    const report = await this.fairness.adverseImpactStages(principal.organizationId, groupBy, filters);
    await this.recordRead(principal, req, 'adverse-impact/stages', { groupBy, filters });
    return report;
  }

  @Roles(...ACCESS.fairness)
  @ApiDoc({
    summary: 'NYC Local Law 144 bias-audit tables',
    description:
      'Scoring rates (share of scored applications strictly above the median of all scored applications inside ' +
      'the filters) by sex, race/ethnicity and intersectional category, with impact ratios and the 2% rule; and ' +
      "the hire decision's selection-rate tables in the same groupings; with the definitions used. Suppressed " +
      'and audited as the other fairness views.',
    query: biasAuditQuerySchema,
    parameterDescriptions: FAIRNESS_PARAMETERS,
    responses: fairnessResponses('BiasAuditReport'),
  })
  @Get('bias-audit')
  async getBiasAudit(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<BiasAuditReport> {
    const { criterion, ...rest } = parseQuery(biasAuditQuerySchema, query);
    const filters = normalizeFairnessFilters(rest);
    const report = await this.fairness.biasAudit(principal.organizationId, criterion, filters);
    await this.recordRead(principal, req, 'bias-audit', { criterion, filters });
    return report;
  }

  @Roles(...ACCESS.fairness)
  @ApiDoc({
    summary: 'Differential validity and prediction',
    description:
      'Per group with at least the minimum sample, r between the score (criterion or composite) and the outcome ' +
      'in the hired sample with its 95% Fisher-z interval; the z test of the difference (two groups) or Q ' +
      "heterogeneity (more); and the Cleary (1968) regression: slope difference (the interaction's test) and " +
      "intercept difference (the group term's test without the interaction). Suppressed and audited as the " +
      'other fairness views.',
    query: differentialValidityQuerySchema,
    parameterDescriptions: FAIRNESS_PARAMETERS,
    responses: fairnessResponses('DifferentialValidityReport'),
  })
  @Get('differential-validity')
  async getDifferentialValidity(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<DifferentialValidityReport> {
    const { outcome, groupBy, criterion, ...rest } = parseQuery(differentialValidityQuerySchema, query);
    const filters = normalizeFairnessFilters(rest);
    const report = await this.fairness.differentialValidity(
      principal.organizationId,
      outcome,
      groupBy,
      criterion,
      filters,
    );
    await this.recordRead(principal, req, 'differential-validity', { outcome, groupBy, criterion, filters });
    return report;
  }

  /** Every fairness view reads demographics (in aggregate): one audit entry per request. */
  private recordRead(
    principal: Principal,
    req: Request,
    route: string,
    detail: { filters: FairnessFilters } & Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(
      auditActor(principal, req),
      'fairness.read',
      { type: 'analytics', id: route },
      { route: `/api/v1/analytics/${route}`, ...detail },
    );
  }
}
