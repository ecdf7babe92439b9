/** A job a driver is running, with what a shutdown needs to stop it. */
export interface RunningJob {
  /** Aborts the job's JobContext.signal. */
  abort: AbortController;
  /** Ends the driver's wait for the job (BullMQ: with WaitingError, the job having been moved back). */
  handBack: (error: Error) => void;
  /** The handler's own promise, which runs on until the handler notices the signal. */
  work: Promise<unknown>;
}

/** Whether `promise` settles within `ms` (its outcome is not reported). */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
