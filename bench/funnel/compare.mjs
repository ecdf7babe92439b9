#!/usr/bin/env node
// Saves the funnel reports of one API build on a kept bench database, for a byte-for-byte comparison of two builds
// (bench/funnel/README.md, "Same output"):
//   BENCH_REUSE=hs_bench_... node bench/funnel/compare.mjs <build dir with main.js> <output dir>
// For each of several stage lists (the bench's, a reordered subset, one with the unmapped stage, none: the order
// seen in the data) and each of several filters, the body of GET /api/v1/analytics/funnel as the server sent it,
// with computedAt and dataVersion blanked, is written to <output dir>/<list>--<filters>.json. Run it with the old
// build and the new one on the same database the same UTC day, then `diff -r` the two directories. It leaves the
// organization's stage list as the bench sets it.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { freePort, log } from '../lib.mjs';
import { STAGES } from './stages.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const LISTS = {
  bench: STAGES,
  subset: ['pipeline_debugging', 'recruiter_screen', 'system_design', 'offer'],
  'with-phone-screen': ['phone_screen', ...STAGES],
  'one-stage': ['cross_functional'],
  data: null,
};
const FILTERS = [
  '',
  'source=referral',
  'source=referral&appliedFrom=2025-12-08',
  'jobId=req-2',
  'department=AI%20Engineering',
  'department=ML%20Platform&appliedFrom=2025-01-01&appliedTo=2025-12-31',
  'appliedTo=2025-06-30',
  'appliedFrom=2024-03-01&appliedTo=2024-03-31',
  'source=agency&jobId=req-3',
  'appliedFrom=2026-12-06',
  'source=nobody',
];

async function main() {
  const [dist, out] = process.argv.slice(2);
  const name = process.env.BENCH_REUSE;
  if (!dist || !out || !name)
    throw new Error('usage: BENCH_REUSE=<db> node bench/funnel/compare.mjs <dist> <out>');
  mkdirSync(out, { recursive: true });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  const { organizationId, apiKey } = JSON.parse(
    (await db.query(`SELECT detail->>'bench' AS b FROM audit_log WHERE action = 'bench.credentials'`)).rows[0]
      .b,
  );
  const port = await freePort();
  const server = spawn(process.execPath, [resolve(dist, 'main.js'), 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      REDIS_URL: '',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      WEB_DIST_DIR: 'tmp/bench-no-web',
      PROCESS_ROLE: 'all',
      PORT: String(port),
    },
    stdio: 'inherit',
  });
  let exited = false;
  server.once('exit', () => (exited = true));
  const base = `http://127.0.0.1:${port}`;
  try {
    for (
      let i = 0;
      !(await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      if (i > 3000 || exited) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const [list, stages] of Object.entries(LISTS)) {
      await db.query(
        `UPDATE organizations SET data_version = data_version + 1, pipeline_stages = $2::text[] WHERE id = $1`,
        [organizationId, stages],
      );
      for (const filter of FILTERS) {
        const res = await fetch(`${base}/api/v1/analytics/funnel${filter ? `?${filter}` : ''}`, {
          headers: { Authorization: `Bearer ${apiKey}` },
        });
        const body = (await res.text())
          .replace(/"computedAt":"[^"]*"/, '"computedAt":"-"')
          .replace(/"dataVersion":"[^"]*"/, '"dataVersion":"-"');
        if (res.status !== 200) throw new Error(`${list} ${filter}: ${res.status} ${body}`);
        writeFileSync(join(out, `${list}--${filter.replace(/[^A-Za-z0-9=-]+/g, '_') || 'all'}.json`), body);
      }
      log(`  ${list}: ${FILTERS.length} reports`);
    }
  } finally {
    await db.query(`UPDATE organizations SET pipeline_stages = $2::text[] WHERE id = $1`, [
      organizationId,
      STAGES,
    ]);
    await db.end();
    if (!exited) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
