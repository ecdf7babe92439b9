import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ACCESS, type AuditPage } from '@hiresignal/shared';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiDoc } from '../../common/api-docs.decorator';
import { csvRow } from '../../common/csv';
import { parseBody } from '../../common/zod-body';
import { Roles, type Principal } from '../identity/access.decorators';
import { CurrentPrincipal } from '../identity/principal.decorator';
import { AuditLogService, type AuditFilters } from './audit-log.service';
import { AuditService, auditActor } from './audit.service';

const printable = z.string().regex(/^[\x20-\x7e]*$/, 'may contain only printable ASCII');

export const auditQuerySchema = z.strictObject({
  action: printable.max(100).optional(),
  actorUserId: z.uuid('must be a user id').optional(),
  from: z.iso.date('must be a date (YYYY-MM-DD)').optional(),
  to: z.iso.date('must be a date (YYYY-MM-DD)').optional(),
  before: z
    .string()
    .regex(/^\d{1,18}$/, 'must be an entry id')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const auditExportQuerySchema = auditQuerySchema.omit({ before: true, limit: true });

function filtersOf(query: z.output<typeof auditExportQuerySchema>): Omit<AuditFilters, 'limit'> {
  return {
    action: query.action || undefined,
    actorUserId: query.actorUserId,
    from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
    // `to` is inclusive of its day.
    to: query.to ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
  };
}

@Controller('v1/audit-log')
export class AuditController {
  constructor(
    private readonly log: AuditLogService,
    private readonly audit: AuditService,
  ) {}

  @Roles(...ACCESS.audit)
  @ApiDoc({
    summary: 'The audit log, newest first: who did what, when and from where',
    query: auditQuerySchema,
    parameterDescriptions: {
      action: "An action (user.login) or a prefix ending in '.' (user.)",
      before: 'nextBefore of the previous page',
    },
  })
  @Get()
  page(@Query() query: unknown, @CurrentPrincipal() principal: Principal): Promise<AuditPage> {
    const q = parseBody(auditQuerySchema, query);
    return this.log.page(principal.organizationId, { ...filtersOf(q), before: q.before, limit: q.limit });
  }

  @Roles(...ACCESS.audit)
  @ApiDoc({
    summary: 'The audit log as CSV (formula-safe), with the same filters; the export is itself audited',
    query: auditExportQuerySchema,
    produces: 'text/csv',
  })
  @Get('export.csv')
  async export(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const filters = filtersOf(parseBody(auditExportQuerySchema, query));
    await this.audit.record(auditActor(principal, req), 'audit_log.exported', null, { filters });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="hiresignal-audit-log.csv"`);
    res.write(
      csvRow([
        'id',
        'at',
        'action',
        'actor_email',
        'actor_user_id',
        'actor_api_key',
        'target_type',
        'target_id',
        'ip',
        'user_agent',
        'detail',
      ]),
    );
    for await (const e of this.log.all(principal.organizationId, filters)) {
      const line = csvRow([
        e.id,
        e.at,
        e.action,
        e.actor.email,
        e.actor.userId,
        e.actor.apiKeyName ?? e.actor.apiKeyId,
        e.target?.type,
        e.target?.id,
        e.ip,
        e.userAgent,
        JSON.stringify(e.detail),
      ]);
      if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}
