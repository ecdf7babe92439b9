import { Controller, Get, Query, UnprocessableEntityException } from '@nestjs/common';
import type { InterviewersReport, ReliabilityReport, ValidityReport } from '@hiresignal/shared';
import type { z } from 'zod';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { filtersQuerySchema, normalizeFilters, outcomeQuerySchema, queryIssues } from './analytics-filters';
import { AnalyticsService } from './analytics.service';

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

/** Criterion validity and interviewer calibration (docs/statistics.md; contract in libs/shared analytics.ts). */
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Roles('admin', 'talent_leader', 'analyst')
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

  @Roles('admin', 'talent_leader', 'analyst')
  @Get('interviewers')
  getInterviewers(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InterviewersReport> {
    const { outcome, ...filters } = parseQuery(outcomeQuerySchema, query);
    return this.analytics.interviewers(principal.organizationId, outcome, normalizeFilters(filters));
  }

  @Roles('admin', 'talent_leader', 'analyst')
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
}
