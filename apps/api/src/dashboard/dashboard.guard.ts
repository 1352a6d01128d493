import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { safeEqual } from '@switchyard/common';
import { DashboardSessions } from './dashboard.sessions';
import {
  DashboardCsrfRejected,
  DashboardLoginRequired,
  DashboardRequest,
  readCookie,
  SESSION_COOKIE,
} from './dashboard.http';

/**
 * Dashboard pages need a session (cookie → Redis); every POST must also carry the session's CSRF token in its form body.
 * Runs after the global ApiKeyGuard, which lets these routes through as `public`.
 */
@Injectable()
export class DashboardSessionGuard implements CanActivate {
  constructor(private readonly sessions: DashboardSessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DashboardRequest>();
    const session = await this.sessions.find(readCookie(req, SESSION_COOKIE));
    if (!session) throw new DashboardLoginRequired();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const sent = (req.body as { csrf?: unknown } | undefined)?.csrf;
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrf)) throw new DashboardCsrfRejected();
    }
    req.dashboardSession = session;
    return true;
  }
}
