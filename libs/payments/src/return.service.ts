import { Injectable, Logger } from '@nestjs/common';
import { ConnectorTiming, hmacHex } from '@switchyard/common';
import { AttemptStatus, ConnectorRegistry } from '@switchyard/connectors';
import { MerchantsService, ConnectorAccountsService } from '@switchyard/merchants';
import { AttemptExecutor } from './attempt-executor.service';
import { needsSync } from './lifecycle/statuses';
import { PaymentsRepository } from './payments.repository';

export type ReturnOutcome =
  { kind: 'redirect'; location: string } | { kind: 'page'; status: string; paymentId: string; message: string };

/**
 * The shopper's way back from a processor page. Query and form values are NEVER trusted: whatever they say, the status
 * comes from a server-side inquiry, and the merchant's return_url gets a query signed with the profile's hash key.
 */
@Injectable()
export class ReturnService {
  private readonly logger = new Logger('ReturnService');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly executor: AttemptExecutor,
    private readonly registry: ConnectorRegistry,
    private readonly accounts: ConnectorAccountsService,
    private readonly merchants: MerchantsService,
  ) {}

  async handle(
    paymentId: string,
    merchantId: string,
    connectorName: string,
    query: Record<string, string>,
    body: Record<string, string>,
    timing?: ConnectorTiming,
  ): Promise<ReturnOutcome> {
    let intent = await this.repo.findIntent(merchantId, paymentId);
    let attempt = intent.activeAttemptId ? await this.repo.findAttempt(merchantId, intent.activeAttemptId) : null;
    if (attempt && attempt.connector === connectorName && this.registry.has(connectorName)) {
      const account = await this.accounts.get(merchantId, attempt.merchantConnectorId);
      const verification = this.registry
        .get(connectorName)
        .verifyReturn(this.accounts.context(account), { query, body });
      if (
        verification.connectorTransactionId &&
        attempt.connectorTransactionId &&
        verification.connectorTransactionId !== attempt.connectorTransactionId
      ) {
        this.logger.warn({ msg: 'return carried a foreign connector reference; ignored', paymentId });
      }
      if (needsSync(attempt.status as AttemptStatus)) {
        ({ attempt, intent } = await this.executor.sync(attempt, 'return', timing));
      }
    }
    const profile = await this.merchants.profile(merchantId, intent.profileId);
    const { merchant } = await this.merchants.get(merchantId);
    const target = intent.returnUrl ?? profile.returnUrl ?? merchant.returnUrl;
    if (!target) {
      return {
        kind: 'page',
        status: intent.status,
        paymentId,
        message: 'No return URL is configured for this payment.',
      };
    }
    const params: Record<string, string> = {
      status: intent.status,
      payment_id: intent.paymentId,
      payment_intent_client_secret: intent.clientSecret,
      amount: String(intent.amount),
      manual_retry_allowed: String(intent.status === 'failed'),
    };
    if (profile.enablePaymentResponseHash) {
      params.signature = signReturnParams(params, this.merchants.hashKeyOf(profile));
      params.signature_algorithm = 'HMAC-SHA512';
    }
    const url = new URL(target);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return { kind: 'redirect', location: url.toString() };
  }
}

/** Hyperswitch's redirect signature: HMAC-SHA512 (hex) over the query pairs sorted by key and joined `k=v&k=v`. */
export function signReturnParams(params: Record<string, string>, key: string): string {
  const message = Object.keys(params)
    .filter((k) => k !== 'signature' && k !== 'signature_algorithm')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return hmacHex('sha512', key, message);
}
