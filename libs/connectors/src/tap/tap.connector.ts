import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import { isKnownCurrency } from '@switchyard/common';
import { ConnectorHttpClient } from '../core/connector-http.client';
import {
  AuthorizeRequest,
  CaptureRequest,
  Connector,
  ConnectorAccountContext,
  ConnectorFeatures,
  ConnectorPaymentResult,
  ConnectorRefundResult,
  ConnectorOutcomeUnknownError,
  ConnectorRequestError,
  ParsedWebhook,
  RawCard,
  RefundRequest,
  RefundSyncRequest,
  ReturnRequest,
  ReturnVerification,
  SyncRequest,
  WebhookRequest,
} from '../core/connector.types';
import { connectorError } from '../core/unified-codes';
import { readCharge, readRefund } from './tap.responses';
import { captureResult, chargeResult, isTapId, refundResult, tapError, toTapAmount } from './tap.transformers';
import type { TapAccount, TapChargeRequest } from './tap.types';
import { parseTapWebhook, verifyTapWebhook } from './tap.webhooks';
import { baseUrlProblem } from '../core/account-validation';

const NAME = 'tap';
const DEFAULT_BASE_URL = 'https://api.tap.company';
/** How long an uncaptured authorization lives before Tap voids it on its own (hours, 1–168). */
const AUTO_VOID_HOURS = 168;

/**
 * Tap Payments (shared/connectors/tap.md, docs/connectors/tap.md): hosted page (`src_all`), charges or authorize + capture,
 * refunds, and `hashstring`-signed webhooks. Every create carries `reference.idempotent`, Tap's own guard against duplicate
 * charges, which also lets an inquiry learn the id of a charge whose create answer was lost.
 */
@Injectable()
export class TapConnector implements Connector {
  readonly name = NAME;
  readonly features: ConnectorFeatures = {
    manualCapture: true,
    partialCapture: true,
    refunds: true,
    partialRefunds: true,
    webhooks: true,
    currencies: ['AED', 'BHD', 'EGP', 'EUR', 'GBP', 'JOD', 'KWD', 'OMR', 'QAR', 'SAR', 'USD'],
    paymentMethods: ['card', 'wallet', 'bank_redirect'],
    rawCards: true,
  };

  constructor(
    private readonly http: ConnectorHttpClient,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'PUBLIC_BASE_URL'>,
  ) {}

  validateAccount(account: Pick<ConnectorAccountContext, 'credentials' | 'metadata' | 'mode'>): string | null {
    const { auth_type: authType, api_key: key } = account.credentials;
    if (authType !== undefined && authType !== 'HeaderKey')
      return 'connector_account_details.auth_type must be HeaderKey';
    if (!key) return 'connector_account_details.api_key (the Tap secret key) is required';
    const prefix = account.mode === 'live' ? 'sk_live_' : 'sk_test_';
    if (!key.startsWith(prefix) || key.length <= prefix.length) {
      return `connector_account_details.api_key must be a Tap ${prefix}… secret key for a ${account.mode}-mode account`;
    }
    const baseUrl = account.metadata.base_url;
    if (baseUrl === undefined) return null;
    return baseUrlProblem(baseUrl, account.mode);
  }

  supportsAmount(amount: number, currency: string): boolean {
    return isKnownCurrency(currency) && toTapAmount(amount, currency) !== null;
  }

  /** Tap has no token call: retrieving a charge that cannot exist answers 404 to a good key and 401 to a bad one. */
  async verifyCredentials(ctx: ConnectorAccountContext): Promise<void> {
    const res = await this.call(ctx, 'GET', '/v2/charges/chg_sy_credential_check');
    if (res.status === 404) return;
    readCharge(res, 'credential check');
  }

  /**
   * Hosted page (`src_all`), or for a card sent server to server: a single-use `tok_…` from `POST /v2/tokens`, then the
   * charge (or authorization) with that token as its source and `threeDSecure` from the payment's authentication_type.
   * An enrolled card then comes back INITIATED with the 3-D Secure page as `transaction.url`.
   */
  async authorize(ctx: ConnectorAccountContext, req: AuthorizeRequest): Promise<ConnectorPaymentResult> {
    const source = req.card ? await this.tokenize(ctx, req.card) : 'src_all';
    if (typeof source !== 'string') return source;
    const body = this.createBody(ctx, {
      source,
      threeDSecure: req.card ? req.authenticationType !== 'no_three_ds' : true,
      attemptId: req.attemptId,
      amount: req.amount,
      currency: req.currency,
      order: req.merchantOrderReference ?? req.paymentId,
      returnUrl: req.returnUrl,
      description: req.description,
      manual: req.captureMethod === 'manual',
      paymentId: req.paymentId,
    });
    const path = req.captureMethod === 'manual' ? '/v2/authorize' : '/v2/charges';
    return chargeResult(readCharge(await this.call(ctx, 'POST', path, body), 'create'));
  }

