#!/usr/bin/env node
// Analytics benchmark (on demand, not in CI): see bench/analytics/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { build, freePort, log, MAIN, median, ms, percentile } from '../lib.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS || 200_000);
const HIRES = Number(process.env.BENCH_HIRES || 30_000);
const INTERVIEWERS_PER_APPLICATION = 3;
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS || 5);
const CALIBRATION_ROUNDS = Number(process.env.BENCH_CALIBRATION_ROUNDS || 1);
const WARM_REQUESTS = 100;
const CRITERIA = ['fundamentals', 'deployment_at_scale', 'communication', 'responsible_ai', 'ownership'];
const VALIDITIES = [0.45, 0.4, 0.3, 0.05, 0.35];

/** Generates the data in SQL: a latent performance per application drives scores (by criterion validity) and ratings. */
async function load(db, orgId) {
  const t0 = performance.now();
  await db.query(
    `INSERT INTO rubrics (organization_id, name, version, scale_min, scale_max, criteria, is_default)
     VALUES ($1, 'AI Engineer', 1, 1, 4, $2::jsonb, true)`,
    [orgId, JSON.stringify(CRITERIA.map((key) => ({ key, label: key })))],
  );
  await db.query(
    `INSERT INTO jobs (organization_id, external_id, title, department)
     VALUES ($1, 'req-1', 'AI Engineer', 'AI Engineering'), ($1, 'req-2', 'Senior AI Engineer', 'AI Engineering'),
            ($1, 'req-3', 'ML Platform Engineer', 'ML Platform')`,
    [orgId],
  );
  await db.query(`SELECT setseed(0.42)`);
  // Latent performance and selection: the top HIRES by (performance + noise) are hired, so the hired sample is range-restricted.
  await db.query(`
    CREATE UNLOGGED TABLE bench_latent AS
    SELECT i, perf, general,
      (row_number() OVER (ORDER BY perf * 0.6 + general * 0.3 + noise DESC) <= ${HIRES}) AS hired,
      now() - (random() * 3 * 365 + 20) * interval '1 day' AS applied_at
    FROM (
      SELECT i,
        sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS perf,
        sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS general,
        sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS noise
      FROM generate_series(1, ${APPLICATIONS}) i
    ) x`);
  await db.query(
    `INSERT INTO applications (organization_id, external_id, candidate_external_id, job_external_id, source, applied_at,
       status, decided_at, hired_at)
     SELECT $1, 'app-' || i, 'cand-' || i, 'req-' || (1 + i % 3),
       (ARRAY['referral','linkedin','careers_site','agency','university'])[1 + i % 5], applied_at,
       CASE WHEN hired THEN 'hired' ELSE 'rejected' END, applied_at + interval '30 days',
       CASE WHEN hired THEN applied_at + interval '40 days' END
     FROM bench_latent`,
    [orgId],
  );
  log(`  applications: ${APPLICATIONS} (${HIRES} hired)`);
  const chunk = 25_000;
  for (let from = 1; from <= APPLICATIONS; from += chunk) {
    await db.query(
      `INSERT INTO interview_scores (organization_id, interview_external_id, interviewer_external_id, criterion,
         application_external_id, score, stage, interviewed_at, rubric_name, rubric_version, recommendation)
       SELECT $1, 'iv-' || l.i || '-' || j, 'int-' || lpad(((l.i * 7 + j * 13) % 40)::text, 3, '0'), c.key,
         'app-' || l.i, s.score, 'stage-' || j, l.applied_at + j * interval '3 days', 'AI Engineer', 1,
         CASE WHEN s.score >= 3 THEN 'yes' ELSE 'no' END
       FROM bench_latent l
       CROSS JOIN generate_series(1, ${INTERVIEWERS_PER_APPLICATION}) j
       CROSS JOIN unnest($2::text[], $3::float8[]) AS c(key, validity)
       CROSS JOIN LATERAL (
         SELECT least(4, greatest(1, round(2.6 + 0.8 * (c.validity * l.perf + 0.35 * l.general
           + 0.8 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))) AS score
       ) s
       WHERE l.i BETWEEN $4 AND $5`,
      [orgId, CRITERIA, VALIDITIES, from, Math.min(APPLICATIONS, from + chunk - 1)],
    );
    process.stdout.write(`\r  interview_scores: ${Math.min(APPLICATIONS, from + chunk - 1) * 15} rows`);
  }
  process.stdout.write('\n');
  await db.query(
    `INSERT INTO performance_reviews (organization_id, application_external_id, review_date, rating, review_period)
     SELECT $1, 'app-' || l.i, l.applied_at + interval '40 days' + m * interval '1 month',
       least(5, greatest(1, round(2.95 + 0.65 * (l.perf + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))),
       m || 'm'
     FROM bench_latent l CROSS JOIN (VALUES (6), (12)) AS r(m)
     WHERE l.hired AND l.applied_at + interval '40 days' + m * interval '1 month' < now()`,
    [orgId],
  );
  await db.query(
    `INSERT INTO separations (organization_id, application_external_id, separated_at, separation_type)
     SELECT $1, 'app-' || l.i, l.applied_at + interval '40 days' + (30 + random() * 700) * interval '1 day',
       (ARRAY['voluntary_regretted','voluntary_non_regretted','involuntary'])[1 + (l.i % 3)]
     FROM bench_latent l WHERE l.hired AND random() < 0.15`,
    [orgId],
  );
  await db.query(`UPDATE organizations SET data_version = data_version + 1 WHERE id = $1`, [orgId]);
  await db.query('DROP TABLE bench_latent');
  await db.query('VACUUM ANALYZE');
  const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM interview_scores')).rows;
  log(`  loaded ${n} score rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (then VACUUM ANALYZE)`);
}

