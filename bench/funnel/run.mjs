#!/usr/bin/env node
// Funnel benchmark (on demand, not in CI): see bench/funnel/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { build, freePort, log, MAIN, median, ms, percentile } from '../lib.mjs';
import { STAGES } from './stages.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS || 200_000);
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS || 5);
const WARM_REQUESTS = 100;

/**
 * Generates the data in SQL: per application a furthest stage (share reaching each stage 97, 92, 85, 75, 60, 20,
 * 10%: about 4.4 stage events per application, a 10% hire rate, a sharp drop after cross_functional), a status
 * that fits it, stage events at increasing times (a fifth of the hires
 * without an event at the last stage; 2% with an event on an unmapped stage), and reviews and separations of hires.
 */
async function load(db, orgId) {
  const t0 = performance.now();
  await db.query(
    `INSERT INTO jobs (organization_id, external_id, title, department)
     VALUES ($1, 'req-1', 'AI Engineer', 'AI Engineering'), ($1, 'req-2', 'Senior AI Engineer', 'AI Engineering'),
            ($1, 'req-3', 'ML Platform Engineer', 'ML Platform')`,
    [orgId],
  );
  await db.query(`SELECT setseed(0.42)`);
  await db.query(`
    CREATE UNLOGGED TABLE bench_funnel AS
    SELECT i, applied_at, furthest, r,
      CASE
        WHEN furthest = 7 THEN 'hired'
        WHEN r < 0.08 THEN 'active'
        WHEN r < 0.18 THEN 'withdrawn'
        WHEN furthest = 6 AND r < 0.45 THEN 'offer_declined'
        ELSE 'rejected'
      END AS status
    FROM (
      SELECT i, now() - (random() * 3 * 365 + 1) * interval '1 day' AS applied_at,
        CASE
          WHEN u < 0.10 THEN 7 WHEN u < 0.20 THEN 6 WHEN u < 0.60 THEN 5 WHEN u < 0.75 THEN 4
          WHEN u < 0.85 THEN 3 WHEN u < 0.92 THEN 2 WHEN u < 0.97 THEN 1 ELSE 0
        END AS furthest, r
      FROM (SELECT i, random() AS u, random() AS r FROM generate_series(1, ${APPLICATIONS}) i) g
    ) x`);
  const t1 = performance.now();
  await db.query(
    `INSERT INTO applications (organization_id, external_id, candidate_external_id, job_external_id, source, applied_at,
       status, decided_at, hired_at)
     SELECT $1, 'app-' || i, 'cand-' || i, 'req-' || (1 + i % 3),
       (ARRAY['referral','linkedin','careers_site','agency','university'])[1 + i % 5], applied_at, status,
       CASE WHEN status <> 'active' THEN applied_at + (furthest * 5 + 3) * interval '1 day' END,
       CASE WHEN status = 'hired' THEN applied_at + 38 * interval '1 day' END
     FROM bench_funnel`,
    [orgId],
  );
  const t2 = performance.now();
  await db.query(
    `INSERT INTO stage_events (organization_id, application_external_id, stage, entered_at)
     SELECT $1::uuid, 'app-' || b.i, ($2::text[])[k], b.applied_at + (k * 5 + random() * 3) * interval '1 day'
     FROM bench_funnel b CROSS JOIN LATERAL generate_series(1, b.furthest) k
     WHERE NOT (k = 7 AND b.r < 0.2)
     UNION ALL
     SELECT $1::uuid, 'app-' || b.i, 'phone_screen', b.applied_at + interval '1 day'
     FROM bench_funnel b WHERE b.i % 50 = 0`,
    [orgId, STAGES],
  );
  await db.query(
    `INSERT INTO performance_reviews (organization_id, application_external_id, review_date, rating, review_period)
     SELECT $1, 'app-' || b.i, b.applied_at + interval '38 days' + m * interval '1 month',
       1 + floor(random() * 5)::int, m || 'm'
     FROM bench_funnel b CROSS JOIN (VALUES (6), (12)) AS r(m)
     WHERE b.status = 'hired' AND b.applied_at + interval '38 days' + m * interval '1 month' < now()`,
    [orgId],
  );
  await db.query(
    `INSERT INTO separations (organization_id, application_external_id, separated_at, separation_type)
     SELECT $1, 'app-' || b.i, b.applied_at + (60 + random() * 700) * interval '1 day',
       (ARRAY['voluntary_regretted','voluntary_non_regretted','involuntary'])[1 + (b.i % 3)]
     FROM bench_funnel b WHERE b.status = 'hired' AND random() < 0.15`,
    [orgId],
  );
  // The organization's stage list, as a customer would set it in Settings (PUT /settings/pipeline-stages stores it,
  // then builds the days in stage for it: funnel_refresh).
  const t3 = performance.now();
  await db.query(
    `UPDATE organizations SET data_version = data_version + 1, pipeline_stages = $2::text[] WHERE id = $1`,
    [orgId, STAGES],
  );
  await db.query('SELECT funnel_refresh($1, $2::text[])', [orgId, STAGES]);
  const t4 = performance.now();
  await db.query('DROP TABLE bench_funnel');
  await db.query('VACUUM ANALYZE');
  const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM stage_events')).rows;
  const s = (a, b) => `${((b - a) / 1000).toFixed(1)} s`;
  log(
    `  loaded ${APPLICATIONS} applications and ${n} stage events in ${s(t0, performance.now())} (then VACUUM ANALYZE): ` +
      `applications ${s(t1, t2)}, stage events ${s(t2, t3)}, stage list and its days in stage ${s(t3, t4)}`,
  );
}

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
    // On a reused database whose server has just added the funnel summaries, their days in stage are built here
    // (as setting the list does), not in the first timed report, and vacuumed as the load's tables are; otherwise
    // this finds them built.
    const t0 = performance.now();
    await db.query(
      `SELECT funnel_refresh(id, pipeline_stages) FROM organizations WHERE id = $1 AND pipeline_stages IS NOT NULL`,
      [organizationId],
    );
    await db.query('VACUUM ANALYZE application_stage_days, funnel_day_buckets, funnel_cells');
    log(`  funnel summaries up to date (funnel_refresh, then VACUUM ANALYZE): ${ms(performance.now() - t0)}`);
    const floorSql = `SELECT stage, count(*), min(entered_at) FROM stage_events WHERE organization_id = $1 GROUP BY stage`;
    const report = '/api/v1/analytics/funnel';

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
    // Filtered (one source, one year's cohort), cold, once.
    await db.query(`UPDATE organizations SET data_version = data_version + 1 WHERE id = $1`, [
      organizationId,
    ]);
    const filtered = await get(
      `${report}?source=referral&appliedFrom=${new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10)}`,
    );

    const floor = median(floors);
    const cold = median(colds);
    const p95 = percentile(warm, 0.95);
    const [{ n: events }] = (
      await db.query('SELECT count(*)::int AS n FROM stage_events WHERE organization_id = $1', [
        organizationId,
      ])
    ).rows;
    log('');
    log(`data: ${APPLICATIONS} applications, ${events} stage events, ${STAGES.length} stages`);
    log(
      `report: applications ${last.applications}, hired ${last.offerAcceptance.hired}, unmapped events ${last.unmappedEvents}, pass-through ${last.stages.map((s) => (s.passThroughRate === null ? '-' : s.passThroughRate.toFixed(3))).join(' ')}`,
    );
    log(`floor (one aggregate scan of stage_events), median of ${COLD_ROUNDS}: ${ms(floor)}`);
    log(
      `cold funnel report (cache miss, HTTP), median of ${COLD_ROUNDS}:     ${ms(cold)}  -> ${(cold / floor).toFixed(2)}x the floor (target <= 2x) ${cold <= 2 * floor ? 'PASS' : 'FAIL'}`,
    );
    log(
      `warm funnel report (cache hit, HTTP), ${WARM_REQUESTS} requests: median ${median(warm).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < 20 ms) ${p95 < 20 ? 'PASS' : 'FAIL'}`,
    );
    log(`cold filtered report (one source, last year's cohort): ${ms(filtered.ms)}`);
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
