import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORD_KINDS } from '@hiresignal/shared';
import { csvChunks } from './csv';
import type { DemoData } from './generate-demo-data';

/**
 * Writes `<kind>.csv` for every record kind and `truth.json` (organization, rubric, stages, truth) into `dir`,
 * creating it if needed. Returns the paths written. CSVs are streamed in chunks, so million-row kinds never become
 * one string.
 */
export async function writeDemoData(dir: string, data: DemoData): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const kind of RECORD_KINDS) {
    const path = join(dir, `${kind}.csv`);
    await writeFile(path, csvChunks(kind, data.records[kind]), 'utf8');
    written.push(path);
  }
  const truthPath = join(dir, 'truth.json');
  const { organization, rubric, stages, truth } = data;
  await writeFile(truthPath, `${JSON.stringify({ organization, rubric, stages, truth }, null, 2)}\n`, 'utf8');
  written.push(truthPath);
  return written;
}
