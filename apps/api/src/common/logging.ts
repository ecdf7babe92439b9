import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogLevel } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Logger as NestPinoLogger, PinoLogger, type Params } from 'nestjs-pino';
import { pino, type Level, type LevelWithSilent, type Logger } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { AppConfig } from '../config/config';

/*
 * Structured logs: one JSON object per line on stdout (pino), every Nest `Logger` routed to it by nestjs-pino
 * (bootstrap.ts). Each line carries the request id of the HTTP request it belongs to, and a job's lines carry the
 * job name, id, attempt and the id of the request that enqueued it (queue.service.ts).
 */

/** LOG_LEVEL (Nest's names) as pino levels: `log` is `info`, `verbose` is `trace`. */
export const PINO_LEVELS: Record<AppConfig['LOG_LEVEL'], Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

const NEST_TO_PINO: Record<LogLevel, Level> = { ...PINO_LEVELS, fatal: 'fatal' };
const ORDER: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** The most verbose of Nest's levels as one pino level (`false`: nothing). */
export function pinoLevelOf(levels: LogLevel[] | false): LevelWithSilent {
  if (levels === false || levels.length === 0) return 'silent';
  return ORDER[Math.max(...levels.map((l) => ORDER.indexOf(NEST_TO_PINO[l])))] ?? 'info';
}

let root: Logger | null = null;

/**
 * The process's one pino logger, writing JSON lines to process.stdout (synchronous for files and pipes, so nothing
 * is lost at exit). One per process because nestjs-pino keeps one root logger per process too; `level` sets it.
 */
export function rootLogger(level?: LevelWithSilent): Logger {
  root ??= pino(
    {
      level: 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    process.stdout,
  );
  if (level) root.level = level;
  return root;
}

/* ---- request ids ---- */

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's id is kept when it is short and made of safe characters; anything else is replaced. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The caller's X-Request-Id when it is acceptable, else a new one (a UUID). */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

const requestContext = new AsyncLocalStorage<{ requestId: string | undefined }>();

/** The id of the HTTP request (or of the request that enqueued the job) this code runs for. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** Runs `fn` (and everything it starts) as part of that request; `undefined` clears an inherited id. */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

/**
 * First middleware of every request: takes or makes its id, echoes it in the response, and runs the rest of the
 * request in its context (pino-http reads `req.id` for the request's log lines).
 */
export function requestIds(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = requestIdFrom(req.headers['x-request-id']);
    (req as Request & { id?: string }).id = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    runWithRequestId(id, next);
  };
}

/* ---- route labels ---- */

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

/**
 * The route pattern a request matched (`/api/v1/imports/:importId`), never the raw URL, so labels and log fields
 * stay few and carry no ids or tokens: `static` for the dashboard's files and pages, `unmatched` for an unknown
 * API path.
 */
export function routeLabel(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  // Nest mounts route-scoped middleware (nestjs-pino's) as a wildcard route, which stays on req.route when no
  // controller route matches after it; no controller route here has a wildcard.
  if (route && typeof route.path === 'string' && !route.path.includes('*')) {
    return `${req.baseUrl ?? ''}${route.path}`;
  }
  const path = req.originalUrl.split('?')[0] ?? '';
  return path === '/api' || path.startsWith('/api/') ? 'unmatched' : 'static';
}

/* ---- nestjs-pino ---- */

/** Probes and scrapes come every few seconds: their successful answers are not logged. */
const QUIET_ROUTES = new Set(['/api/health', '/api/health/live', '/api/health/ready', '/api/metrics']);

const requestFields = (req: IncomingMessage, res: ServerResponse, responseTime: unknown) => ({
  method: req.method,
  route: routeLabel(req as Request),
  status: res.statusCode,
  responseTime,
});

/**
 * nestjs-pino's parameters: the root logger, one "request completed" line per request (method, route pattern,
 * status, milliseconds; never headers, cookies or the raw URL, which can hold tokens), and `requestId` on every line
 * logged while serving the request.
 */
export function loggerParams(logger: Logger): Params {
  const pinoHttp: PinoHttpOptions = {
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req) => (req as { id?: string }).id ?? requestIdFrom(req.headers['x-request-id']),
    customLogLevel: (req, res, error) =>
      error || res.statusCode >= 500
        ? 'error'
        : QUIET_ROUTES.has(routeLabel(req as Request))
          ? 'silent'
          : 'info',
    customSuccessMessage: () => 'request completed',
    customSuccessObject: (req, res, val: { responseTime?: number }) =>
      requestFields(req, res, val.responseTime),
    customErrorMessage: () => 'request failed',
    customErrorObject: (req, res, error, val: { responseTime?: number }) => ({
      ...requestFields(req, res, val.responseTime),
      err: error,
    }),
  };
  return { pinoHttp };
}

/** The Nest logger (every `new Logger(context)` of the app) writing through pino, for NestFactory's `logger`. */
export function nestLogger(params: Params): NestPinoLogger {
  return new NestPinoLogger(new PinoLogger(params), params);
}