/**
 * The organization's data as it is in the database: with BENCH_REUSE the loaded size, not BENCH_APPLICATIONS and
 * BENCH_HIRES of this run (which only size a new load).
 */
async function dataSize(db, orgId) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM applications WHERE organization_id = $1) AS applications,
            (SELECT count(*)::int FROM applications WHERE organization_id = $1 AND status = 'hired') AS hires,
            (SELECT count(*)::int FROM interview_scores WHERE organization_id = $1) AS scores,
            (SELECT count(DISTINCT criterion)::int FROM interview_scores WHERE organization_id = $1) AS criteria,
            (SELECT count(*)::int FROM performance_reviews WHERE organization_id = $1) AS reviews`,
    [orgId],
  );
  return rows[0];
}

const describeData = (d) =>
  `${d.applications} applications, ${d.scores} interview scores (${d.criteria} criteria, ` +
  `${(d.scores / Math.max(1, d.applications * d.criteria)).toFixed(2)} interviewers per application and criterion), ` +
  `${d.hires} hires, ${d.reviews} reviews`;

async function main() {
  build();
  // BENCH_REUSE=<database> reuses a database a BENCH_KEEP=1 run left behind (skips the two-minute load).
  const reuse = process.env.BENCH_REUSE;
  const keep = process.env.BENCH_KEEP === '1' || Boolean(reuse);
  const name = reuse || `hs_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  if (!reuse) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    REDIS_URL: '',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    WEB_DIST_DIR: 'tmp/bench-no-web',
    PROCESS_ROLE: 'all',
  };
  let server = null;
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    log(`database ${name}`);
    let organizationId;
    let apiKey;
    await db.connect();
    if (reuse) {
      ({ organizationId, apiKey } = JSON.parse(
        (await db.query(`SELECT detail->>'bench' AS b FROM audit_log WHERE action = 'bench.credentials'`))
          .rows[0].b,
      ));
    } else {
      const created = spawnSync(process.execPath, [MAIN, 'admin', 'create-org', '--name', 'Bench'], {
        env,
        encoding: 'utf8',
      });
      if (created.status !== 0) throw new Error(`create-org failed: ${created.stderr}`);
      ({ organizationId, apiKey } = JSON.parse(created.stdout.trim().split('\n').pop()));
      await load(db, organizationId);
      if (keep) {
        await db.query(
          `INSERT INTO audit_log (organization_id, action, detail) VALUES ($1, 'bench.credentials', $2::jsonb)`,
          [organizationId, JSON.stringify({ bench: JSON.stringify({ organizationId, apiKey }) })],
        );
      }
    }

    const data = await dataSize(db, organizationId);
    log(`data, as measured in ${name}${reuse ? ' (reused)' : ''}: ${describeData(data)}`);
    if (reuse && (process.env.BENCH_APPLICATIONS || process.env.BENCH_HIRES)) {
      log(
        '  (BENCH_APPLICATIONS and BENCH_HIRES size a new load only; the figures below are for the data above)',
      );
    }

    const port = await freePort();
    server = spawn(process.execPath, [MAIN, 'serve'], {
      env: { ...env, PORT: String(port) },
      stdio: 'inherit',
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      // Up to five minutes: on a reused database the server first runs new migrations, whose back-fills read
      // every score row.
      if (i > 3000) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const get = async (path) => {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t0, body };
    };
    const floorSql = `SELECT criterion, count(*), avg(score) FROM interview_scores WHERE organization_id = $1 GROUP BY criterion`;
    const report = '/api/v1/analytics/validity?outcome=performance';

    await get('/api/v1/settings'); // connection pool and route warm-up, not a report
    const floors = [];
    const colds = [];
    let last = null;
    for (let round = 0; round < COLD_ROUNDS; round++) {
      const t0 = performance.now();
      await db.query(floorSql, [organizationId]);
      floors.push(performance.now() - t0);
      // A new data version is what an ingestion leaves behind: the next report misses the cache.
      await db.query(`UPDATE organizations SET data_version = data_version + 1 WHERE id = $1`, [
        organizationId,
      ]);
      const cold = await get(report);
      colds.push(cold.ms);
      last = cold.body;
      log(`  round ${round + 1}: floor ${ms(floors.at(-1))}, cold report ${ms(cold.ms)}`);
    }
    const warm = [];
    for (let i = 0; i < WARM_REQUESTS; i++) warm.push((await get(report)).ms);
    // Interviewer calibration and reliability, cold: one request each after a data-version bump, with a floor scan
    // just before it, BENCH_CALIBRATION_ROUNDS times (default 1: each takes seconds).
    const others = {};
    // BENCH_CALIBRATION_ROUNDS=0 measures the validity report only.
    const calibrationPaths =
      CALIBRATION_ROUNDS > 0 ? ['/api/v1/analytics/interviewers', '/api/v1/analytics/reliability'] : [];
    for (const path of calibrationPaths) {
      const times = [];
      const floorsBefore = [];
      for (let round = 0; round < CALIBRATION_ROUNDS; round++) {
        const t0 = performance.now();
        await db.query(floorSql, [organizationId]);
        floorsBefore.push(performance.now() - t0);
        await db.query(`UPDATE organizations SET data_version = data_version + 1 WHERE id = $1`, [
          organizationId,
        ]);
        times.push((await get(path)).ms);
        log(`  ${path} round ${round + 1}: floor ${ms(floorsBefore.at(-1))}, cold ${ms(times.at(-1))}`);
      }
      others[path] = { cold: median(times), floor: median(floorsBefore) };
    }

    const floor = median(floors);
    const cold = median(colds);
    const p95 = percentile(warm, 0.95);
    log('');
    log(`data (measured): ${describeData(data)}`);
    log(
      `report: nApplicants ${last.nApplicants}, nHires ${last.nHires}, composite n ${last.composite?.n}, r ${last.composite?.r?.toFixed(3)}`,
    );
    log(`floor (one aggregate scan of interview_scores), median of ${COLD_ROUNDS}: ${ms(floor)}`);
    log(
      `cold validity report (cache miss, HTTP), median of ${COLD_ROUNDS}:       ${ms(cold)}  -> ${(cold / floor).toFixed(2)}x the floor (target <= 3x) ${cold <= 3 * floor ? 'PASS' : 'FAIL'}`,
    );
    log(
      `warm validity report (cache hit, HTTP), ${WARM_REQUESTS} requests: median ${median(warm).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < 20 ms) ${p95 < 20 ? 'PASS' : 'FAIL'}`,
    );
    for (const [path, t] of Object.entries(others)) {
      // Against the median floor of the validity rounds and, in brackets, the floor measured just before it.
      const ratio = t.cold / floor;
      log(
        `cold ${path}, median of ${CALIBRATION_ROUNDS}: ${ms(t.cold)}  -> ${ratio.toFixed(2)}x the floor (${(t.cold / t.floor).toFixed(2)}x the floor scanned just before) (target <= 5x) ${ratio <= 5 ? 'PASS' : 'FAIL'}`,
      );
    }
  } finally {
    if (server) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await db.end().catch(() => undefined);
    if (keep) log(`kept database ${name} (BENCH_REUSE=${name} to run again, drop it when done)`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
