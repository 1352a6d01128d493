import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { Clock, ConnectorTiming, DomainError, generateId, isoTimestamp, safeEqual } from '@switchyard/common';
import type { KeyMode, PaymentIntentEntity } from '@switchyard/database';
import { MerchantsService } from '@switchyard/merchants';
import { paymentFacts, paymentLinkView, PaymentsRepository, PaymentsService } from '@switchyard/payments';
import { RoutingHints, RoutingService, ServableMethod } from '@switchyard/routing';
import { CheckoutRepository } from './checkout.repository';
import type { CheckoutAccess, CheckoutState, CheckoutView, PayOutcome } from './checkout.types';
import { resolveTheme } from './theme';

/** Statuses in which the shopper can still pick a method and pay. */
export const PAYABLE_STATUSES: readonly string[] = ['requires_payment_method', 'requires_confirmation'];
/** Longest a payment link (and so its client secret) may live. */
export const MAX_LINK_SECONDS = 7 * 86400;
/** The order methods are offered in. */
const METHOD_ORDER = ['card', 'upi', 'wallet', 'bank_redirect', 'pay_later', 'bank_transfer', 'reward'];
/** Compared against when the payment does not exist, so a wrong secret and an unknown payment cost the same. */
const NO_SECRET = 'pay_0000000000000000000000_secret_00000000000000000000';

