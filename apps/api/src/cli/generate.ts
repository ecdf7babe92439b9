import { resolve } from 'node:path';
import { generateDemoData, writeDemoData } from '@hiresignal/demo-data';

/** `generate`: the demo organization's canonical records as CSV files, plus truth.json with the true validities. */
export async function generateCommand(options: {
  applications: number;
  seed: number;
  out: string;
  asOf: Date;
}) {
  const started = Date.now();
  const data = generateDemoData({
    applications: options.applications,
    seed: options.seed,
    asOf: options.asOf,
  });
  const dir = resolve(options.out);
  await writeDemoData(dir, data);
  const counts = Object.entries(data.records)
    .map(([kind, rows]) => `${kind} ${(rows as unknown[]).length}`)
    .join(', ');
  process.stderr.write(`wrote ${dir}: ${counts} (${Date.now() - started} ms)\n`);
}
