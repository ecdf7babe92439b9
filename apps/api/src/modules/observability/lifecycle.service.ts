import { Injectable } from '@nestjs/common';

/**
 * Whether the process is shutting down: from the first SIGTERM or SIGINT (cli/serve.ts), readiness answers 503 so a
 * load balancer stops sending work while running requests and jobs finish.
 */
@Injectable()
export class LifecycleService {
  private since: Date | null = null;

  get shuttingDown(): boolean {
    return this.since !== null;
  }

  beginShutdown(): void {
    this.since ??= new Date();
  }
}
