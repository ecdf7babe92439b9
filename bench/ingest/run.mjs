#!/usr/bin/env node
// Ingestion benchmark (on demand, not in CI): see bench/ingest/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import pg from 'pg';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/apps/api/main.js');
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 7);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORK = join(ROOT, 'tmp/bench-ingest');
// The demo generator gives about 10.4 scored criteria per application.
const APPLICATIONS = Math.ceil(ROWS / 10.2);

/**
 * The lines of a CSV this script wrote with CRLF ends. crlfDelay: Infinity keeps a CR and its LF one line end when
 * they arrive in different chunks (readline's default, 100 ms, would make that an empty line, i.e. a bad row).
 */
const linesOf = (path) => createInterface({ input: createReadStream(path), crlfDelay: Infinity });

const RUBRIC = {
  name: 'AI Engineer',
  version: 1,
  scaleMin: 1,
  scaleMax: 4,
  isDefault: true,
  criteria: ['fundamentals', 'deployment_at_scale', 'communication', 'responsible_ai', 'ownership'].map(
    (key) => ({
      key,
      label: key,
    }),
  ),
};

const log = (line) => process.stderr.write(`${line}\n`);
const seconds = (ms) => (ms / 1000).toFixed(2);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

async function withClient(url, fn) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function dbUrl(name) {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function freshDatabase(name) {
  await withClient(ADMIN_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  return dbUrl(name);
}

/** The demo generator's CSVs, cut to exactly ROWS score rows whose applications are all kept. */
async function prepareData() {
  const dir = join(WORK, `data-${ROWS}-${SEED}`);
  const scores = join(dir, 'scores.csv');
  if (existsSync(scores)) return dir;
  mkdirSync(dir, { recursive: true });
  log(`generating ${APPLICATIONS} applications (seed ${SEED})...`);
  run(process.execPath, [
    MAIN,
    'generate',
    '--applications',
    String(APPLICATIONS),
    '--seed',
    String(SEED),
    '--out',
    dir,
  ]);
  const out = createWriteStream(scores);
  let n = -1;
  for await (const line of linesOf(join(dir, 'interview_scores.csv'))) {
    if (n >= ROWS) break;
    if (!out.write(`${line}\r\n`)) await once(out, 'drain');
    n++;
  }
  out.end();
  await once(out, 'finish');
  if (n < ROWS) throw new Error(`the generator gave only ${n} score rows; raise APPLICATIONS`);
  return dir;
}

function parseCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const cell = (v) =>
  v === '' || v === undefined ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;

/** The same rows laid out as the tables' columns, for COPY (prepared before the clock starts). */
async function prepareCopyFiles(dir, org) {
  const files = {};
  const write = (table) => {
    const path = join(dir, `copy-${table}.csv`);
    files[table] = path;
    return createWriteStream(path);
  };
  const jobs = new Map();
  const candidates = new Set();
  const apps = write('applications');
  let header = null;
  for await (const line of linesOf(join(dir, 'applications.csv'))) {
    const f = parseCsvLine(line);
    if (!header) {
      header = f;
      continue;
    }
    const r = Object.fromEntries(header.map((h, i) => [h, f[i]]));
    if (!jobs.has(r.job_id)) jobs.set(r.job_id, [r.job_title, r.department]);
    candidates.add(r.candidate_id);
    const row = [
      org,
      r.application_id,
      r.candidate_id,
      r.job_id,
      r.source,
      r.applied_at,
      r.status || 'active',
      r.decided_at,
      r.hired_at,
      r.rejection_reason,
    ];
    if (!apps.write(`${row.map(cell).join(',')}\n`)) await once(apps, 'drain');
  }
  apps.end();
  const jobsOut = write('jobs');
  for (const [id, [title, dept]] of jobs) jobsOut.write(`${[org, id, title, dept].map(cell).join(',')}\n`);
  jobsOut.end();
  const candOut = write('candidates');
  for (const id of candidates) candOut.write(`${[org, id].map(cell).join(',')}\n`);
  candOut.end();

  const interviews = new Map();
  const interviewers = new Set();
  const scores = write('interview_scores');
  header = null;
  for await (const line of linesOf(join(dir, 'scores.csv'))) {
    const f = parseCsvLine(line);
    if (!header) {
      header = f;
      continue;
    }
    const r = Object.fromEntries(header.map((h, i) => [h, f[i]]));
    if (!interviews.has(r.interview_id))
      interviews.set(r.interview_id, [r.application_id, r.stage, r.interviewed_at]);
    interviewers.add(r.interviewer_id);
    const row = [
      org,
      r.interview_id,
      r.interviewer_id,
      r.criterion,
      r.application_id,
      r.score,
      r.stage,
      r.interviewed_at,
      r.rubric || RUBRIC.name,
      r.rubric_version || '1',
      r.recommendation,
    ];
    if (!scores.write(`${row.map(cell).join(',')}\n`)) await once(scores, 'drain');
  }
  scores.end();
  const ivOut = write('interviews');
  for (const [id, [app, stage, at]] of interviews)
    ivOut.write(`${[org, id, app, stage, at].map(cell).join(',')}\n`);
  ivOut.end();
  const ivrOut = write('interviewers');
  for (const id of interviewers) ivrOut.write(`${[org, id].map(cell).join(',')}\n`);
  ivrOut.end();
  await Promise.all(
    [apps, jobsOut, candOut, scores, ivOut, ivrOut].map((s) =>
      s.writableFinished ? null : once(s, 'finish'),
    ),
  );
  return files;
}

const COPY_COLUMNS = {
  jobs: 'organization_id, external_id, title, department',
  candidates: 'organization_id, external_id',
  applications:
    'organization_id, external_id, candidate_external_id, job_external_id, source, applied_at, status, decided_at, hired_at, rejection_reason',
  interviewers: 'organization_id, external_id',
  interviews: 'organization_id, external_id, application_external_id, stage, interviewed_at',
  interview_scores:
    'organization_id, interview_external_id, interviewer_external_id, criterion, application_external_id, score, stage, interviewed_at, rubric_name, rubric_version, recommendation',
};

function createOrg(env, name) {
  return JSON.parse(run(process.execPath, [MAIN, 'admin', 'create-org', '--name', name], env).trim());
}

function startProcess(env, ready) {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      NO_COLOR: '1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      /* exited */
    }
  }, 200);
  const started = new Promise((resolvePromise, reject) => {
    const check = () => {
      const m = ready.exec(output);
      if (m) resolvePromise(m[1]);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', (code) => reject(new Error(`process exited with ${code}:\n${output}`)));
  });
  return {
    child,
    started,
    peakMb: () => peak / 1024,
    output: () => output,
    stop() {
      clearInterval(timer);
      child.kill('SIGTERM');
      return once(child, 'exit');
    },
  };
}

