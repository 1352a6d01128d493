import type { Request, Response } from 'express';
import type { DashboardSession } from './dashboard.sessions';

export const SESSION_COOKIE = 'sy_dash';
/** Pre-login double-submit token: the login form is a POST too and carries it. */
export const LOGIN_COOKIE = 'sy_dash_login';

export interface DashboardRequest extends Request {
  dashboardSession?: DashboardSession;
}

/** Thrown by the session guard; the dashboard filter answers with a redirect to the login page. */
export class DashboardLoginRequired extends Error {}

/** A form POST without the session's CSRF token. */
export class DashboardCsrfRejected extends Error {}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** HttpOnly + SameSite=Strict always; `secure` whenever the dashboard is reached over HTTPS. */
export function setCookie(res: Response, name: string, value: string, maxAgeSeconds: number, secure: boolean): void {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/dashboard',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearCookie(res: Response, name: string, secure: boolean): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'strict', secure, path: '/dashboard' });
}

/** No framing, no external anything, nothing cached: the pages show payment data. */
export function setSecurityHeaders(res: Response): void {
  res.setHeader(
    'content-security-policy',
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', 'no-store');
}
