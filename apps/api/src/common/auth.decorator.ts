import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthContext } from '@switchyard/merchants';

/** Which keys may call a route. `merchant` = secret key; `publishable` = pk_ key (with the payment's client_secret). */
export type AuthKind = 'admin' | 'merchant' | 'publishable' | 'public';
export const AUTH_KINDS = 'switchyard:auth-kinds';
export const Auth = (...kinds: AuthKind[]) => SetMetadata(AUTH_KINDS, kinds);

export interface AuthedRequest extends Request {
  auth?: AuthContext;
}

export const CurrentAuth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.auth) throw new Error('route has no auth context: missing @Auth');
  return req.auth;
});
