import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { setSecurityHeaders } from './dashboard.http';
import { SafeHtml } from './html';

/** A handler that returns SafeHtml answers an HTML page with the dashboard's security headers. */
@Injectable()
export class DashboardPageInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    setSecurityHeaders(res);
    return next.handle().pipe(
      map((body: unknown) => {
        if (!(body instanceof SafeHtml)) return body;
        res.type('html');
        return body.value;
      }),
    );
  }
}
