import { HttpException } from '@nestjs/common';
import { DomainError } from '@switchyard/common';
import { toErrorResponse } from './error-response';
import { assertInputLimits, MAX_JSON_DEPTH } from './input-limits';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('input limits', () => {
  it('accepts nesting up to the limit and refuses one level more, without recursion', () => {
    expect(() => assertInputLimits(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => assertInputLimits(nested(MAX_JSON_DEPTH + 1))).toThrow(DomainError);
    expect(() => assertInputLimits(nested(200_000))).toThrow('nesting deeper than 64 levels');
  });

  it('refuses a NUL character in a value or a key at any depth, and in a plain string (a path parameter)', () => {
    expect(() => assertInputLimits({ a: [{ b: 'x\u0000y' }] })).toThrow('NUL');
    expect(() => assertInputLimits({ 'k\u0000': 1 })).toThrow('NUL');
    expect(() => assertInputLimits('pay_1\u0000')).toThrow('NUL');
    expect(() => assertInputLimits({ a: 'plain', b: [1, null, true] })).not.toThrow();
  });

  it('maps to 400 IR_06 with the envelope', () => {
    let error: unknown;
    try {
      assertInputLimits('\u0000');
    } catch (e: unknown) {
      error = e;
    }
    expect(toErrorResponse(error)).toMatchObject({ status: 400, body: { error: { code: 'IR_06' } } });
  });
});

describe('error mapping of body and storage refusals', () => {
  it('answers a body-parser client error (e.g. a body that is not gzip as declared) with its 4xx and the envelope', () => {
    const zlib = Object.assign(new Error('incorrect header check'), { status: 400, statusCode: 400, expose: true });
    expect(toErrorResponse(zlib)).toEqual({
      status: 400,
      internal: false,
      body: { error: { type: 'invalid_request', code: 'IR_06', message: 'Bad request body received' } },
    });
  });

  it('answers Postgres refusing a NUL or invalid UTF-8 with 400, and keeps other failures internal', () => {
    const pg = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });
    expect(toErrorResponse(pg('22021')).status).toBe(400);
    expect(toErrorResponse(pg('22P05')).status).toBe(400);
    expect(toErrorResponse(pg('40001'))).toMatchObject({ status: 500, internal: true });
    expect(toErrorResponse(Object.assign(new Error('boom'), { status: 500, expose: false }))).toMatchObject({
      status: 500,
      internal: true,
    });
    expect(toErrorResponse(new HttpException('x', 404)).status).toBe(404);
  });
});
