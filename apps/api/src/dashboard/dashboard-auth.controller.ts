import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { safeEqual } from '@switchyard/common';
import { ApiKeysService } from '@switchyard/merchants';
import { Auth } from '../common/auth.decorator';
import { DashboardExceptionFilter } from './dashboard.filter';
import { CsrfForm, LoginForm } from './dashboard.dto';
import {
  clearCookie,
  DashboardCsrfRejected,
  LOGIN_COOKIE,
  readCookie,
  SESSION_COOKIE,
  setCookie,
  setSecurityHeaders,
} from './dashboard.http';
import { DashboardSessions } from './dashboard.sessions';
import { DASHBOARD_CSS, loginPage } from './views/layout.view';

const LOGIN_FORM_SECONDS = 600;

/** Dashboard login (admin key → a Redis session), logout, and the stylesheet. */
@ApiExcludeController()
@Auth('public')
@UseFilters(DashboardExceptionFilter)
@Controller('dashboard')
export class DashboardAuthController {
  constructor(
    private readonly sessions: DashboardSessions,
    private readonly apiKeys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  root(@Res() res: Response): void {
    res.redirect(303, '/dashboard/payments');
  }

  @Get('assets/dashboard.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  css(): string {
    return DASHBOARD_CSS;
  }

  @Get('login')
  async loginForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (await this.sessions.find(readCookie(req, SESSION_COOKIE))) {
      res.redirect(303, '/dashboard/payments');
      return;
    }
    this.renderLogin(req, res, 200, null);
  }

  @Post('login')
  async login(@Req() req: Request, @Res() res: Response, @Body() form: LoginForm): Promise<void> {
    const expected = readCookie(req, LOGIN_COOKIE);
    if (!expected || !safeEqual(form.csrf, expected)) {
      return this.renderLogin(req, res, 403, 'The login form expired. Please try again.');
    }
    const client = req.socket.remoteAddress ?? 'unknown';
    if (await this.sessions.loginBlocked(client)) {
      return this.renderLogin(req, res, 429, 'Too many failed attempts. Wait 15 minutes and try again.');
    }
    const auth = await this.apiKeys.authenticate(form.admin_key.trim());
    if (auth?.kind !== 'admin') {
      await this.sessions.recordLoginFailure(client);
      return this.renderLogin(req, res, 401, 'That is not the admin key.');
    }
    await this.sessions.clearLoginFailures(client);
    const session = await this.sessions.create();
    clearCookie(res, LOGIN_COOKIE, this.secure(req));
    setCookie(res, SESSION_COOKIE, session.id, this.sessions.ttlSeconds, this.secure(req));
    setSecurityHeaders(res);
    res.redirect(303, '/dashboard/payments');
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response, @Body() form: CsrfForm): Promise<void> {
    const session = await this.sessions.find(readCookie(req, SESSION_COOKIE));
    if (session) {
      if (!safeEqual(form.csrf, session.csrf)) throw new DashboardCsrfRejected();
      await this.sessions.destroy(session.id);
    }
    clearCookie(res, SESSION_COOKIE, this.secure(req));
    res.redirect(303, '/dashboard/login');
  }

  private renderLogin(req: Request, res: Response, status: number, error: string | null): void {
    const token = randomBytes(32).toString('base64url');
    setCookie(res, LOGIN_COOKIE, token, LOGIN_FORM_SECONDS, this.secure(req));
    setSecurityHeaders(res);
    res.status(status).type('html').send(loginPage(token, error).value);
  }

  private secure(req: Request): boolean {
    return req.secure || this.config.PUBLIC_BASE_URL.startsWith('https:');
  }
}
