// One measured conversion for bench/ats/run.mjs, in a process of its own so its peak RSS is its own. Loaded from
// source through @swc-node/register: the same AtsImportService, reader and converters as the import job.
import { createReadStream, statSync } from 'node:fs';
import { AtsImportService } from '../../apps/api/src/modules/connectors/ats-import.service';
import {
  AtsResolver,
  type AtsMappingService,
} from '../../apps/api/src/modules/connectors/ats-mapping.service';
import type { Json } from '../../apps/api/src/modules/connectors/ats-common';
import { convertGreenhouse } from '../../apps/api/src/modules/connectors/greenhouse';
import type { RowResult } from '../../apps/api/src/modules/records/row-checks';
import type { Rubric } from '../../apps/api/src/modules/records/hiring-records.entities';

const [file, mode = 'stream'] = process.argv.slice(2);
const criteria = ['Fundamentals', 'Deployment at scale', 'Communication', 'Responsible AI', 'Ownership'].map(
  (label) => ({ key: label.toLowerCase().replace(/ /g, '_'), label }),
);
const rubric = {
  name: 'AI Engineer',
  version: 1,
  scaleMin: 1,
  scaleMax: 4,
  criteria,
  isDefault: true,
} as Rubric;
// The mapping service reads and writes PostgreSQL; its default resolution is all the conversion needs.
const mappings = {
  resolver: async () => new AtsResolver(new Map(), [], criteria),
  remember: async () => undefined,
} as unknown as AtsMappingService;

async function main() {
  const baselineKb = process.resourceUsage().maxRSS;
  const started = process.hrtime.bigint();
  // 1 MiB chunks, as the job reads them from import_chunks.
  const chunks = createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>;
  let results: AsyncIterable<RowResult> | Iterable<RowResult>;
  if (mode === 'whole') {
    // The path before streaming, for comparison: the whole upload in one buffer, JSON.parse, convert the array.
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    const items = JSON.parse(Buffer.concat(parts).toString('utf8')) as Json[];
    parts.length = 0;
    results = convertGreenhouse(items, {
      resolver: await mappings.resolver('bench', 'greenhouse'),
      rubrics: [rubric],
    });
  } else {
    results = await new AtsImportService(mappings).convert('greenhouse', 'bench', chunks, [rubric]);
  }
  let records = 0;
  let problems = 0;
  for await (const result of results) {
    if (result.staged) records++;
    problems += result.problems.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `${JSON.stringify({
      mode,
      bytes: statSync(file).size,
      records,
      problems,
      seconds,
      baselineRssMb: baselineKb / 1024,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
