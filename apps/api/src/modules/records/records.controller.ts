import { Body, Controller, Get, Put, ConflictException } from '@nestjs/common';
import { ACCESS, ROLES, rubricSchema, type FilterOptions, type JobSummary } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { ApiDoc, apiRef } from '../../common/api-docs.decorator';
import { parseBody } from '../../common/zod-body';
import { AuditService } from '../audit/audit.service';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { Job, type Rubric } from './hiring-records.entities';
import { RubricConflictError, RubricsService } from './rubrics.service';

@Controller('v1')
export class RecordsController {
  constructor(
    private readonly db: DataSource,
    private readonly rubrics: RubricsService,
    private readonly audit: AuditService,
  ) {}

  @Roles(...ROLES)
  @ApiDoc({
    summary: "The organization's jobs",
    responses: { 200: { description: 'OK', schema: { type: 'array', items: apiRef('Job') } } },
  })
  @Get('jobs')
  async jobs(@CurrentPrincipal() principal: Principal): Promise<JobSummary[]> {
    const jobs = await this.db.getRepository(Job).find({
      where: { organizationId: principal.organizationId },
      order: { title: 'ASC', externalId: 'ASC' },
    });
    return jobs.map((j) => ({ jobId: j.externalId, title: j.title, department: j.department }));
  }

  @Roles(...ROLES)
  @ApiDoc({
    summary: 'The values the job, department and source filters can take',
    description:
      "The organization's jobs, their departments, and the sources of its applications with their counts, " +
      'so a filter is chosen from the data (and a filter in a link is checked against it).',
    responses: { 200: { description: 'OK', schema: apiRef('FilterOptions') } },
  })
  @Get('filter-options')
  async filterOptions(@CurrentPrincipal() principal: Principal): Promise<FilterOptions> {
    const jobs = await this.jobs(principal);
    const departments = [...new Set(jobs.flatMap((j) => (j.department ? [j.department] : [])))].sort((a, b) =>
      a.localeCompare(b),
    );
    const rows: { source: string; applications: string }[] = await this.db.query(
      `SELECT source, count(*) AS applications FROM applications
        WHERE organization_id = $1 AND source IS NOT NULL AND source <> ''
        GROUP BY source`,
      [principal.organizationId],
    );
    return {
      jobs,
      departments,
      // Sorted here, not in SQL: the database's collation differs between PostgreSQL servers and PGlite.
      sources: rows
        .map((r) => ({ source: r.source, applications: Number(r.applications) }))
        .sort((a, b) => a.source.localeCompare(b.source)),
    };
  }

  @Roles(...ROLES)
  @ApiDoc({
    summary: 'Rubric versions',
    responses: { 200: { description: 'OK', schema: { type: 'array', items: apiRef('Rubric') } } },
  })
  @Get('rubrics')
  async list(@CurrentPrincipal() principal: Principal) {
    return (await this.rubrics.list(principal.organizationId)).map(toRubricResponse);
  }

  /** Creates or updates one rubric version (idempotent on organization, name and version). */
  @Roles(...ACCESS.importsWrite)
  @ApiDoc({
    summary: 'Create or update one rubric version',
    description: 'Idempotent on organization, name and version.',
    body: rubricSchema,
    responses: {
      200: { description: 'The rubric as stored', schema: apiRef('Rubric') },
      400: { description: 'Invalid body', schema: apiRef('Error') },
      409: { description: 'Conflicts with stored scores', schema: apiRef('Error') },
    },
  })
  @Put('rubrics')
  async put(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const def = parseBody(rubricSchema, body);
    try {
      const rubric = await this.rubrics.put(principal.organizationId, def);
      await this.audit.record(
        principal,
        'rubric.saved',
        { type: 'rubric', id: rubric.id },
        { name: def.name, version: def.version },
      );
      return toRubricResponse(rubric);
    } catch (error) {
      if (error instanceof RubricConflictError) throw new ConflictException(error.message);
      throw error;
    }
  }
}

function toRubricResponse(r: Rubric) {
  return {
    name: r.name,
    version: r.version,
    scaleMin: r.scaleMin,
    scaleMax: r.scaleMax,
    criteria: r.criteria,
    isDefault: r.isDefault,
  };
}
