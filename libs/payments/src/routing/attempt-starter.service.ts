import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { ConnectorTiming, DomainError } from '@switchyard/common';
import { ConnectorPaymentResult, ConnectorRegistry, RawCard } from '@switchyard/connectors';
import { PaymentAttemptEntity, PaymentIntentEntity } from '@switchyard/database';
import { cascadeVerdict, RoutedAttempt } from '@switchyard/routing';
import { AttemptExecutor } from '../attempt-executor.service';
import { toPaymentResponse } from '../payment-response.mapper';
import { NewEvent, PaymentsRepository } from '../payments.repository';
import { PaymentConfirmInput } from '../payments.types';
import { CascadeState, ConnectorSelector } from './connector-selector';

/** Starts a payment's attempt on the routed connector, and cascades retryable refusals to the next one. */
@Injectable()
export class AttemptStarter {
  private readonly logger = new Logger('AttemptStarter');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly selector: ConnectorSelector,
    private readonly executor: AttemptExecutor,
    private readonly registry: ConnectorRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Routes, opens the attempt, calls the connector and applies its answer. `created` (create with confirm=true): the
   * intent is not in the database yet and is inserted with its first attempt, in one transaction. A definite failure the connector's
   * retryable-error table marks retryable moves to the next eligible connector within the profile's budget
   * (cascadeVerdict: never after the shopper saw a hosted page, never on an unknown outcome). The next attempt is opened
   * before the failed one is recorded, so the intent goes processing → processing (no payment_failed to the merchant in
   * between) and a crash between the two steps leaves a `started` attempt the inquiry sweeper picks up, not a stuck intent.
   */
  async start(
    intent: PaymentIntentEntity,
    hints: PaymentConfirmInput,
    { created, card = null, timing }: { created?: NewEvent; card?: RawCard | null; timing?: ConnectorTiming } = {},
  ): Promise<Record<string, unknown>> {
    const cascade: CascadeState = { tried: {}, retry: null, rawCard: card !== null };
    let routed: RoutedAttempt;
    try {
      routed = await this.selector.select(intent, hints, cascade);
    } catch (error: unknown) {
      // Not routable: the new payment is still created (requires_confirmation), as when it was inserted first.
      if (created) await this.repo.insertIntent(intent, created);
      throw error;
    }
    let current = intent;
    let retried: { attempt: PaymentAttemptEntity; result: ConnectorPaymentResult } | null = null;
    for (let retries = 0; ; retries++) {
      const { attempt, intent: opened } = await this.openAttempt(current, routed, retries === 0 ? created : undefined);
      // The attempt being retried is no longer active: its failure is recorded without moving the intent.
      if (retried) await this.executor.apply(retried.attempt, retried.result, 'api');
      const result = await this.authorize(current, attempt, routed.probe, card, timing);
      const verdict = cascadeVerdict(
        {
          status: result.status,
          connector: attempt.connector,
          redirectUrl: result.redirectUrl ?? null,
          errorCode: result.error?.code ?? null,
          unifiedCode: result.error?.unifiedCode ?? null,
        },
        retries,
        routed.maxCascadeRetries,
      );
      const next = verdict.cascade ? await this.nextRoute(current, hints, cascade, attempt, verdict.why) : null;
      if (!next) {
        const applied = await this.executor.apply(attempt, result, 'api', opened);
        return toPaymentResponse(applied.intent, applied.attempt);
      }
      retried = { attempt, result };
      routed = next;
      current = await this.repo.findIntent(current.merchantId, current.paymentId);
    }
  }

  /** The route for a cascading retry, or null when there is nowhere left to go (the failure then stands). */
  private async nextRoute(
    intent: PaymentIntentEntity,
    hints: PaymentConfirmInput,
    cascade: CascadeState,
    failed: PaymentAttemptEntity,
    reason: string,
  ): Promise<RoutedAttempt | null> {
    cascade.tried[failed.merchantConnectorId] = failed.attemptId;
    cascade.retry = { of: failed.attemptId, reason };
    try {
      const next = await this.selector.select({ ...intent, attemptCount: intent.attemptCount + 1 }, hints, cascade);
      this.logger.warn({
        msg: 'cascading retry',
        attemptId: failed.attemptId,
        reason,
        to: next.account.merchantConnectorId,
      });
      return next;
    } catch (error: unknown) {
      if (!(error instanceof DomainError && error.kind === 'NoEligibleConnector')) {
        this.logger.error({ msg: 'cascading retry not routed', attemptId: failed.attemptId, error: String(error) });
      }
      return null;
    }
  }

  private async openAttempt(
    intent: PaymentIntentEntity,
    { account, decision }: RoutedAttempt,
    created?: NewEvent,
  ): Promise<{ attempt: PaymentAttemptEntity; intent: PaymentIntentEntity }> {
    const attemptId = `${intent.paymentId}_${intent.attemptCount + 1}`;
    const attempt = Object.assign(new PaymentAttemptEntity(), {
      attemptId,
      paymentId: intent.paymentId,
      merchantId: intent.merchantId,
      status: 'started',
      amount: intent.amount,
      currency: intent.currency,
      amountCapturable: 0,
      amountReceived: 0,
      connector: account.connectorName,
      merchantConnectorId: account.merchantConnectorId,
      connectorTransactionId: null,
      captureMethod: intent.captureMethod,
      paymentMethod: intent.paymentMethod,
      authenticationType: intent.authenticationType,
      redirectUrl: null,
      errorCode: null,
      errorMessage: null,
      unifiedCode: null,
      unifiedMessage: null,
      routingDecision: decision,
      connectorMetadata: null,
      cancellationReason: null,
      syncCount: 0,
      version: 1,
    });
    const opened = await this.repo.startAttempt(
      intent,
      attempt,
      {
        returnUrl: intent.returnUrl,
        paymentMethod: intent.paymentMethod,
        paymentMethodType: intent.paymentMethodType,
        paymentMethodData: intent.paymentMethodData,
        authenticationType: intent.authenticationType,
      },
      created,
    );
    return { attempt, intent: opened };
  }

  /** The authorization call; its answer is applied by the caller (after deciding on a cascade). */
  private authorize(
    intent: PaymentIntentEntity,
    attempt: PaymentAttemptEntity,
    probe: string | null,
    card: RawCard | null,
    timing: ConnectorTiming | undefined,
  ): Promise<ConnectorPaymentResult> {
    const connector = this.registry.get(attempt.connector);
    const returnUrl = `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/payments/${encodeURIComponent(intent.paymentId)}/${encodeURIComponent(intent.merchantId)}/redirect/response/${attempt.connector}`;
    return this.executor.call(
      attempt,
      (ctx) =>
        connector.authorize(ctx, {
          paymentId: intent.paymentId,
          attemptId: attempt.attemptId,
          amount: intent.amount,
          currency: intent.currency,
          captureMethod: intent.captureMethod === 'manual' ? 'manual' : 'automatic',
          returnUrl,
          description: intent.description,
          merchantOrderReference: intent.merchantOrderReferenceId,
          customerId: intent.customerId,
          metadata: intent.metadata as Record<string, unknown> | null,
          card,
          authenticationType: authenticationTypeOf(intent.authenticationType),
        }),
      'pending',
      probe,
      timing,
    );
  }
}

function authenticationTypeOf(value: string | null): 'three_ds' | 'no_three_ds' | null {
  return value === 'three_ds' || value === 'no_three_ds' ? value : null;
}