  /**
   * Inquiry. Without a transaction id (the create answer was lost) the create is re-issued with the same
   * `reference.idempotent`: Tap answers the charge it already made, or makes the one that never arrived.
   */
  async sync(ctx: ConnectorAccountContext, req: SyncRequest): Promise<ConnectorPaymentResult> {
    const id = req.connectorTransactionId;
    if (!id) return this.recreate(ctx, req);
    const path = id.startsWith('auth_')
      ? `/v2/authorize/${encodeURIComponent(id)}`
      : `/v2/charges/${encodeURIComponent(id)}`;
    const charge = readCharge(await this.call(ctx, 'GET', path), 'retrieve');
    if (charge.source?.id?.startsWith('auth_')) return captureResult(charge, req.amount);
    // The authorization was captured but the capture's answer was lost: the same idempotent capture names its charge.
    if (id.startsWith('auth_') && charge.status === 'CAPTURED') return this.captureCharge(ctx, req, id, req.amount);
    return chargeResult(charge);
  }

  /** Capture = a charge whose source is the authorization; its id replaces the auth id (refunds need a `chg_…`). */
  async capture(ctx: ConnectorAccountContext, req: CaptureRequest): Promise<ConnectorPaymentResult> {
    const id = req.connectorTransactionId;
    if (!id?.startsWith('auth_'))
      throw this.refused('NOT_AN_AUTHORIZATION', 'only an authorization (auth_…) can be captured');
    return this.captureCharge(ctx, req, id, req.amountToCapture);
  }

  async void(ctx: ConnectorAccountContext, req: SyncRequest): Promise<ConnectorPaymentResult> {
    const id = req.connectorTransactionId;
    if (!id?.startsWith('auth_'))
      throw this.refused('NOT_AN_AUTHORIZATION', 'only an authorization (auth_…) can be voided');
    return chargeResult(
      readCharge(await this.call(ctx, 'POST', `/v2/authorize/${encodeURIComponent(id)}/void`, {}), 'void'),
    );
  }

  async refund(ctx: ConnectorAccountContext, req: RefundRequest): Promise<ConnectorRefundResult> {
    if (!req.connectorTransactionId.startsWith('chg_')) {
      throw this.refused('NOT_A_CHARGE', 'only a captured charge (chg_…) can be refunded');
    }
    const res = await this.call(ctx, 'POST', '/v2/refunds', {
      charge_id: req.connectorTransactionId,
      amount: this.amount(req.amount, req.currency),
      currency: req.currency,
      reason: req.reason?.trim() || 'requested_by_customer',
      reference: { merchant: req.refundId },
      metadata: { refund_id: req.refundId, attempt_id: req.attemptId },
      post: { url: this.webhookUrl(ctx) },
    });
    return refundResult(readRefund(res, 'refund'));
  }

  async refundSync(ctx: ConnectorAccountContext, req: RefundSyncRequest): Promise<ConnectorRefundResult> {
    // Without Tap's refund id there is nothing to inquire, and re-issuing a refund could refund twice: stay pending.
    if (!req.connectorRefundId) return { status: 'pending' };
    const res = await this.call(ctx, 'GET', `/v2/refunds/${encodeURIComponent(req.connectorRefundId)}`);
    return refundResult(readRefund(res, 'refund retrieve'));
  }

  /** Tap appends `?tap_id=chg_…` to `redirect.url`, unsigned: it names the charge, it proves nothing. */
  verifyReturn(_ctx: ConnectorAccountContext, req: ReturnRequest): ReturnVerification {
    const tapId = req.query.tap_id ?? req.body.tap_id;
    return { signatureValid: false, connectorTransactionId: isTapId(tapId) ? tapId : null };
  }

  /** Tap signs with the merchant's secret API key; the scheme has no timestamp (replays are absorbed by dedup). */
  verifyWebhook(ctx: ConnectorAccountContext, req: WebhookRequest): boolean {
    return verifyTapWebhook(ctx.credentials.api_key ?? '', req.headers, req.rawBody);
  }

  parseWebhook(_ctx: ConnectorAccountContext, req: WebhookRequest): ParsedWebhook | null {
    return parseTapWebhook(req.rawBody);
  }

  private async recreate(ctx: ConnectorAccountContext, req: SyncRequest): Promise<ConnectorPaymentResult> {
    const paymentId = paymentIdOf(req.attemptId);
    const body = this.createBody(ctx, {
      // A lost card charge cannot be re-sent (the token was single-use and is not kept): if Tap never received it,
      // this makes a hosted-page charge nobody pays, which ends abandoned and fails the payment; nothing is charged twice.
      source: 'src_all',
      threeDSecure: true,
      attemptId: req.attemptId,
      amount: req.amount,
      currency: req.currency,
      order: paymentId,
      returnUrl: `${this.publicBase()}/payments/${encodeURIComponent(paymentId)}/${encodeURIComponent(ctx.merchantId)}/redirect/response/${NAME}`,
      description: null,
      manual: req.captureMethod === 'manual',
      paymentId,
    });
    const path = req.captureMethod === 'manual' ? '/v2/authorize' : '/v2/charges';
    return chargeResult(readCharge(await this.call(ctx, 'POST', path, body), 'idempotent re-create'));
  }

