#!/usr/bin/env node
// Export benchmark (on demand, not in CI): see bench/export/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { build, deleteQueueKeys, freePort, log, MAIN, median, workerNodeArgs } from '../lib.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS || 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const CRITERIA = ['fundamentals', 'deployment_at_scale', 'communication'];
const STAGES = ['recruiter_screen', 'technical', 'onsite', 'offer', 'hired'];

const rate = (rows, ms) => Math.round((rows / ms) * 1000);

/**
 * 200,000 applications over three jobs and five sources, with stage events (1 to 5 per application), interview
 * scores of two interviewers on three criteria for the 40% who reached the technical stage, and two reviews and
 * some separations of the 10% hired. Generated in SQL; the score vectors are kept by the product's triggers.
 */
async function load(db, orgId) {
  const t0 = performance.now();
  await db.query(
    `INSERT INTO jobs (organization_id, external_id, title, department)
     VALUES ($1, 'req-1', 'AI Engineer', 'AI Engineering'), ($1, 'req-2', 'Senior AI Engineer', 'AI Engineering'),
            ($1, 'req-3', 'ML Platform Engineer', 'ML Platform')`,
    [orgId],
  );
  await db.query(
    `INSERT INTO rubrics (organization_id, name, version, scale_min, scale_max, criteria, is_default)
     VALUES ($1, 'AI Engineer', 1, 1, 4, $2::jsonb, true)`,
    [orgId, JSON.stringify(CRITERIA.map((key) => ({ key, label: key })))],
  );
  await db.query(`SELECT setseed(0.42)`);
  await db.query(`
    CREATE UNLOGGED TABLE bench_export AS
    SELECT i, applied_at, furthest,
      CASE WHEN furthest = 5 THEN 'hired' WHEN r < 0.08 THEN 'active' WHEN r < 0.18 THEN 'withdrawn'
        ELSE 'rejected' END AS status
    FROM (
      SELECT i, now() - (random() * 3 * 365 + 40) * interval '1 day' AS applied_at,
        CASE WHEN u < 0.10 THEN 5 WHEN u < 0.20 THEN 4 WHEN u < 0.40 THEN 3 WHEN u < 0.70 THEN 2 ELSE 1 END
          AS furthest, r
      FROM (SELECT i, random() AS u, random() AS r FROM generate_series(1, ${APPLICATIONS}) i) g
    ) x`);
  await db.query(
    `INSERT INTO applications (organization_id, external_id, candidate_external_id, job_external_id, source, applied_at,
       status, decided_at, hired_at)
     SELECT $1, 'app-' || lpad(i::text, 7, '0'), 'cand-' || i, 'req-' || (1 + i % 3),
       (ARRAY['referral','linkedin','careers_site','agency','university'])[1 + i % 5], applied_at, status,
       CASE WHEN status <> 'active' THEN applied_at + 20 * interval '1 day' END,
       CASE WHEN status = 'hired' THEN applied_at + 30 * interval '1 day' END
     FROM bench_export`,
    [orgId],
  );
  await db.query(
    `INSERT INTO stage_events (organization_id, application_external_id, stage, entered_at)
     SELECT $1::uuid, 'app-' || lpad(b.i::text, 7, '0'), ($2::text[])[k], b.applied_at + k * interval '5 days'
     FROM bench_export b CROSS JOIN LATERAL generate_series(1, b.furthest) k`,
    [orgId, STAGES],
  );
  await db.query(
    `INSERT INTO interview_scores (organization_id, application_external_id, interview_external_id,
       interviewer_external_id, criterion, score, rubric_name, rubric_version, interviewed_at)
     SELECT $1::uuid, 'app-' || lpad(b.i::text, 7, '0'), 'int-' || b.i || '-' || iv, 'iv-' || ((b.i + iv) % 40),
       c, 1 + floor(random() * 4)::int, 'AI Engineer', 1, b.applied_at + interval '10 days'
     FROM bench_export b CROSS JOIN generate_series(1, 2) iv CROSS JOIN unnest($2::text[]) c
     WHERE b.furthest >= 3`,
    [orgId, CRITERIA],
  );
  await db.query(
    `INSERT INTO performance_reviews (organization_id, application_external_id, review_date, rating, review_period)
     SELECT $1, 'app-' || lpad(b.i::text, 7, '0'), b.applied_at + interval '30 days' + m * interval '1 month',
       1 + floor(random() * 5)::int, m || 'm'
     FROM bench_export b CROSS JOIN (VALUES (6), (12)) AS r(m)
     WHERE b.status = 'hired' AND b.applied_at + interval '30 days' + m * interval '1 month' < now()`,
    [orgId],
  );
  await db.query(
    `INSERT INTO separations (organization_id, application_external_id, separated_at, separation_type)
     SELECT $1, 'app-' || lpad(b.i::text, 7, '0'), b.applied_at + (60 + random() * 700) * interval '1 day',
       (ARRAY['voluntary_regretted','voluntary_non_regretted','involuntary'])[1 + (b.i % 3)]
     FROM bench_export b WHERE b.status = 'hired' AND random() < 0.15`,
    [orgId],
  );
  await db.query(
    `UPDATE organizations SET data_version = data_version + 1, pipeline_stages = $2::text[] WHERE id = $1`,
    [orgId, STAGES],
  );
  await db.query('DROP TABLE bench_export');
  await db.query('VACUUM ANALYZE');
  log(`  loaded ${APPLICATIONS} applications in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * The floor: PostgreSQL writing the same rows as CSV itself, COPY (query) TO STDOUT, read by this process. The
 * query is the cohort report's statement (apps/api/src/modules/exports/cohort-report.ts, cohortSql) for the whole
 * cohort in one statement (the export reads it in pages of 2,000), with the composite computed in SQL.
 */
function floorSql(orgId) {
  const scores = CRITERIA.map((c, i) => `v.means[array_position(v.criteria, '${c}')] AS c${i}`).join(', ');
  return `COPY (
    SELECT a.external_id AS application_id, a.candidate_external_id AS candidate_id, a.job_external_id AS job_id,
      j.title AS job_title, j.department, a.source, a.applied_at, a.status, a.hired_at,
      CASE WHEN a.status = 'hired' THEN ${STAGES.length}
        ELSE (SELECT max(array_position(ARRAY[${STAGES.map((s) => `'${s}'`).join(',')}], e.stage)) FROM stage_events e
              WHERE e.organization_id = a.organization_id AND e.application_external_id = a.external_id)
      END AS furthest,
      ${scores},
      iv.n AS interviewers, lr.rating AS latest_rating, lr.review_date AS latest_rating_date,
      sp.separated_at, sp.separation_type
    FROM applications a
    LEFT JOIN jobs j ON j.organization_id = a.organization_id AND j.external_id = a.job_external_id
    LEFT JOIN application_score_vectors v ON v.organization_id = a.organization_id
      AND v.application_external_id = a.external_id AND v.rubric_name = 'AI Engineer' AND v.rubric_version = 1
    LEFT JOIN LATERAL (
      SELECT count(DISTINCT iv.interviewer_external_id)::int AS n FROM interview_votes iv
      WHERE iv.organization_id = a.organization_id AND iv.rubric_name = 'AI Engineer' AND iv.rubric_version = 1
        AND iv.application_external_id = a.external_id
    ) iv ON true
    LEFT JOIN LATERAL (
      SELECT pr.rating, pr.review_date FROM performance_reviews pr
      WHERE pr.organization_id = a.organization_id AND pr.application_external_id = a.external_id
      ORDER BY pr.review_date DESC, pr.rating DESC LIMIT 1
    ) lr ON true
    LEFT JOIN separations sp ON sp.organization_id = a.organization_id AND sp.application_external_id = a.external_id
    WHERE a.organization_id = '${orgId}'
    ORDER BY a.applied_at, a.external_id
  ) TO STDOUT WITH (FORMAT csv, HEADER true)`;
}

async function copyFloor(db, orgId) {
  const t0 = performance.now();
  let bytes = 0;
  await pipeline(
    db.query(copyStreams.to(floorSql(orgId))),
    new Writable({
      write(chunk, _e, cb) {
        bytes += chunk.length;
        cb();
      },
    }),
  );
  return { ms: performance.now() - t0, bytes };
}

/** Resets a process's peak resident memory (VmHWM) to its current RSS (Linux: clear_refs 5); false if refused. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak and current resident memory of a process, from /proc (Linux): VmHWM and VmRSS in MB. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

async function main() {
  build();
  const reuse = process.env.BENCH_REUSE;
  const keep = process.env.BENCH_KEEP === '1' || Boolean(reuse);
  const name = reuse || `hs_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  if (!reuse) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const prefix = `hs-bench-${randomBytes(4).toString('hex')}`;
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    WEB_DIST_DIR: 'tmp/bench-no-web',
  };
  const children = [];
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

    // An API process and a separate worker process (the one whose memory is measured), sharing Redis.
    const port = await freePort();
    const api = spawn(process.execPath, [MAIN, 'serve'], {
      env: { ...env, PORT: String(port), PROCESS_ROLE: 'api' },
      stdio: 'inherit',
    });
    children.push(api);
    // The worker as docker-compose.yml starts it (its V8 heap bounds), which is what the memory target is about.
    log(`worker: node ${workerNodeArgs().join(' ')} ${MAIN} serve (the command of docker-compose.yml)`);
    const worker = spawn(process.execPath, [...workerNodeArgs(), MAIN, 'serve'], {
      env: { ...env, PORT: '0', PROCESS_ROLE: 'worker', WORKER_CONCURRENCY: '1' },
      stdio: 'inherit',
    });
    children.push(worker);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 3000) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
    const idle = memoryOf(worker.pid);

    const runExport = async (format) => {
      // A new data version each round, so the request is not joined to the previous round's export.
      await db.query(`UPDATE organizations SET data_version = data_version + 1 WHERE id = $1`, [
        organizationId,
      ]);
      const resettable = resetPeak(worker.pid);
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/exports`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ report: 'cohort', format, filters: {} }),
      });
      const { exportId } = await res.json();
      let status;
      let peakSeen = 0;
      for (;;) {
        status = await (await fetch(`${base}/api/v1/exports/${exportId}`, { headers })).json();
        peakSeen = Math.max(peakSeen, memoryOf(worker.pid).rssMb);
        if (status.status === 'completed' || status.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      if (status.status !== 'completed') throw new Error(`export failed: ${status.error}`);
      const peakMb = resettable ? memoryOf(worker.pid).peakMb : null;
      return { ms: performance.now() - t0, rows: status.rowsWritten, bytes: status.bytes, peakSeen, peakMb };
    };

    const floors = [];
    const csv = [];
    const xlsx = [];
    for (let round = 0; round < ROUNDS; round++) {
      const f = await copyFloor(db, organizationId);
      floors.push(f);
      const c = await runExport('csv');
      csv.push(c);
      const x = await runExport('xlsx');
      xlsx.push(x);
      log(
        `  round ${round + 1}: COPY ${rate(APPLICATIONS, f.ms)} rows/s (${(f.bytes / 1e6).toFixed(1)} MB), ` +
          `CSV export ${rate(c.rows, c.ms)} rows/s (${(c.bytes / 1e6).toFixed(1)} MB), ` +
          `XLSX export ${rate(x.rows, x.ms)} rows/s (${(x.bytes / 1e6).toFixed(1)} MB); worker peak RSS ` +
          `CSV ${c.peakMb?.toFixed(0) ?? '?'} MB, XLSX ${x.peakMb?.toFixed(0) ?? '?'} MB`,
      );
    }
    const mem = memoryOf(worker.pid);
    const floorRate = median(floors.map((f) => rate(APPLICATIONS, f.ms)));
    const csvRate = median(csv.map((c) => rate(c.rows, c.ms)));
    const xlsxRate = median(xlsx.map((c) => rate(c.rows, c.ms)));
    log('');
    log(`data: ${APPLICATIONS} applications (the cohort: every one of them), ${csv[0].rows} rows per file`);
    log(`floor, COPY (query) TO STDOUT, median of ${ROUNDS}: ${floorRate} rows/s`);
    log(
      `CSV export (POST to completed, through the queue), median of ${ROUNDS}: ${csvRate} rows/s -> ` +
        `${(csvRate / floorRate).toFixed(2)}x COPY (target >= 0.5x) ${csvRate >= 0.5 * floorRate ? 'PASS' : 'FAIL'}`,
    );
    log(`XLSX export, median of ${ROUNDS}: ${xlsxRate} rows/s -> ${(xlsxRate / floorRate).toFixed(2)}x COPY`);
    const peakCsv = Math.max(...csv.map((c) => c.peakMb ?? mem.peakMb));
    const peakXlsx = Math.max(...xlsx.map((c) => c.peakMb ?? mem.peakMb));
    log(
      `worker memory: ${idle.rssMb.toFixed(0)} MB idle before the exports; peak RSS during a CSV export ` +
        `${peakCsv.toFixed(0)} MB, during an XLSX export ${peakXlsx.toFixed(0)} MB (target < 200 MB) ` +
        `${Math.max(peakCsv, peakXlsx) < 200 ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    for (const child of children) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await db.end().catch(() => undefined);
    await deleteQueueKeys(REDIS_URL, prefix);
    if (keep) log(`kept database ${name} (BENCH_REUSE=${name} to run again, drop it when done)`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
