import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@switchyard/common';
import { DashboardCsrfRejected, DashboardLoginRequired, setSecurityHeaders } from './dashboard.http';
import { errorPage } from './views/layout.view';

/** Dashboard errors are pages, not JSON envelopes: login redirects, 403 for a bad CSRF token, messages escaped. */
@Catch()
export class DashboardExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Dashboard');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    setSecurityHeaders(res);
    if (exception instanceof DashboardLoginRequired) {
      res.redirect(303, '/dashboard/login');
      return;
    }
    const { status, message } = this.describe(exception);
    res.status(status).type('html').send(errorPage(status, message).value);
  }

  private describe(exception: unknown): { status: number; message: string } {
    if (exception instanceof DashboardCsrfRejected) {
      return {
        status: 403,
        message: 'The form was stale or not sent by this dashboard. Reload the page and try again.',
      };
    }
    if (exception instanceof DomainError) return { status: exception.status, message: exception.message };
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return { status: exception.getStatus(), message: exception.getStatus() === 404 ? 'Not found.' : 'Bad request.' };
    }
    const errorId = randomUUID();
    this.logger.error({
      msg: 'dashboard error',
      errorId,
      error: exception instanceof Error ? exception.stack : String(exception),
    });
    return { status: 500, message: `Something went wrong (error id ${errorId}).` };
  }
}
