import {
  BadRequestException,
  NotFoundException,
  UnprocessableEntityException,
  type ArgumentsHost,
} from '@nestjs/common';
import { HashBusyError } from '../modules/identity/hash-limiter';
import { ApiExceptionFilter, toErrorBody } from './error-body';
import { RetryLaterException } from './http-security';

function respond(exception: unknown) {
  const res = {
    headersSent: false,
    headers: {} as Record<string, string>,
    statusCode: 0,
    body: undefined as unknown,
    setHeader(name: string, value: string) {
      this.headers[name] = value;
    },
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new ApiExceptionFilter().catch(exception, host);
  return res;
}

describe('the one error body', () => {
  it('adds problems to a plain HttpException', () => {
    expect(toErrorBody(new NotFoundException('No import x')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No import x',
      problems: [{ message: 'No import x' }],
    });
  });

  it('keeps errors where a route sends them, and lists them as problems too', () => {
    const errors = [{ index: 0, field: 'appliedAt', message: 'is required' }];
    const { body } = toErrorBody(
      new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'bad',
        errors,
      }),
    );
    expect(body).toMatchObject({ statusCode: 422, message: 'bad', errors, problems: errors });
  });

  it('keeps problems a route names itself', () => {
    const problems = [{ field: 'password', message: 'too short' }];
    const { body } = toErrorBody(new BadRequestException({ message: 'weak', problems }));
    expect(body.problems).toEqual(problems);
  });

  it('answers 429/503 with Retry-After, as RetryAfterFilter did', () => {
    const locked = respond(new RetryLaterException(429, 'locked', 30));
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['Retry-After']).toBe('30');
    expect(locked.body).toMatchObject({
      statusCode: 429,
      retryAfterSeconds: 30,
      problems: [{ message: 'locked' }],
    });
    const busy = respond(new HashBusyError(2));
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['Retry-After']).toBe('2');
  });

  it('keeps the status of an Express middleware error (body-parser)', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(toErrorBody(tooLarge).body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('answers a database refusal of a value (SQLSTATE class 22) with 400, not 500', () => {
    const error = Object.assign(new Error('date/time field value out of range: "0000-01-01"'), {
      code: '22008',
    });
    const { body } = toErrorBody(error);
    expect(body.statusCode).toBe(400);
    expect(JSON.stringify(body)).not.toContain('0000-01-01');
  });

  it('says nothing of the internals in a genuine 500', () => {
    const res = respond(new TypeError('Cannot read properties of undefined (reading "secret_column")'));
    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      problems: [{ message: 'Internal server error' }],
    });
  });
});
