import type { ImportRunResponse } from '@hiresignal/shared';
import { runCli, type ApiProcess } from './processes';

/* File imports driven against the built product's processes (imports and shutdown suites). */

/** A CSV of `rows` applications (`prefix`-0 ...), CRLF line ends. */
export function applicationsCsv(
  rows: number,
  prefix = 'app',
  extra?: (i: number) => string | undefined,
): Buffer {
  const lines = ['application_id,candidate_id,job_id,job_title,source,applied_at,status,hired_at'];
  for (let i = 0; i < rows; i++) {
    const hired = i % 7 === 0;
    lines.push(
      `${prefix}-${i},cand-${i},req-${i % 9},"AI Engineer, ${i % 3}",${extra?.(i) ?? 'referral'},2024-01-${String(
        (i % 28) + 1,
      ).padStart(2, '0')},${hired ? 'hired' : 'active'},${hired ? '2024-03-01' : ''}`,
    );
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

/** The organization of each API key createOrg made. */
export const orgOfKey = new Map<string, string>();

/** `admin create-org` through the CLI: the new organization's admin API key. */
export async function createOrg(env: Record<string, string>, name: string): Promise<string> {
  const { stdout, code, stderr } = await runCli(['admin', 'create-org', '--name', name], env);
  if (code !== 0) throw new Error(`create-org failed: ${stderr}`);
  const { apiKey, organizationId } = JSON.parse(stdout.trim()) as { apiKey: string; organizationId: string };
  orgOfKey.set(apiKey, organizationId);
  return apiKey;
}

/** POST /api/v1/imports: the import id. */
export async function upload(api: ApiProcess, key: string, kind: string, file: Buffer, onError = 'reject') {
  const form = new FormData();
  form.append('kind', kind);
  form.append('onError', onError);
  form.append('file', new Blob([new Uint8Array(file)]), `${kind}.csv`);
  const res = await fetch(`${api.url}/api/v1/imports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}` },
    body: form,
  });
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { importId: string }).importId;
}

export async function getRun(api: ApiProcess, key: string, id: string): Promise<ImportRunResponse | null> {
  try {
    const res = await fetch(`${api.url}/api/v1/imports/${id}`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    return res.status === 200 ? ((await res.json()) as ImportRunResponse) : null;
  } catch {
    return null;
  }
}

/** Polls an import until `until` holds; fails after the timeout. */
export async function waitFor(
  api: ApiProcess,
  key: string,
  id: string,
  until: (run: ImportRunResponse) => boolean,
  timeoutMs = 150_000,
): Promise<ImportRunResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(api, key, id);
    if (run && until(run)) return run;
    if (Date.now() > deadline)
      throw new Error(`import ${id} not there after ${timeoutMs} ms: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The import has ended, either way. */
export const finished = (run: ImportRunResponse) => run.status === 'completed' || run.status === 'failed';