async function main() {
  // Always through nx (cached, so a build of the current sources costs seconds): a stale dist/ would measure code
  // that is no longer there. BENCH_SKIP_BUILD=1 uses dist/ as it is.
  if (process.env.BENCH_SKIP_BUILD !== '1' || !existsSync(MAIN)) {
    const nx = ['node_modules/nx/dist/bin/nx.js', 'node_modules/nx/bin/nx.js'].find((p) => existsSync(p));
    run(process.execPath, [nx, 'build', 'api', '--outputStyle=static']);
  }
  const dir = await prepareData();
  const appsFile = join(dir, 'applications.csv');
  const scoresFile = join(dir, 'scores.csv');
  const appRows =
    readFileSync(appsFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim()).length - 1;
  log(
    `data: ${appRows} applications, ${ROWS} interview scores (${(statSync(scoresFile).size / 1e6).toFixed(1)} MB)`,
  );

  // 1. The import, end to end: upload until the job completes, API and one worker as separate processes.
  const importUrl = await freshDatabase('hs_bench_ingest_import');
  const env = { DATABASE_URL: importUrl, REDIS_URL, QUEUE_PREFIX: `hs-bench-${Date.now()}` };
  const { apiKey } = createOrg(env, 'Bench Import');
  const api = startProcess({ ...env, PROCESS_ROLE: 'api', LOG_LEVEL: 'log' }, /listening on (http:\/\/\S+)/);
  const worker = startProcess(
    { ...env, PROCESS_ROLE: 'worker', WORKER_CONCURRENCY: '1', LOG_LEVEL: 'log' },
    /(worker running)/,
  );
  const url = await api.started;
  await worker.started;
  const headers = { Authorization: `Bearer ${apiKey}` };
  const put = await fetch(`${url}/api/v1/rubrics`, {
    method: 'PUT',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(RUBRIC),
  });
  if (put.status !== 200) throw new Error(`rubric: ${put.status} ${await put.text()}`);

  const importFile = async (kind, path) => {
    const form = new FormData();
    form.append('kind', kind);
    form.append('file', await openAsBlob(path), `${kind}.csv`);
    const t0 = Date.now();
    const res = await fetch(`${url}/api/v1/imports`, { method: 'POST', headers, body: form });
    if (res.status !== 202) throw new Error(`upload ${kind}: ${res.status} ${await res.text()}`);
    const uploaded = Date.now();
    const { importId } = await res.json();
    for (;;) {
      const r = await (await fetch(`${url}/api/v1/imports/${importId}`, { headers })).json();
      if (r.status === 'completed' || r.status === 'failed') {
        if (r.status === 'failed' || r.inserted !== r.total) {
          throw new Error(
            `import ${kind} ${r.status}: ${r.failureReason} ${JSON.stringify(r.errors.slice(0, 3))}`,
          );
        }
        return { ms: Date.now() - t0, uploadMs: uploaded - t0, run: r };
      }
      await new Promise((r2) => setTimeout(r2, 100));
    }
  };
  const a = await importFile('applications', appsFile);
  log(`import applications: ${a.run.inserted} rows in ${seconds(a.ms)} s (upload ${seconds(a.uploadMs)} s)`);
  const s = await importFile('interview_scores', scoresFile);
  log(
    `import interview_scores: ${s.run.inserted} rows in ${seconds(s.ms)} s (upload ${seconds(s.uploadMs)} s)`,
  );
  for (const line of worker
    .output()
    .split('\n')
    .filter((l) => l.includes('ImportFileJob')))
    log(line.trim());
  const apiPeak = api.peakMb();
  const workerPeak = worker.peakMb();
  await api.stop();
  await worker.stop();

  // 2. The floor: COPY of the same rows into the same tables (jobs, candidates, applications, interviewers,
  //    interviews, interview_scores) of a fresh database, with psql \copy.
  const copyUrl = await freshDatabase('hs_bench_ingest_copy');
  const { organizationId } = createOrg({ DATABASE_URL: copyUrl, REDIS_URL }, 'Bench Copy');
  log('preparing COPY files...');
  const files = await prepareCopyFiles(dir, organizationId);
  const timeCopy = (tables) => {
    const script = tables
      .map((t) => `\\copy ${t} (${COPY_COLUMNS[t]}) FROM '${files[t]}' WITH (FORMAT csv)`)
      .join('\n');
    const t0 = Date.now();
    run('psql', [
      copyUrl,
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      'SET synchronous_commit = on',
      ...script.split('\n').flatMap((c) => ['-c', c]),
    ]);
    return Date.now() - t0;
  };
  const copyAppsMs = timeCopy(['jobs', 'candidates', 'applications']);
  const copyScoresMs = timeCopy(['interviewers', 'interviews', 'interview_scores']);
  const counts = await withClient(
    copyUrl,
    async (c) =>
      (
        await c.query(
          'SELECT (SELECT count(*) FROM applications)::int AS a, (SELECT count(*) FROM interview_scores)::int AS s',
        )
      ).rows[0],
  );
  if (counts.a !== appRows || counts.s !== ROWS) throw new Error(`COPY loaded ${JSON.stringify(counts)}`);

  const importMs = a.ms + s.ms;
  const copyMs = copyAppsMs + copyScoresMs;
  const total = appRows + ROWS;
  const lines = [
    '',
    `rows: ${ROWS} interview scores + ${appRows} applications = ${total}`,
    `import (upload until completed): ${seconds(importMs)} s = ${Math.round(total / (importMs / 1000))} rows/s` +
      `  (scores alone ${Math.round(ROWS / (s.ms / 1000))} rows/s)`,
    `COPY floor (psql \\copy, same rows and tables): ${seconds(copyMs)} s = ${Math.round(total / (copyMs / 1000))} rows/s` +
      `  (scores alone ${Math.round(ROWS / (copyScoresMs / 1000))} rows/s)`,
    `ratio import/COPY throughput: ${(copyMs / importMs).toFixed(2)} (target >= 0.50)`,
    `peak RSS (VmHWM): API ${apiPeak.toFixed(0)} MB, worker ${workerPeak.toFixed(0)} MB (target < 300 MB)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (process.env.BENCH_KEEP !== 'true') {
    await withClient(ADMIN_URL, async (c) => {
      await c.query('DROP DATABASE IF EXISTS hs_bench_ingest_import WITH (FORCE)');
      await c.query('DROP DATABASE IF EXISTS hs_bench_ingest_copy WITH (FORCE)');
    });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
