#!/usr/bin/env node
// Sign-in abuse benchmark (on demand, not in CI): see bench/login/README.md. Loopback only, bounded in time.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { build, freePort, log, MAIN, percentile } from '../lib.mjs';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const ATTACKERS = Number(process.env.BENCH_ATTACKERS || 50);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS || 10);
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS || 20);
const SINGLE_SOURCE_SECONDS = Number(process.env.BENCH_SINGLE_SOURCE_SECONDS || 5);
/** Pause between two probes of one probe loop. */
const PROBE_GAP_MS = 25;
/** Passed to the API as PASSWORD_HASH_CONCURRENCY when set (unset: the API's default, cores - 1). */
const HASH_CONCURRENCY = process.env.BENCH_HASH_CONCURRENCY || '';
const TARGET_P95_MS = 500;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** GET /api/health and an API-key GET /api/v1/jobs, one after the other with a short gap, until `until`. */
async function probe(base, apiKey, until) {
  const health = [];
  const keyed = [];
  let errors = 0;
  while (performance.now() < until) {
    for (const [path, headers, into] of [
      ['/api/health', {}, health],
      ['/api/v1/jobs', { Authorization: `Bearer ${apiKey}` }, keyed],
    ]) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}${path}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
        else into.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
    await sleep(PROBE_GAP_MS);
  }
  return { health, keyed, errors };
}

/**
 * One attacker: bad logins back to back until `until`. distributed: a random email from a random client address
 * (X-Forwarded-For, believed from loopback) each time, so neither throttle counter ever locks and every attempt
 * reaches the password hash: the worst case for the hash cap. Otherwise every attempt names the same account from
 * the same address, which the throttle locks after a few failures.
 */
async function attacker(base, until, distributed, email, counts) {
  while (performance.now() < until) {
    const headers = { 'Content-Type': 'application/json' };
    if (distributed) {
      const b = randomBytes(3);
      headers['X-Forwarded-For'] = `10.${b[0]}.${b[1]}.${b[2]}`;
    }
    const body = JSON.stringify({
      email: distributed ? `nobody-${randomBytes(6).toString('hex')}@example.test` : email,
      password: `guess-${randomBytes(4).toString('hex')}`,
    });
    try {
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers, body });
      await res.arrayBuffer();
      counts[res.status] = (counts[res.status] ?? 0) + 1;
    } catch {
      counts.error = (counts.error ?? 0) + 1;
    }
  }
}

async function phase(base, apiKey, seconds, attack) {
  const until = performance.now() + seconds * 1000;
  const counts = {};
  const attackers = attack
    ? Array.from({ length: ATTACKERS }, () => attacker(base, until, attack.distributed, attack.email, counts))
    : [];
  const [probes] = await Promise.all([probe(base, apiKey, until), ...attackers]);
  return { ...probes, counts, seconds };
}

function summary(name, r, baseline) {
  const line = (label, xs, base) => {
    const p50 = percentile(xs, 0.5);
    const p95 = percentile(xs, 0.95);
    const ratio = base ? ` (${(p95 / percentile(base, 0.95)).toFixed(1)}x baseline p95)` : '';
    const verdict = base ? (p95 < TARGET_P95_MS ? ' PASS' : ' FAIL') : '';
    return `  ${label.padEnd(22)} n=${String(xs.length).padStart(4)}  p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms${ratio}${verdict}`;
  };
  log(`${name}:`);
  log(line('GET /api/health', r.health, baseline?.health));
  log(line('GET /api/v1/jobs (key)', r.keyed, baseline?.keyed));
  if (r.errors) log(`  probe errors: ${r.errors}`);
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  if (total > 0) {
    const byStatus = Object.entries(r.counts)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
    log(`  logins: ${total} in ${r.seconds} s (${(total / r.seconds).toFixed(0)}/s); ${byStatus}`);
  }
}

async function main() {
  build();
  const name = `hs_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url.toString(),
    REDIS_URL: '',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    WEB_DIST_DIR: 'tmp/bench-no-web',
    PROCESS_ROLE: 'all',
    HOST: '127.0.0.1',
    ...(HASH_CONCURRENCY ? { PASSWORD_HASH_CONCURRENCY: HASH_CONCURRENCY } : {}),
  };
  let server = null;
  try {
    log(`database ${name}`);
    const created = spawnSync(process.execPath, [MAIN, 'admin', 'create-org', '--name', 'Bench'], {
      env,
      encoding: 'utf8',
    });
    if (created.status !== 0) throw new Error(`create-org failed: ${created.stderr}`);
    const { apiKey, adminEmail } = JSON.parse(created.stdout.trim().split('\n').pop());

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
      if (i > 600) throw new Error('server did not start');
      await sleep(100);
    }
    // Warm-up: routes, the connection pool, the dummy hash an unknown email is checked against.
    await phase(base, apiKey, 1, null);
    await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.255.255.254' },
      body: JSON.stringify({ email: 'warm-up@example.test', password: 'x' }),
    }).then((r) => r.arrayBuffer());

    log(
      `\n${ATTACKERS} concurrent bad logins; probes: GET /api/health then an API-key GET /api/v1/jobs, ${PROBE_GAP_MS} ms apart` +
        `; PASSWORD_HASH_CONCURRENCY=${HASH_CONCURRENCY || 'default'}\n`,
    );
    const baseline = await phase(base, apiKey, BASELINE_SECONDS, null);
    summary(`baseline, no logins (${BASELINE_SECONDS} s)`, baseline);
    const burst = await phase(base, apiKey, BURST_SECONDS, { distributed: true });
    summary(`burst, random emails from random addresses (${BURST_SECONDS} s)`, burst, baseline);
    const single = await phase(base, apiKey, SINGLE_SOURCE_SECONDS, {
      distributed: false,
      email: adminEmail,
    });
    summary(`burst, one account from one address (${SINGLE_SOURCE_SECONDS} s)`, single, baseline);

    const p95 = Math.max(percentile(burst.health, 0.95), percentile(burst.keyed, 0.95));
    log(
      `\nworst p95 during the distributed burst: ${p95.toFixed(1)} ms (target < ${TARGET_P95_MS} ms) ${p95 < TARGET_P95_MS ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    if (server) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
