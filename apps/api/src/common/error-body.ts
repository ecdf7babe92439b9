import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { HashBusyError } from '../modules/identity/hash-limiter';
import { RetryLaterException } from './http-security';

/** One problem of a refused request: what is wrong, and where when it is known (a field, a record's index). */
export interface Problem {
  message: string;
  field?: string;
  [detail: string]: unknown;
}

/**
 * The one error body of every route. `problems` lists every problem (at least one); `errors`, where a route has
 * always sent it (422 of the records API, 400 of a JSON body), stays beside it unchanged for existing clients.
 */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  problems: Problem[];
  errors?: unknown[];
  [extra: string]: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const reason = (status: number) => REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');

/**
 * The global exception filter: every error of every route leaves as an ErrorBody. Client errors keep their status
 * and words; RetryLaterException and HashBusyError answer 429/503 with a Retry-After header; a database refusal of
 * a value the client sent (SQLSTATE class 22, data exception) is a 400, never a 500; anything else is a 500 whose
 * body says nothing about the internals (the log has the stack).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { body, retryAfterSeconds } = toErrorBody(exception);
    // A 503 with Retry-After (the hash queue is full) is load, not a fault.
    if (body.statusCode >= 500 && retryAfterSeconds === undefined) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    if (res.headersSent) {
      // A streamed answer (errors.csv) broke off: the client sees a cut connection, never a second body.
      res.destroy();
      return;
    }
    if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
    res.status(body.statusCode).json(body);
  }
}

export function toErrorBody(exception: unknown): { body: ErrorBody; retryAfterSeconds?: number } {
  if (exception instanceof HashBusyError) {
    return toErrorBody(
      new RetryLaterException(HttpStatus.SERVICE_UNAVAILABLE, exception.message, exception.retryAfterSeconds),
    );
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const fields =
      typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const raw = typeof response === 'string' ? response : fields['message'];
    const messages = Array.isArray(raw) ? raw.map(String) : [];
    const message =
      typeof raw === 'string' ? raw : messages.length > 0 ? messages.join('; ') : exception.message;
    const errors = Array.isArray(fields['errors']) ? (fields['errors'] as unknown[]) : undefined;
    const body: ErrorBody = {
      ...fields,
      statusCode: status,
      error: typeof fields['error'] === 'string' ? fields['error'] : reason(status),
      message,
      // A route that names its problems itself (e.g. a password policy's fields) keeps them.
      problems: Array.isArray(fields['problems'])
        ? (fields['problems'] as Problem[])
        : problemsOf(errors, messages, message),
    };
    const retryAfterSeconds =
      exception instanceof RetryLaterException ? exception.retryAfterSeconds : undefined;
    return { body, retryAfterSeconds };
  }
  const e = exception as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    message?: unknown;
    code?: unknown;
  };
  // Errors of Express middleware (body-parser: malformed JSON, too large, bad encoding) carry their 4xx status.
  const status =
    typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if (status >= 400 && status < 500) {
    const message = e.expose !== false && typeof e.message === 'string' ? e.message : reason(status);
    return { body: { statusCode: status, error: reason(status), message, problems: [{ message }] } };
  }
  if (typeof e?.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) {
    const message = 'A value of the request is out of range or malformed';
    return {
      body: { statusCode: 400, error: 'Bad Request', message, problems: [{ message, code: e.code }] },
    };
  }
  const message = 'Internal server error';
  return { body: { statusCode: 500, error: reason(500), message, problems: [{ message }] } };
}

function problemsOf(errors: unknown[] | undefined, messages: string[], message: string): Problem[] {
  if (errors && errors.length > 0) {
    return errors.map((e) =>
      typeof e === 'object' && e !== null && typeof (e as Problem).message === 'string'
        ? (e as Problem)
        : { message: String(e) },
    );
  }
  if (messages.length > 0) return messages.map((m) => ({ message: m }));
  return [{ message }];
}
