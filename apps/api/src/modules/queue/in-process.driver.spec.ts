import { InProcessDriver } from './in-process.driver';
import type { JobContext } from './queue.types';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('InProcessDriver', () => {
  it('runs an enqueued job asynchronously, after enqueue has returned', async () => {
    const driver = new InProcessDriver();
    const seen: unknown[] = [];
    const done = deferred();
    await driver.startWorker(async (name, data) => {
      seen.push([name, data]);
      done.resolve();
    }, 1);
    await driver.enqueue('ingest-records', { importId: 'i1', organizationId: 'o1' }, { jobId: 'j1' });
    expect(seen).toEqual([]);
    await done.promise;
    expect(seen).toEqual([['ingest-records', { importId: 'i1', organizationId: 'o1' }]]);
    await driver.close();
  });

  it('runs a job id once while it is pending', async () => {
    const driver = new InProcessDriver();
    let runs = 0;
    await driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'same' });
    await driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'same' });
    const done = deferred();
    await driver.startWorker(async () => {
      runs++;
      done.resolve();
    }, 2);
    await done.promise;
    await driver.close();
    expect(runs).toBe(1);
  });

  it('retries a failing job with its attempt number, then succeeds', async () => {
    const driver = new InProcessDriver();
    const attempts: JobContext[] = [];
    const done = deferred();
    await driver.startWorker(async (_name, _data, context) => {
      attempts.push(context);
      if (context.attempt === 1) throw new Error('transient');
      done.resolve();
    }, 1);
    await driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'retry' });
    await done.promise;
    await driver.close();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(attempts[0]).toMatchObject({ jobId: 'retry', maxAttempts: 5 });
  });

  it('waits for running jobs when closed, and refuses new ones', async () => {
    const driver = new InProcessDriver();
    const release = deferred();
    let finished = false;
    await driver.startWorker(async () => {
      await release.promise;
      finished = true;
    }, 1);
    await driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'slow' });
    await new Promise((r) => setImmediate(r));
    const closed = driver.close();
    release.resolve();
    await closed;
    expect(finished).toBe(true);
    await expect(
      driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'late' }),
    ).rejects.toThrow(/shutting down/);
  });
});
