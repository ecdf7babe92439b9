import { Controller, Get, NotFoundException, Query, UnprocessableEntityException } from '@nestjs/common';
import { VALIDITY_OUTCOMES, type ValidityResponse } from '@hiresignal/shared';
import { z } from 'zod';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { RubricsService } from '../records/rubrics.service';
import { ValidityService } from './validity.service';

const validityQuery = z.strictObject({
  outcome: z.enum(VALIDITY_OUTCOMES).default('performance'),
  jobId: z.string().trim().min(1).max(200).optional(),
  rubric: z.string().trim().min(1).max(200).optional(),
  rubricVersion: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).optional(),
});

@Controller('v1/analytics')
export class AnalyticsController {
  constructor(
    private readonly validity: ValidityService,
    private readonly rubrics: RubricsService,
  ) {}

  @Roles('admin', 'talent_leader', 'analyst')
  @Get('validity')
  async getValidity(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ValidityResponse> {
    const parsed = validityQuery.safeParse(query);
    if (!parsed.success) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'Invalid query parameters',
        errors: parsed.error.issues.map((i) => ({
          field: i.path.join('.') || '(query)',
          message: i.code === 'unrecognized_keys' ? `unknown parameters: ${i.keys.join(', ')}` : i.message,
        })),
      });
    }
    const { outcome, jobId, rubric: rubricName, rubricVersion } = parsed.data;
    let rubric = await this.rubrics.resolveDefault(principal.organizationId);
    if (rubricName !== undefined) {
      const versions = (await this.rubrics.list(principal.organizationId)).filter(
        (r) => r.name === rubricName,
      );
      rubric =
        (rubricVersion === undefined ? versions[0] : versions.find((r) => r.version === rubricVersion)) ??
        null;
      if (!rubric)
        throw new NotFoundException(
          `No rubric ${rubricName}${rubricVersion ? ` version ${rubricVersion}` : ''}`,
        );
    }
    const filters = jobId === undefined ? {} : { jobId };
    const result = await this.validity.observedValidity(principal.organizationId, rubric, filters);
    return { ...result, outcome };
  }
}
