import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { toErrorResponse } from './error-response';

/** The ONE place errors become HTTP. A 500 answers with an error id only; the details go to the log. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const mapped = toErrorResponse(exception);
    if (mapped.internal) {
      const errorId = randomUUID();
      this.logger.error({
        msg: 'unhandled error',
        errorId,
        error: exception instanceof Error ? exception.stack : String(exception),
      });
      mapped.body.error.message = `Something went wrong (error id ${errorId})`;
    }
    if (res.headersSent) return;
    if (mapped.status === 503) res.setHeader('retry-after', '1');
    res.status(mapped.status).json(mapped.body);
  }
}