  private async captureCharge(
    ctx: ConnectorAccountContext,
    req: SyncRequest,
    authId: string,
    amount: number,
  ): Promise<ConnectorPaymentResult> {
    const res = await this.call(ctx, 'POST', '/v2/charges', {
      amount: this.amount(amount, req.currency),
      currency: req.currency,
      threeDSecure: false,
      save_card: false,
      customer_initiated: false,
      metadata: { attempt_id: req.attemptId },
      reference: {
        transaction: req.attemptId,
        order: paymentIdOf(req.attemptId),
        idempotent: `${req.attemptId}_capture`,
      },
      source: { id: authId },
    });
    return captureResult(readCharge(res, 'capture'), req.amount);
  }

  private createBody(
    ctx: ConnectorAccountContext,
    p: {
      source: string;
      threeDSecure: boolean;
      attemptId: string;
      paymentId: string;
      amount: number;
      currency: string;
      order: string;
      returnUrl: string;
      description: string | null;
      manual: boolean;
    },
  ): TapChargeRequest {
    return {
      amount: this.amount(p.amount, p.currency),
      currency: p.currency,
      threeDSecure: p.threeDSecure,
      save_card: false,
      customer_initiated: true,
      ...(p.description ? { description: p.description.slice(0, 255) } : {}),
      metadata: { payment_id: p.paymentId, attempt_id: p.attemptId },
      reference: { transaction: p.attemptId, order: p.order, idempotent: p.attemptId },
      source: { id: p.source },
      post: { url: this.webhookUrl(ctx) },
      redirect: { url: p.returnUrl },
      ...(p.manual ? { auto: { type: 'VOID' as const, time: AUTO_VOID_HOURS } } : {}),
    };
  }

  /**
   * `POST /v2/tokens` with the card. A refusal fails the attempt with Tap's error (nothing was charged); a timeout or a
   * 5xx here is a definite failure too, since a token is not a charge, so routing may safely try elsewhere.
   */
  private async tokenize(ctx: ConnectorAccountContext, card: RawCard): Promise<string | ConnectorPaymentResult> {
    let res;
    try {
      res = await this.call(ctx, 'POST', '/v2/tokens', {
        card: {
          number: card.number,
          exp_month: Number(card.expMonth),
          exp_year: Number(card.expYear.slice(-2)),
          cvc: card.cvc,
          ...(card.holderName ? { name: card.holderName } : {}),
        },
      });
    } catch (error: unknown) {
      if (!(error instanceof ConnectorOutcomeUnknownError)) throw error;
      throw this.tokenUnavailable(`card tokenization failed: ${error.reason}`);
    }
    const body = res.body as { id?: unknown } | undefined;
    if (res.status >= 400 && res.status < 500) {
      return {
        status: 'failure',
        error: tapError(res.body, res.status),
        rawStatus: `token refused: HTTP ${res.status}`,
      };
    }
    if (res.status < 200 || res.status > 299 || typeof body?.id !== 'string' || !body.id.startsWith('tok_')) {
      throw this.tokenUnavailable(`card tokenization answered HTTP ${res.status} without a token`);
    }
    return body.id;
  }

  private amount(minor: number, currency: string): number {
    const amount = toTapAmount(minor, currency);
    if (amount === null)
      throw this.refused('AMOUNT_NOT_REPRESENTABLE', `${currency} ${minor} cannot be sent to Tap exactly`);
    return amount;
  }

  private call(ctx: ConnectorAccountContext, method: 'GET' | 'POST', path: string, json?: unknown) {
    const account = this.account(ctx);
    return this.http.send({
      connector: NAME,
      method,
      url: `${account.baseUrl}${path}`,
      headers: { authorization: `Bearer ${account.secretKey}` },
      json,
    });
  }

  private account(ctx: ConnectorAccountContext): TapAccount {
    const baseUrl = typeof ctx.metadata.base_url === 'string' ? ctx.metadata.base_url : DEFAULT_BASE_URL;
    return { secretKey: ctx.credentials.api_key, baseUrl: baseUrl.replace(/\/+$/, '') };
  }

  private publicBase(): string {
    return this.config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  }

  /** Tap posts to the URL given per charge/refund (`post.url`): our webhook route for this account. */
  private webhookUrl(ctx: ConnectorAccountContext): string {
    return `${this.publicBase()}/webhooks/${encodeURIComponent(ctx.merchantId)}/${encodeURIComponent(ctx.merchantConnectorId)}`;
  }

  /** No token came back: a definite refusal of this attempt (nothing was charged), not an unknown outcome. */
  private tokenUnavailable(message: string): ConnectorRequestError {
    return new ConnectorRequestError(NAME, connectorError('TOKEN_UNAVAILABLE', message, 'processorError'), 503);
  }

  private refused(code: string, message: string): ConnectorRequestError {
    return new ConnectorRequestError(NAME, connectorError(code, message, 'invalidRequest'), 400);
  }
}

/** The engine names attempts `<payment_id>_<n>`; only the idempotent re-create (which has no payment id) needs this. */
function paymentIdOf(attemptId: string): string {
  return attemptId.replace(/_\d+$/, '');
}
