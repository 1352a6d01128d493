import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import type { Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DomainError, hmacHex } from '@switchyard/common';
import { IdempotencyService } from '@switchyard/payments';
import type { AuthedRequest } from './auth.decorator';
import { toErrorResponse } from './error-response';
import { assertInputLimits } from './input-limits';

const MAX_KEY_LENGTH = 255;

/**
 * `Idempotency-Key` on every POST: same key + same body → the stored response (errors included, 5xx excepted);
 * other body → 422; in flight → 409. Scoped per merchant (admin calls share one scope).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly fingerprintKey: Buffer;

  constructor(
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'API_KEY_HASH_SECRET'>,
  ) {
    // Keyed: a body may carry a card number, and a plain hash of a card number (10^6 candidates once BIN and last four
    // are known) is no protection at all.
    this.fingerprintKey = Buffer.from(`idempotency:${config.API_KEY_HASH_SECRET}`);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (req.method !== 'POST' || key === undefined) return next.handle();
    return from(this.run(context, req, key, next));
  }

  private async run(context: ExecutionContext, req: AuthedRequest, key: string, next: CallHandler): Promise<unknown> {
    if (!key.trim() || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
      throw new DomainError(
        'InvalidDataFormat',
        `Idempotency-Key contains invalid data. Expected format is 1 to ${MAX_KEY_LENGTH} visible ASCII characters`,
      );
    }
    assertInputLimits(req.body); // stableJson below is recursive
    const scope = req.auth?.kind === 'merchant' || req.auth?.kind === 'publishable' ? req.auth.merchantId : '__admin__';
    const fingerprint = hmacHex('sha256', this.fingerprintKey, `${req.method} ${req.path}\n${stableJson(req.body)}`);
    const res = context.switchToHttp().getResponse<Response>();
    const start = await this.idempotency.begin(scope, key, fingerprint);
    res.setHeader('idempotency-key', key);
    if (start.kind === 'replay') {
      res.setHeader('idempotent-replayed', 'true');
      res.status(start.status);
      return start.body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.idempotency.complete(scope, key, res.statusCode || 200, body ?? null);
      return body;
    } catch (error: unknown) {
      const mapped = toErrorResponse(error);
      // A server-side failure (500, or 503 when overloaded) is not the answer to this request: the key is freed so
      // the merchant's retry runs again instead of replaying the failure.
      if (mapped.status >= 500) await this.idempotency.release(scope, key);
      else await this.idempotency.complete(scope, key, mapped.status, mapped.body);
      throw error;
    }
  }
}

/** JSON with sorted keys, so the same body sent with another key order has the same fingerprint. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
