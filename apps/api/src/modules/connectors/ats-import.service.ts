import { Injectable } from '@nestjs/common';
import type { AtsVendor } from '@hiresignal/shared';
import type { RowResult } from '../records/row-checks';
import type { Rubric } from '../records/hiring-records.entities';
import { AtsJsonReader } from './ats-json';
import { AtsMappingService } from './ats-mapping.service';
import { greenhouseConverter } from './greenhouse';
import { leverConverter } from './lever';

/**
 * Turns an ATS export into canonical records through the organization's mapping; the import job stages them like
 * CSV rows, so ATS files get the same checks, idempotency and progress. The upload is parsed as it streams from
 * the chunks, object by object, so memory stays flat whatever the file size. The names met are remembered
 * afterwards.
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
    const resolver = await this.mappings.resolver(organizationId, vendor);
    const ctx = { resolver, rubrics };
    const reader = new AtsJsonReader(vendor);
    const converter = vendor === 'greenhouse' ? greenhouseConverter(ctx) : leverConverter(ctx, reader);
    const mappings = this.mappings;
    return (async function* () {
      let row = 0;
      for await (const item of reader.objects(chunks)) yield* converter.convert(item, ++row);
      yield* converter.finish();
      await mappings.remember(organizationId, vendor, resolver);
    })();
  }
}
