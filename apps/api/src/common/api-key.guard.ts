import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, Errors } from '@switchyard/common';
import { ApiKeysService } from '@switchyard/merchants';
import { AUTH_KINDS, AuthKind, AuthedRequest } from './auth.decorator';

/**
 * Global guard: every route declares who may call it (a route without @Auth is refused). A merchant key naming another
 * merchant in the path gets 404, exactly as for a merchant that does not exist, so nothing leaks across tenants.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kinds = this.reflector.getAllAndOverride<AuthKind[] | undefined>(AUTH_KINDS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!kinds) throw Errors.unauthorized();
    if (kinds.includes('public')) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers['api-key'];
    const presented = Array.isArray(header) ? header[0] : header;
    if (!presented) throw Errors.unauthorized();
    const auth = await this.apiKeys.authenticate(presented.trim());
    if (!auth) throw Errors.unauthorized();
    const pathMerchant = typeof req.params?.merchant_id === 'string' ? req.params.merchant_id : undefined;
    if (pathMerchant && auth.kind !== 'admin' && auth.merchantId !== pathMerchant) throw Errors.merchantNotFound();
    if (!kinds.includes(auth.kind)) {
      if (auth.kind === 'publishable') throw Errors.unauthorized();
      throw new DomainError(
        'AccessForbidden',
        'Access forbidden. Not authorized to access this resource with this key',
      );
    }
    req.auth = auth;
    return true;
  }
}
