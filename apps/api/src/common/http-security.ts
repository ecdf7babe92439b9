import { HttpException, HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SESSION_COOKIE } from '../modules/identity/secrets';

/*
 * Response headers and the cross-site request rule, applied to every request before Nest routes it.
 */

/**
 * The dashboard loads only its own files: no inline or foreign script (the web build does not inline critical CSS,
 * whose stylesheet loader is an inline onload handler). Styles allow 'unsafe-inline' because Angular injects each
 * component's styles as <style> elements and the charts set style attributes; style injection cannot run script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** 180 days; sent only on HTTPS responses (over plain HTTP a browser ignores it anyway). */
export const HSTS = 'max-age=15552000';

export function securityHeaders(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // req.secure: TLS here, or X-Forwarded-Proto: https from a trusted proxy (TRUST_PROXY).
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    // API answers carry credentials-dependent data: never stored by a browser or a shared cache. A route may still
    // set its own policy (the public OpenAPI document says no-cache).
    if (isApiPath(req.path)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/** TRUST_PROXY as Express's "trust proxy" setting: true/false, a hop count, or names/addresses/CIDRs. */
export function trustProxySetting(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const UPLOAD_ROUTE = '/api/v1/imports';

/**
 * Cross-site request forgery: a state-changing request (POST, PUT, PATCH, DELETE) that does not carry an API key
 * must come from this origin and be JSON. The session cookie is SameSite=Strict already; this is the second lock,
 * and it covers the sign-in itself (login CSRF), which carries no cookie.
 *
 * - Same origin: the Origin header's host is the request's host; without Origin, Sec-Fetch-Site is same-origin or
 *   none. A request with neither header (not a browser: curl, scripts) passes only if it is JSON, which a page on
 *   another site cannot send without a CORS preflight, which this API never grants.
 * - JSON: Content-Type application/json (or +json), or no body at all. POST /api/v1/imports takes a multipart upload
 *   instead, and with a session cookie it must carry a same-origin Origin or Sec-Fetch-Site.
 * - Bearer API-key requests are exempt: nothing ambient authenticates them, so another site cannot forge one.
 *
 * Refusals are answered like Nest's errors: 403 (cross-site) or 415 (not JSON) with {statusCode, message, error}.
 */
export function crossSiteGuard(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (/^Bearer\s+\S+$/i.test(req.headers.authorization ?? '')) return next();

    const sameOrigin = originVerdict(req);
    if (sameOrigin === false) {
      return refuse(
        res,
        HttpStatus.FORBIDDEN,
        'Cross-site request refused: send it from the dashboard origin',
      );
    }
    if (req.method === 'POST' && req.path === UPLOAD_ROUTE) {
      if (sameOrigin === null && hasSessionCookie(req)) {
        return refuse(
          res,
          HttpStatus.FORBIDDEN,
          'An upload signed in by cookie must say where it comes from (Origin); scripts use an API key',
        );
      }
      return next();
    }
    if (hasBody(req) && !isJson(req)) {
      return refuse(
        res,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'Send the body as JSON (Content-Type: application/json)',
      );
    }
    next();
  };
}

/** true: same origin; false: another origin; null: the request does not say (no Origin, no Sec-Fetch-Site). */
export function originVerdict(req: Request): boolean | null {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (origin === 'null') return false;
    try {
      return new URL(origin).host.toLowerCase() === requestHost(req);
    } catch {
      return false;
    }
  }
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  return null;
}

/** host[:port] as the client addressed it (X-Forwarded-Host from a trusted proxy), without a default port. */
function requestHost(req: Request): string {
  const host = (req.host ?? req.headers.host ?? '').toLowerCase();
  const defaultPort = req.protocol === 'https' ? ':443' : ':80';
  return host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host;
}

function hasSessionCookie(req: Request): boolean {
  return (req.headers.cookie ?? '').split(';').some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

function isJson(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** The API's one error body (common/error-body.ts), written here because no Nest filter sees middleware. */
function refuse(res: Response, status: number, message: string): void {
  res.status(status).json({
    statusCode: status,
    error: status === 403 ? 'Forbidden' : 'Unsupported Media Type',
    message,
    problems: [{ message }],
  });
}

/**
 * An error answered with a Retry-After header (by ApiExceptionFilter): 429 for a locked sign-in, 503 for a full hash
 * queue (HashBusyError, thrown by the hash itself, is answered the same way).
 */
export class RetryLaterException extends HttpException {
  constructor(
    status: number,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      {
        statusCode: status,
        message,
        error: status === 429 ? 'Too Many Requests' : 'Service Unavailable',
        retryAfterSeconds,
      },
      status,
    );
  }
}
