import { Injectable } from '@nestjs/common';
import type { AtsVendor } from '@hiresignal/shared';
import type { RowResult } from '../ingestion/files/row-checks';
import type { Rubric } from '../records/hiring-records.entities';
import { readObjects } from './ats-common';
import { AtsMappingService } from './ats-mapping.service';
import { convertGreenhouse } from './greenhouse';
import { convertLever } from './lever';

/**
 * Turns an ATS export into canonical records through the organization's mapping; the import job stages them like
 * CSV rows, so ATS files get the same checks, idempotency and progress. The names met are remembered afterwards.
 */
@Injectable()
export class AtsImportService {
  constructor(private readonly mappings: AtsMappingService) {}

  async convert(
    vendor: AtsVendor,
    organizationId: string,
    chunks: AsyncIterable<Buffer>,
    rubrics: Rubric[],
  ): Promise<AsyncIterable<RowResult>> {
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    const file = Buffer.concat(parts);
    const { items, envelope } = readObjects(file, vendor);
    const resolver = await this.mappings.resolver(organizationId, vendor);
    const ctx = { resolver, rubrics };
    const results =
      vendor === 'greenhouse' ? convertGreenhouse(items, ctx) : convertLever(items, envelope, ctx);
    const mappings = this.mappings;
    return (async function* () {
      yield* results;
      await mappings.remember(organizationId, vendor, resolver);
    })();
  }
}
