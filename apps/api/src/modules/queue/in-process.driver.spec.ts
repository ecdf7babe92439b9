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

  it('counts waiting, running and retry-delayed jobs', async () => {
    const driver = new InProcessDriver();
    const release = deferred();
    await driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'a' });
    await driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'b' });
    expect(await driver.depth()).toEqual({ waiting: 2, active: 0, delayed: 0 });
    await driver.startWorker(async (_name, _data, context) => {
      if (context.jobId === 'b') throw new Error('transient');
      await release.promise;
    }, 2);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    // a runs (held), b failed once and waits for its retry.
    expect(await driver.depth()).toEqual({ waiting: 0, active: 1, delayed: 1 });
    release.resolve();
    await driver.close();
  });

  it('lets a running job finish within the grace period on stopWorker', async () => {
    const driver = new InProcessDriver();
    let finished = false;
    await driver.startWorker(async () => {
      await new Promise((r) => setTimeout(r, 50));
      finished = true;
    }, 1);
    await driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'quick' });
    await new Promise((r) => setImmediate(r));
    expect(await driver.stopWorker(5000)).toEqual({ finished: 1, handedBack: 0 });
    expect(finished).toBe(true);
  });

  it('aborts the signal of a job still running when the grace period ends, and gives it up', async () => {
    const driver = new InProcessDriver();
    let seen: AbortSignal | undefined;
    const never = deferred();
    await driver.startWorker(async (_name, _data, context) => {
      seen = context.signal;
      await never.promise;
    }, 1);
    await driver.enqueue('ingest-records', { importId: 'i', organizationId: 'o' }, { jobId: 'slow' });
    await new Promise((r) => setImmediate(r));
    const started = Date.now();
    expect(seen?.aborted).toBe(false);
    const result = await driver.stopWorker(100);
    expect(result).toEqual({ finished: 0, handedBack: 1 });
    expect(seen?.aborted).toBe(true);
    // The grace period, then at most the two seconds given to a handler to notice the signal.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await driver.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    await driver.close();
    never.resolve();
  });

  it('runs the jobs already waiting within the grace period, and refuses new ones', async () => {
    const driver = new InProcessDriver();
    const ran: string[] = [];
    await driver.startWorker(async (_name, _data, context) => {
      await new Promise((r) => setTimeout(r, 30));
      ran.push(context.jobId);
    }, 1);
    for (const id of ['w1', 'w2', 'w3']) {
      await driver.enqueue('ingest-records', { importId: id, organizationId: 'o' }, { jobId: id });
    }
    const stopping = driver.stopWorker(5000);
    await expect(
      driver.enqueue('ingest-records', { importId: 'late', organizationId: 'o' }, { jobId: 'late' }),
    ).rejects.toThrow(/shutting down/);
    expect(await stopping).toEqual({ finished: 3, handedBack: 0 });
    expect(ran).toEqual(['w1', 'w2', 'w3']);
    await driver.close();
  });
});
