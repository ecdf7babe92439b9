import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORD_KINDS } from '@hiresignal/shared';
import { toCsv } from './csv';
import { generateDemoData } from './generate-demo-data';
import { writeDemoData } from './write-demo-data';

describe('writeDemoData', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-data-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one CSV per record kind and truth.json', async () => {
    const data = generateDemoData({ applications: 300, seed: 5, asOf: new Date('2026-11-01T00:00:00Z') });
    const written = await writeDemoData(join(dir, 'nested'), data);
    expect(written.map((p) => p.slice(join(dir, 'nested').length + 1))).toEqual([
      ...RECORD_KINDS.map((k) => `${k}.csv`),
      'truth.json',
    ]);
    for (const kind of RECORD_KINDS) {
      expect(await readFile(join(dir, 'nested', `${kind}.csv`), 'utf8')).toBe(
        toCsv(kind, data.records[kind]),
      );
    }
    const truth = JSON.parse(await readFile(join(dir, 'nested', 'truth.json'), 'utf8'));
    expect(truth.rubric).toEqual(data.rubric);
    expect(truth.stages).toEqual(data.stages);
    expect(truth.truth.criterionValidity).toEqual(data.truth.criterionValidity);
  });
});
