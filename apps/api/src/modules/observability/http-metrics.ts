import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { methodLabel, routeLabel } from '../../common/logging';
import type { MetricsService } from './metrics.service';

/**
 * Times every request from its first byte to its last, labelled with the route pattern it matched (known once the
 * response ends). A client that hangs up before the answer is complete is counted with status `aborted`.
 */
export function httpMetrics(metrics: MetricsService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let done = false;
    const observe = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      metrics.httpDuration.observe(
        { method: methodLabel(req.method), route: routeLabel(req), status },
        seconds,
      );
    };
    res.once('finish', observe);
    res.once('close', observe);
    next();
  };
}