/**
 * The hosted checkout: authorizes the shopper by client secret or payment link, builds what the page shows (amount,
 * merchant, theme, the methods routing can actually serve), and confirms through the same path as the publishable-key
 * API (`PaymentsService.confirm`), so routing, attempts and their one-at-a-time guard are the API's own.
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly repo: CheckoutRepository,
    private readonly payments: PaymentsService,
    private readonly paymentsRepo: PaymentsRepository,
    private readonly merchants: MerchantsService,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(access: CheckoutAccess): Promise<CheckoutView> {
    return this.view(await this.authorize(access));
  }

  async pay(access: CheckoutAccess, paymentMethod: string | undefined, timing?: ConnectorTiming): Promise<PayOutcome> {
    const intent = await this.authorize(access);
    if (!PAYABLE_STATUSES.includes(intent.status)) return { kind: 'show' };
    const view = await this.view(intent);
    if (!paymentMethod || !view.methods.some((m) => m.paymentMethod === paymentMethod)) {
      return { kind: 'invalid_method', view };
    }
    let response: Record<string, unknown>;
    try {
      response = await this.payments.confirm(
        { merchantId: intent.merchantId, mode: null, viaPublishableKey: true, timing },
        intent.paymentId,
        { clientSecret: intent.clientSecret, paymentMethod },
      );
    } catch (error: unknown) {
      // Another submit of this page got there first (the intent's version guard lets one attempt start): show it.
      if (error instanceof DomainError && error.kind === 'PreconditionFailed') return { kind: 'show' };
      throw error;
    }
    const next = (response.next_action as { redirect_to_url?: unknown } | null)?.redirect_to_url;
    return typeof next === 'string' ? { kind: 'redirect', location: next } : { kind: 'show' };
  }

  /**
   * A shareable link for a payment that still waits for the shopper. The client secret's expiry becomes the link's
   * (the page confirms with it); a new link replaces the previous one.
   */
  async createLink(
    caller: { merchantId: string; mode: KeyMode },
    paymentId: string,
    options: { sessionExpiry?: number; config?: Record<string, unknown> | null },
  ): Promise<Record<string, unknown>> {
    const intent = await this.paymentsRepo.findIntent(caller.merchantId, paymentId, caller.mode);
    const refuse = () =>
      new DomainError(
        'PreconditionFailed',
        `You cannot create a payment link for this payment because it has status ${intent.status}`,
      );
    if (!PAYABLE_STATUSES.includes(intent.status)) throw refuse();
    const seconds = Math.min(options.sessionExpiry ?? this.config.CLIENT_SECRET_TTL_SECONDS, MAX_LINK_SECONDS);
    const expiresAt = new Date(this.clock.now().getTime() + seconds * 1000);
    const paymentLinkId = generateId('plink', 32);
    const base = this.config.PUBLIC_BASE_URL.replace(/\/+$/, '');
    const link = {
      payment_link_id: paymentLinkId,
      link: `${base}/payment_link/${encodeURIComponent(caller.merchantId)}/${paymentLinkId}`,
      secure_link: null,
      expires_at: isoTimestamp(expiresAt),
      config: options.config ?? null,
    };
    const stored = await this.repo.setPaymentLink(caller.merchantId, paymentId, link, expiresAt, PAYABLE_STATUSES);
    if (!stored) throw refuse();
    return { payment_id: paymentId, merchant_id: caller.merchantId, ...paymentLinkView(link) };
  }

  /** The page with a sample payment and the profile's theme, for ops: the methods are what routing would offer. */
  async preview(
    merchantId: string,
    profileId: string,
    sample: { amount: number; currency: string; mode: KeyMode },
  ): Promise<CheckoutView> {
    const profile = await this.merchants.profile(merchantId, profileId);
    const { merchant } = await this.merchants.get(merchantId);
    const methods = await this.servable(merchantId, profileId, null, {
      paymentId: 'pay_preview',
      amount: sample.amount,
      currency: sample.currency,
      captureMethod: 'automatic',
      paymentMethod: null,
      paymentMethodType: null,
      country: null,
      metadata: {},
      mode: sample.mode,
    });
    return {
      paymentId: 'pay_preview',
      merchantId,
      status: 'requires_payment_method',
      state: 'payable',
      amount: sample.amount,
      currency: sample.currency,
      description: 'Sample order (preview)',
      merchantName: merchant.merchantName ?? merchantId,
      theme: resolveTheme(profile.theme),
      methods,
      selectedMethod: null,
      nextActionUrl: null,
      returnPath: null,
      expiresAt: new Date(this.clock.now().getTime() + this.config.CLIENT_SECRET_TTL_SECONDS * 1000),
      preview: true,
    };
  }

  private async authorize(access: CheckoutAccess): Promise<PaymentIntentEntity> {
    const now = this.clock.now().getTime();
    if (access.via === 'link') {
      const intent = await this.repo.intentForLink(access.merchantId, access.paymentLinkId);
      if (!intent) throw new DomainError('PaymentNotFound', 'This payment link does not exist');
      if (linkExpiry(intent) <= now) throw new DomainError('ClientSecretExpired', 'This payment link has expired');
      return intent;
    }
    if (!access.clientSecret) throw new DomainError('ClientSecretNotGiven', 'client_secret was not provided');
    const intent = await this.repo.intentForClientSecret(access.paymentId);
    const matches = safeEqual(access.clientSecret, intent?.clientSecret ?? NO_SECRET);
    if (!intent || !matches) {
      throw new DomainError(
        'ClientSecretInvalid',
        'The client_secret provided does not match the client_secret associated with the Payment',
      );
    }
    if (intent.clientSecretExpiresAt.getTime() <= now) {
      throw new DomainError('ClientSecretExpired', 'The provided client_secret has expired');
    }
    return intent;
  }

  private async view(intent: PaymentIntentEntity): Promise<CheckoutView> {
    const state = stateOf(intent.status);
    const [profile, { merchant }, attempt] = await Promise.all([
      this.merchants.profile(intent.merchantId, intent.profileId),
      this.merchants.get(intent.merchantId),
      this.repo.attempt(intent.merchantId, intent.activeAttemptId),
    ]);
    const methods =
      state === 'payable'
        ? await this.servable(intent.merchantId, intent.profileId, intent.routingHints as RoutingHints | null, {
            ...paymentFacts(intent),
            paymentMethod: null,
          })
        : [];
    const link = intent.paymentLink as { config?: object | null } | null;
    const hasReturnTarget = !!(intent.returnUrl ?? profile.returnUrl ?? merchant.returnUrl);
    return {
      paymentId: intent.paymentId,
      merchantId: intent.merchantId,
      status: intent.status,
      state,
      amount: intent.amount,
      currency: intent.currency,
      description: intent.description,
      merchantName: merchant.merchantName ?? intent.merchantId,
      theme: resolveTheme(profile.theme, link?.config ?? null),
      methods: intent.paymentMethod ? methods.filter((m) => m.paymentMethod === intent.paymentMethod) : methods,
      selectedMethod: intent.paymentMethod,
      nextActionUrl: state === 'action_required' ? (attempt?.redirectUrl ?? null) : null,
      returnPath:
        state === 'final' && attempt && hasReturnTarget
          ? `/payments/${encodeURIComponent(intent.paymentId)}/${encodeURIComponent(intent.merchantId)}/redirect/response/${encodeURIComponent(attempt.connector)}`
          : null,
      expiresAt: new Date(intent.paymentLink ? linkExpiry(intent) : intent.clientSecretExpiresAt.getTime()),
      preview: false,
    };
  }

  private async servable(
    merchantId: string,
    profileId: string,
    hints: RoutingHints | null,
    payment: Parameters<RoutingService['servablePaymentMethods']>[0]['payment'],
  ): Promise<ServableMethod[]> {
    const methods = await this.routing.servablePaymentMethods({ merchantId, profileId, payment, hints: hints ?? {} });
    const rank = (m: ServableMethod) => {
      const i = METHOD_ORDER.indexOf(m.paymentMethod);
      return i < 0 ? METHOD_ORDER.length : i;
    };
    return methods.sort((a, b) => rank(a) - rank(b) || a.paymentMethod.localeCompare(b.paymentMethod));
  }
}

export function stateOf(status: string): CheckoutState {
  if (PAYABLE_STATUSES.includes(status)) return 'payable';
  if (status === 'requires_customer_action') return 'action_required';
  if (status === 'processing') return 'processing';
  return 'final';
}

/** A link lives as long as its client secret; the stored expiry is checked too in case the two ever disagree. */
function linkExpiry(intent: PaymentIntentEntity): number {
  const stored = Date.parse(String((intent.paymentLink as { expires_at?: unknown } | null)?.expires_at ?? ''));
  const secret = intent.clientSecretExpiresAt.getTime();
  return Number.isNaN(stored) ? secret : Math.min(stored, secret);
}
