#!/usr/bin/env node
// ATS import memory benchmark (on demand, not in CI): see bench/ats/README.md.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SCORECARDS = Number(process.env.BENCH_SCORECARDS ?? 300_000);
const COMPARE = process.env.BENCH_COMPARE !== '0';
const WORK = join(ROOT, 'tmp/bench-ats');
// A conversion that holds the file (or a share of it) cannot finish in this heap; a flat one does.
const HEAP_CAP_MB = Number(process.env.BENCH_HEAP_CAP_MB ?? 64);

const log = (line) => process.stderr.write(`${line}\n`);
const mb = (bytes) => (bytes / 1024 ** 2).toFixed(0);

const ATTRIBUTES = [
  ['Fundamentals', 'Skills'],
  ['Deployment at scale', 'Skills'],
  ['Communication', 'Skills'],
  ['Responsible AI', 'Skills'],
  ['Ownership', 'Qualifications'],
];
const RATINGS = ['definitely_not', 'no', 'mixed', 'yes', 'strong_yes', 'no_decision'];
const STEPS = ['Recruiter Screen', 'Technical Interview', 'System Design', 'Cross-functional'];

/** A deterministic stream of random numbers (mulberry32), so every run converts the same file. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Greenhouse GET /v1/scorecards export (the object of test/fixtures/ats/greenhouse/scorecards.json). */
async function generate(path, count) {
  if (existsSync(path)) return;
  const rand = random(count);
  const out = createWriteStream(`${path}.part`);
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('[\n');
  for (let i = 0; i < count; i++) {
    const application = 100_000 + Math.floor(i / 4);
    const interviewer = 3000 + Math.floor(rand() * 200);
    const step = STEPS[i % STEPS.length];
    const at = new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString();
    const attributes = ATTRIBUTES.map(([name, type]) => ({
      name,
      type,
      note: rand() < 0.3 ? 'Walked through the trade-offs and the failure modes before writing code.' : null,
      rating: RATINGS[Math.floor(rand() * RATINGS.length)],
    }));
    const ratings = Object.fromEntries(
      RATINGS.map((r) => [r, attributes.filter((a) => a.rating === r).map((a) => a.name)]),
    );
    const person = { id: interviewer, first_name: 'Jack', last_name: 'Shephard', name: 'Jack Shephard' };
    const scorecard = {
      id: 1_000_000 + i,
      updated_at: at,
      created_at: at,
      interview: step,
      interview_step: { id: 6000 + (i % STEPS.length), name: step },
      candidate_id: 200_000 + Math.floor(i / 4),
      application_id: application,
      interviewed_at: at,
      submitted_by: { ...person, employee_id: `E-${interviewer}` },
      interviewer: { ...person, employee_id: `E-${interviewer}` },
      submitted_at: at,
      overall_recommendation: RATINGS[Math.floor(rand() * RATINGS.length)],
      attributes,
      ratings,
      questions: [
        {
          id: null,
          question: 'Key Take-Aways',
          answer: 'Clear reasoning about latency budgets and batching.',
        },
        { id: null, question: 'Private Notes', answer: '' },
      ],
    };
    await write(`${i === 0 ? '' : ',\n'}  ${JSON.stringify(scorecard)}`);
  }
  await write('\n]\n');
  out.end();
  await once(out, 'finish');
  spawnSync('mv', [`${path}.part`, path]);
}

function convert(file, mode, heapMb) {
  const heap = heapMb ? [`--max-old-space-size=${heapMb}`] : [];
  const label = heapMb ? `${mode}*` : mode;
  const r = spawnSync(
    process.execPath,
    [...heap, '-r', '@swc-node/register', join(ROOT, 'bench/ats/convert.ts'), file, mode],
    {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'apps/api/tsconfig.app.json') },
      encoding: 'utf8',
      maxBuffer: 1024 ** 2,
    },
  );
  if (r.status !== 0) {
    const why = (r.stderr || '').split('\n').find((l) => /Error|heap/i.test(l));
    return { mode: label, failed: why ?? `exit ${r.status} ${r.signal ?? ''}` };
  }
  const result = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...result, mode: label };
}

mkdirSync(WORK, { recursive: true });
const quarter = Math.ceil(SCORECARDS / 4);
const files = [
  { label: '1/4', path: join(WORK, `scorecards-${quarter}.json`), count: quarter },
  { label: 'full', path: join(WORK, `scorecards-${SCORECARDS}.json`), count: SCORECARDS },
];
for (const f of files) {
  log(`generating ${f.count} Greenhouse scorecards into ${f.path} ...`);
  await generate(f.path, f.count);
}

const rows = [];
for (const f of files) {
  log(`converting ${f.label} (${mb(statSync(f.path).size)} MB), streamed ...`);
  rows.push({ size: f.label, scorecards: f.count, ...convert(f.path, 'stream') });
}
log(`converting full again with the V8 heap capped at ${HEAP_CAP_MB} MB ...`);
rows.push({ size: 'full', scorecards: SCORECARDS, ...convert(files[1].path, 'stream', HEAP_CAP_MB) });
if (COMPARE) {
  log(`converting 1/4 the old way (whole buffer + JSON.parse), for comparison ...`);
  rows.push({ size: '1/4', scorecards: quarter, ...convert(files[0].path, 'whole') });
}

console.log(
  '\nGreenhouse scorecards export -> canonical interview scores (AtsImportService.convert, 1 MiB chunks)',
);
console.log('size  mode    scorecards  file MB  records    seconds  MB/s   baseline RSS MB  peak RSS MB');
for (const r of rows) {
  if (r.failed) {
    console.log(
      `${r.size.padEnd(6)}${r.mode.padEnd(8)}${String(r.scorecards).padStart(10)}  failed: ${r.failed}`,
    );
    continue;
  }
  console.log(
    `${r.size.padEnd(6)}${r.mode.padEnd(8)}${String(r.scorecards).padStart(10)}  ${mb(r.bytes).padStart(7)}  ${String(
      r.records,
    ).padStart(
      9,
    )}  ${r.seconds.toFixed(1).padStart(7)}  ${(r.bytes / 1024 ** 2 / r.seconds).toFixed(1).padStart(5)}  ${r.baselineRssMb
      .toFixed(0)
      .padStart(15)}  ${r.peakRssMb.toFixed(0).padStart(11)}`,
  );
}
const [small, large] = rows;
if (!small.failed && !large.failed) {
  console.log(
    `\nfile x${(large.bytes / small.bytes).toFixed(2)}: peak RSS ${small.peakRssMb.toFixed(0)} -> ${large.peakRssMb.toFixed(0)} MB (x${(
      large.peakRssMb / small.peakRssMb
    ).toFixed(2)}); above the baseline ${(small.peakRssMb - small.baselineRssMb).toFixed(0)} -> ${(
      large.peakRssMb - large.baselineRssMb
    ).toFixed(0)} MB`,
  );
}
console.log(
  `stream* = the same conversion with --max-old-space-size=${HEAP_CAP_MB} (fails if memory grows with the file)`,
);
