import { HttpException } from '@nestjs/common';
import { DomainError } from '@switchyard/common';
import { POOL_WAIT_TIMEOUT_MESSAGE } from '@switchyard/database';

export interface ErrorBody {
  error: { type: string; code: string; message: string; [extra: string]: unknown };
}

/** One mapping from anything thrown to the Hyperswitch envelope; used by the filter and the idempotency store. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (error instanceof DomainError) {
    const extra = Object.fromEntries(Object.entries(error.extra).filter(([, v]) => v !== undefined && v !== null));
    return {
      status: error.status,
      internal: false,
      body: { error: { type: error.type, code: error.code, message: error.message, ...extra } },
    };
  }
  const parserError = error as { type?: string; status?: number; message?: string };
  if (parserError?.type === 'entity.parse.failed') {
    return envelope(400, 'IR_06', `Json deserialize error: ${parserError.message ?? 'malformed JSON'}`);
  }
  if (parserError?.type === 'entity.too.large') return envelope(413, 'IR_06', 'Request body is larger than the limit');
  if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported') {
    return envelope(415, 'IR_06', 'Unsupported request body encoding');
  }
  // Any other refusal of the body parser or raw-body (a Content-Encoding the body does not match, a Content-Length that
  // does not match the body, an aborted upload…): http-errors marks client errors with a 4xx status and `expose`.
  const clientError = error as { status?: unknown; expose?: unknown } | null;
  if (
    !(error instanceof HttpException) &&
    clientError?.expose === true &&
    typeof clientError.status === 'number' &&
    clientError.status >= 400 &&
    clientError.status < 500
  ) {
    return envelope(clientError.status, 'IR_06', 'Bad request body received');
  }
  // Postgres refusing what the client sent as text (a NUL byte, invalid UTF-8), e.g. inside a raw webhook body that is
  // stored before it is verified: the request is at fault, and nothing was stored.
  const pgCode = (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  if (pgCode === '22021' || pgCode === '22P05') {
    return envelope(400, 'IR_06', 'Request contains characters that cannot be stored (NUL or invalid UTF-8)');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return envelope(404, 'IR_02', 'Unrecognized request URL');
    if (status === 405) return envelope(405, 'IR_03', 'The HTTP method is not applicable for this API');
    if (status === 413) return envelope(413, 'IR_06', 'Request body is larger than the limit');
    if (status < 500) return envelope(status, 'IR_06', error.message);
  }
  // Every pooled Postgres connection stayed busy for DB_POOL_WAIT_MS: overload, not a fault of the request. The
  // statement that needed the connection never ran; what the request committed before it stays committed (a payment
  // whose second transaction could not start is finished by its inquiry, as after a crash).
  if (error instanceof Error && error.message === POOL_WAIT_TIMEOUT_MESSAGE) {
    return {
      status: 503,
      internal: false,
      body: { error: { type: 'api', code: 'HE_00', message: 'The server is overloaded; retry the request later' } },
    };
  }
  return {
    status: 500,
    internal: true,
    body: { error: { type: 'api', code: 'HE_00', message: 'Something went wrong' } },
  };
}

function envelope(status: number, code: string, message: string) {
  return { status, internal: false, body: { error: { type: 'invalid_request', code, message } } };
}
