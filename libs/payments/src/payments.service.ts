import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import {
  Clock,
  DomainError,
  Errors,
  currencyExponent,
  generateId,
  randomAlphanumeric,
  safeEqual,
} from '@switchyard/common';
import { ConnectorRegistry } from '@switchyard/connectors';
import { PaymentAttemptEntity, PaymentIntentEntity } from '@switchyard/database';
import { MerchantsService } from '@switchyard/merchants';
import { AttemptExecutor } from './attempt-executor.service';
import { CANCELLABLE_WITHOUT_CONNECTOR, CONFIRMABLE, needsSync } from './lifecycle/statuses';
import { toPaymentResponse } from './payment-response.mapper';
import { PaymentsRepository } from './payments.repository';
import { CardData } from './cards/card';
import { PaymentCaller, PaymentConfirmInput, PaymentCreateInput, PaymentMethodDataInput } from './payments.types';
import { AttemptStarter } from './routing/attempt-starter.service';
import type { AttemptStatus } from '@switchyard/connectors';

/** How long an unfinished payment is kept alive before the inquiry worker closes it. */
const PAYMENT_LIFETIME_MS = 24 * 3600 * 1000;

@Injectable()
export class PaymentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly merchants: MerchantsService,
    private readonly attempts: AttemptStarter,
    private readonly executor: AttemptExecutor,
    private readonly registry: ConnectorRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(caller: PaymentCaller, input: PaymentCreateInput): Promise<Record<string, unknown>> {
    const mode = this.secretKeyMode(caller);
    currencyExponent(input.currency);
    if (input.amountToCapture !== undefined && input.amountToCapture > input.amount) {
      throw Errors.invalidFormat('amount_to_capture', 'amount_to_capture lesser than amount');
    }
    if (
      input.amountToCapture !== undefined &&
      input.captureMethod === 'automatic' &&
      input.amountToCapture !== input.amount
    ) {
      throw new DomainError(
        'PreconditionFailed',
        'amount_to_capture must be equal to total_capturable_amount when capture_method = automatic',
      );
    }
    this.checkReturnUrl(mode, input.returnUrl);
    const card = this.cardOf(input.paymentMethodData, input.paymentMethod);
    const profile = input.profileId
      ? await this.merchants.profile(caller.merchantId, input.profileId)
      : await this.merchants.defaultProfile(caller.merchantId);
    const now = this.clock.now();
    const paymentId = input.paymentId ?? generateId('pay');
    const ttl = (input.sessionExpiry ?? this.config.CLIENT_SECRET_TTL_SECONDS) * 1000;
    const intent = Object.assign(new PaymentIntentEntity(), {
      paymentId,
      merchantId: caller.merchantId,
      profileId: profile.profileId,
      mode,
      status: input.paymentMethod || card ? 'requires_confirmation' : 'requires_payment_method',
      amount: input.amount,
      currency: input.currency,
      amountCapturable: 0,
      amountReceived: null,
      captureMethod: input.captureMethod,
      clientSecret: `${paymentId}_secret_${randomAlphanumeric(20)}`,
      clientSecretExpiresAt: new Date(now.getTime() + ttl),
      returnUrl: input.returnUrl ?? null,
      description: input.description ?? null,
      customerId: input.customerId ?? null,
      metadata: input.metadata ?? null,
      merchantOrderReferenceId: input.merchantOrderReferenceId ?? null,
      paymentMethod: card ? 'card' : (input.paymentMethod ?? null),
      paymentMethodType: input.paymentMethodType ?? null,
      authenticationType: input.authenticationType ?? null,
      paymentMethodData: card ? { card: card.summary } : null,
      routingHints:
        input.routing || input.connector
          ? { routing: input.routing ?? null, connector: input.connector ?? null }
          : null,
      activeAttemptId: null,
      attemptCount: 0,
      cancellationReason: null,
      expiresAt: new Date(now.getTime() + PAYMENT_LIFETIME_MS),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    const created = { eventType: 'payment_created', fromStatus: null, toStatus: intent.status, source: 'api' as const };
    if (!input.confirm) {
      await this.repo.insertIntent(intent, created);
      return toPaymentResponse(intent, null);
    }
    // Inserted together with its first attempt (one transaction for create+confirm).
    return this.attempts.start(
      intent,
      { routing: input.routing, connector: input.connector },
      { created, card, timing: caller.timing },
    );
  }

  async confirm(
    caller: PaymentCaller,
    paymentId: string,
    input: PaymentConfirmInput,
  ): Promise<Record<string, unknown>> {
    const intent = await this.findForCaller(caller, paymentId, input.clientSecret);
    if (!CONFIRMABLE.includes(intent.status as never)) {
      throw new DomainError(
        'PreconditionFailed',
        `You cannot confirm this payment because it has status ${intent.status}`,
      );
    }
    if (intent.clientSecretExpiresAt.getTime() <= this.clock.now().getTime() && caller.viaPublishableKey) {
      throw new DomainError('ClientSecretExpired', 'The provided client_secret has expired');
    }
    if (input.returnUrl) {
      this.checkReturnUrl(intent.mode, input.returnUrl);
      intent.returnUrl = input.returnUrl;
    }
    const card = this.cardOf(input.paymentMethodData, input.paymentMethod);
    if (!card && intent.paymentMethodData && 'card' in intent.paymentMethodData) {
      // Card numbers are never stored, so a card given on create must come again with the confirm.
      throw new DomainError(
        'MissingRequiredField',
        'Missing required param: payment_method_data.card (card data is not stored between create and confirm; send it with the confirm)',
      );
    }
    if (card) {
      intent.paymentMethod = 'card';
      intent.paymentMethodData = { card: card.summary };
    } else if (input.paymentMethod) intent.paymentMethod = input.paymentMethod;
    if (input.paymentMethodType) intent.paymentMethodType = input.paymentMethodType;
    if (input.authenticationType) intent.authenticationType = input.authenticationType;
    const stored = (intent.routingHints ?? {}) as PaymentConfirmInput;
    return this.attempts.start(
      intent,
      {
        routing: input.routing ?? stored.routing,
        connector: input.connector ?? stored.connector,
      },
      { card, timing: caller.timing },
    );
  }

  async retrieve(
    caller: PaymentCaller,
    paymentId: string,
    options: { forceSync?: boolean; expandAttempts?: boolean; clientSecret?: string },
  ): Promise<Record<string, unknown>> {
    let intent = await this.findForCaller(caller, paymentId, options.clientSecret);
    let attempt = intent.activeAttemptId
      ? await this.repo.findAttempt(intent.merchantId, intent.activeAttemptId)
      : null;
    if (options.forceSync && attempt && needsSync(attempt.status as AttemptStatus)) {
      ({ attempt, intent } = await this.executor.sync(attempt, 'sync', caller.timing));
    }
    const attempts = options.expandAttempts
      ? await this.repo.attemptsOf(intent.merchantId, intent.paymentId)
      : undefined;
    return toPaymentResponse(intent, attempt, { attempts });
  }

  async list(
    caller: PaymentCaller,
    filter: {
      customerId?: string;
      limit: number;
      createdGte?: Date;
      createdLte?: Date;
      startingAfter?: string;
      endingBefore?: string;
    },
  ): Promise<{ size: number; data: Record<string, unknown>[] }> {
    const mode = this.secretKeyMode(caller);
    let { createdGte, createdLte } = filter;
    if (filter.startingAfter)
      createdGte = (await this.repo.findIntent(caller.merchantId, filter.startingAfter, mode)).createdAt;
    if (filter.endingBefore)
      createdLte = (await this.repo.findIntent(caller.merchantId, filter.endingBefore, mode)).createdAt;
    const intents = await this.repo.list(caller.merchantId, mode, {
      customerId: filter.customerId,
      limit: filter.limit,
      createdGte,
      createdLte,
    });
    const attempts = await this.repo.activeAttempts(caller.merchantId, intents);
    const data = intents.map((i) =>
      toPaymentResponse(i, i.activeAttemptId ? (attempts.get(i.activeAttemptId) ?? null) : null),
    );
    return { size: data.length, data };
  }

  async cancel(caller: PaymentCaller, paymentId: string, reason: string | undefined): Promise<Record<string, unknown>> {
    const intent = await this.findForCaller(caller, paymentId);
    if (CANCELLABLE_WITHOUT_CONNECTOR.includes(intent.status as never)) {
      const updated = await this.repo.updateIntent(
        intent,
        { status: 'cancelled', cancellationReason: reason ?? null },
        {
          eventType: 'payment_cancelled',
          fromStatus: intent.status,
          toStatus: 'cancelled',
          source: 'api',
          details: { reason: reason ?? null },
        },
      );
      return toPaymentResponse(updated, null);
    }
    if (intent.status === 'requires_customer_action') {
      // The shopper may still be paying on the processor's page; cancelling here could lose a real charge.
      throw new DomainError(
        'PreconditionFailed',
        'You cannot cancel this payment because it has status requires_customer_action: the customer may still complete it on the connector page; it expires on its own',
      );
    }
    if (intent.status !== 'requires_capture' || !intent.activeAttemptId) {
      throw new DomainError(
        'PreconditionFailed',
        `You cannot cancel this payment because it has status ${intent.status}`,
      );
    }
    const attempt = await this.activeAttempt(intent);
    const connector = this.registry.get(attempt.connector);
    const syncReq = this.syncRequest(attempt);
    const { attempt: a, intent: i } = await this.executor.run(
      attempt,
      (ctx) => connector.void(ctx, syncReq),
      'api',
      'void_initiated',
      caller.timing,
    );
    return toPaymentResponse(i, a);
  }

  async capture(
    caller: PaymentCaller,
    paymentId: string,
    amountToCapture: number | undefined,
  ): Promise<Record<string, unknown>> {
    const intent = await this.findForCaller(caller, paymentId);
    if (intent.status !== 'requires_capture' || !intent.activeAttemptId) {
      throw Errors.unexpectedState('captured', 'payment.status', intent.status, [
        'requires_capture',
        'partially_captured_and_capturable',
      ]);
    }
    const attempt = await this.activeAttempt(intent);
    const amount = amountToCapture ?? attempt.amountCapturable;
    if (amount > attempt.amountCapturable)
      throw new DomainError('InvalidRequestData', 'amount_to_capture is greater than amount');
    const connector = this.registry.get(attempt.connector);
    if (amount < attempt.amountCapturable && !connector.features.partialCapture) {
      throw new DomainError('FlowNotSupported', `partial capture flow not supported by ${attempt.connector}`);
    }
    const req = { ...this.syncRequest(attempt), amountToCapture: amount };
    const { attempt: a, intent: i } = await this.executor.run(
      attempt,
      (ctx) => connector.capture(ctx, req),
      'api',
      'capture_initiated',
      caller.timing,
    );
    return toPaymentResponse(i, a);
  }

  private async findForCaller(
    caller: PaymentCaller,
    paymentId: string,
    clientSecret?: string,
  ): Promise<PaymentIntentEntity> {
    const intent = await this.repo.findIntent(caller.merchantId, paymentId, caller.mode ?? undefined);
    if (caller.viaPublishableKey) {
      if (!clientSecret) throw new DomainError('ClientSecretNotGiven', 'client_secret was not provided');
      if (!safeEqual(clientSecret, intent.clientSecret)) {
        throw new DomainError(
          'ClientSecretInvalid',
          'The client_secret provided does not match the client_secret associated with the Payment',
        );
      }
      if (intent.clientSecretExpiresAt.getTime() <= this.clock.now().getTime()) {
        throw new DomainError('ClientSecretExpired', 'The provided client_secret has expired');
      }
    }
    return intent;
  }

  private async activeAttempt(intent: PaymentIntentEntity): Promise<PaymentAttemptEntity> {
    const attempt = intent.activeAttemptId
      ? await this.repo.findAttempt(intent.merchantId, intent.activeAttemptId)
      : null;
    if (!attempt) throw Errors.paymentNotFound();
    return attempt;
  }

  private syncRequest(attempt: PaymentAttemptEntity) {
    return {
      attemptId: attempt.attemptId,
      connectorTransactionId: attempt.connectorTransactionId,
      amount: attempt.amount,
      currency: attempt.currency,
      captureMethod: attempt.captureMethod === 'manual' ? ('manual' as const) : ('automatic' as const),
    };
  }

  /**
   * The card of `payment_method_data`, validated (Luhn, network, expiry, CVC) before anything is stored or any processor
   * called; null without one. It lives in memory for this request only.
   */
  private cardOf(data: PaymentMethodDataInput | undefined, paymentMethod: string | undefined): CardData | null {
    if (!data?.card) return null;
    if (paymentMethod && paymentMethod !== 'card') {
      throw Errors.invalidFormat('payment_method', 'card when payment_method_data.card is given');
    }
    return CardData.parse(data.card, this.clock.now());
  }

  private secretKeyMode(caller: PaymentCaller) {
    if (caller.viaPublishableKey || !caller.mode) throw Errors.unauthorized();
    return caller.mode;
  }

  private checkReturnUrl(mode: string, returnUrl: string | undefined): void {
    if (returnUrl && mode === 'live' && !returnUrl.startsWith('https://')) {
      throw Errors.invalidFormat('return_url', 'an https URL in live mode');
    }
  }
}
