import { ForbiddenException, Logger } from '@nestjs/common';
import { can, type FairnessGrouping, type Outcome, type Role } from '@hiresignal/shared';
import { DataSource } from 'typeorm';
import { JobProcessor } from '../queue/job-processor.decorator';
import { JOB_NAMES, type ExportScheduledJobData, type JobHandler } from '../queue/queue.types';
import { ExportSchedulesService, type ScheduleRow } from './export-schedules.service';
import { ExportsService } from './exports.service';
import { previousDue } from './schedule-times';

/**
 * One run of a scheduled export: an export request made as the schedule's creator (with their current role, so a
 * disabled creator's or a demoted one's schedule stops exporting what they may no longer see), for the due time the
 * run belongs to. The export is keyed by (schedule, due time): a retry or a second delivery joins it.
 */
@JobProcessor(JOB_NAMES.exportScheduled)
export class ExportScheduledJob implements JobHandler<typeof JOB_NAMES.exportScheduled> {
  private readonly logger = new Logger('ExportScheduledJob');

  constructor(
    private readonly db: DataSource,
    private readonly schedules: ExportSchedulesService,
    private readonly exports: ExportsService,
  ) {}

  async handle(data: ExportScheduledJobData): Promise<void> {
    let schedule: ScheduleRow;
    try {
      schedule = await this.schedules.get(data.organizationId, data.scheduleId);
    } catch {
      this.logger.log(`schedule ${data.scheduleId} is gone; nothing to run`);
      return;
    }
    const scheduledFor = previousDue(schedule.frequency, new Date());
    const role = await this.creatorRole(schedule);
    const actor = {
      organizationId: schedule.organizationId,
      userId: schedule.createdByUserId,
      apiKeyId: schedule.createdByApiKeyId,
    };
    const input = {
      report: schedule.report,
      format: schedule.format,
      filters: schedule.filters,
      includeDemographics: schedule.includeDemographics,
      ...(schedule.outcome ? { outcome: schedule.outcome as Outcome } : {}),
      ...(schedule.options.groupBy ? { groupBy: schedule.options.groupBy as FairnessGrouping } : {}),
      ...(schedule.options.criterion ? { criterion: schedule.options.criterion } : {}),
    };
    const run = { scheduleId: schedule.id, scheduledFor };
    if (!role || !can(role, 'exports')) {
      // The run is listed as failed, with why, on the schedule: nothing is exported.
      await this.exports.failedRun(
        actor,
        input,
        run,
        `The schedule's creator no longer has an active account or key allowed to export; delete the schedule or ask an admin or analyst to create it again.`,
      );
      return;
    }
    let created;
    try {
      created = await this.exports.request(role, actor, input, run);
    } catch (error) {
      if (!(error instanceof ForbiddenException)) throw error;
      await this.exports.failedRun(actor, input, run, error.message);
      return;
    }
    this.logger.log(
      `schedule ${schedule.name} (${schedule.frequency}) run ${scheduledFor.toISOString()}: export ${created.exportId}` +
        (created.deduplicated ? ' (already made)' : ''),
    );
  }

  /** The creator's current role, if their account (or key) is still active; null otherwise. */
  private async creatorRole(schedule: ScheduleRow): Promise<Role | null> {
    if (schedule.createdByUserId) {
      const rows = (await this.db.query(`SELECT role FROM users WHERE id = $1 AND disabled_at IS NULL`, [
        schedule.createdByUserId,
      ])) as { role: Role }[];
      return rows[0]?.role ?? null;
    }
    if (schedule.createdByApiKeyId) {
      const rows = (await this.db.query(
        `SELECT role FROM api_keys WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
        [schedule.createdByApiKeyId],
      )) as { role: Role }[];
      return rows[0]?.role ?? null;
    }
    return null;
  }
}
