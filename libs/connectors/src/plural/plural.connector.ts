import { Injectable } from '@nestjs/common';
import { sha256Hex } from '@switchyard/common';
import { AccessTokenCache } from '../core/access-token.cache';
import { ConnectorHttpClient } from '../core/connector-http.client';
import {
  type AuthorizeRequest,
  type CaptureRequest,
  type Connector,
  type ConnectorAccountContext,
  type ConnectorFeatures,
  ConnectorOutcomeUnknownError,
  type ConnectorPaymentResult,
  type ConnectorRefundResult,
  ConnectorRequestError,
  type ParsedWebhook,
  type RawCard,
  type RefundRequest,
  type RefundSyncRequest,
  type ReturnRequest,
  type ReturnVerification,
  type SyncRequest,
  type WebhookRequest,
} from '../core/connector.types';
import { connectorError } from '../core/unified-codes';
import { pluralAccountProblem } from './plural.account';
import { PLURAL_NAME as NAME, PluralClient } from './plural.client';
import { verifyReturnSignature, verifyStandardWebhook } from './plural.signatures';
import {
  errorFromBody,
  isOrderStatus,
  isRefundStatus,
  mapOrderStatus,
  mapRefundStatus,
  orderResult,
  PLURAL_CURRENCIES,
  PLURAL_REFERENCE,
  toPluralAmount,
} from './plural.transformers';
import type {
  PluralAmount,
  PluralCreateOrderBody,
  PluralCreateOrderResponse,
  PluralOrder,
  PluralSeamlessOrderBody,
} from './plural.types';
import { parsePluralWebhook } from './plural.webhooks';

/**
 * Plural (Pine Labs Online, API v3) hosted checkout: shared/connectors/plural.md. Redirect-only: the order is created here, the
 * shopper pays on Plural's page, and the outcome is proven by inquiry or by a Standard Webhooks delivery, never by the return.
 */
@Injectable()
export class PluralConnector implements Connector {
  readonly name = NAME;
  readonly features: ConnectorFeatures = {
    manualCapture: true,
    partialCapture: true,
    refunds: true,
    partialRefunds: true,
    webhooks: true,
    currencies: PLURAL_CURRENCIES,
    // CARD (+ CREDIT_EMI, DEBIT_EMI), UPI, NETBANKING, WALLET, BNPL, POINTS, all offered on the hosted page.
    paymentMethods: ['card', 'upi', 'bank_redirect', 'wallet', 'pay_later', 'reward'],
    // Seamless orders: `POST /api/pay/v1/orders` + `/payments` with `card_details` (PCI merchants).
    rawCards: true,
  };

  private readonly client: PluralClient;

  constructor(http: ConnectorHttpClient, tokens: AccessTokenCache) {
    this.client = new PluralClient(http, tokens);
  }

  validateAccount(account: Pick<ConnectorAccountContext, 'credentials' | 'metadata' | 'mode'>): string | null {
    return pluralAccountProblem(account);
  }

  supportsAmount(amount: number, currency: string): boolean {
    return toPluralAmount(amount, currency) !== null;
  }

  /**
   * Token call (the cache key covers the credentials, so new ones always fetch a token) plus an inquiry of a reference
   * that cannot exist: 404 proves the token is accepted; a refused token or a second 401 throws ConnectorRequestError.
   */
  async verifyCredentials(ctx: ConnectorAccountContext): Promise<void> {
    const res = await this.client.send(ctx, {
      method: 'GET',
      path: '/api/pay/v1/orders/reference/sy_credential_check',
    });
    this.client.readBody(res, 'credential check');
  }

  async authorize(ctx: ConnectorAccountContext, req: AuthorizeRequest): Promise<ConnectorPaymentResult> {
    if (!PLURAL_REFERENCE.test(req.attemptId)) {
      throw this.refused(
        'INVALID_REFERENCE',
        'attempt id is not a valid merchant_order_reference (1-50 of A-Za-z0-9_-)',
      );
    }
    const amount = toPluralAmount(req.amount, req.currency);
    if (!amount) throw this.refused('AMOUNT_NOT_SUPPORTED', 'Plural takes INR between 100 and 100000000 paise');
    if (req.card) return this.cardPayment(ctx, req, req.card, amount);
    const body: PluralCreateOrderBody = {
      merchant_order_reference: req.attemptId,
      order_amount: amount,
      integration_mode: 'REDIRECT',
      pre_auth: req.captureMethod === 'manual',
      callback_url: req.returnUrl,
      purchase_details: { merchant_metadata: { payment_id: req.paymentId } },
    };
    const res = await this.client.send(ctx, { method: 'POST', path: '/api/checkout/v1/orders', json: body });
    const answer = this.client.readBody(res, 'create order') as PluralCreateOrderResponse | null;
    if (!answer) {
      return { status: 'failure', error: errorFromBody(res.status, res.body), rawStatus: `HTTP ${res.status}` };
    }
    const { order_id: orderId, redirect_url: redirectUrl, response_code: code } = answer;
    if (Number(code) !== 200 || typeof orderId !== 'string' || typeof redirectUrl !== 'string' || !orderId) {
      throw new ConnectorOutcomeUnknownError(
        NAME,
        'create order answered without response_code 200, order_id and redirect_url',
      );
    }
    return { status: 'authentication_pending', connectorTransactionId: orderId, redirectUrl, rawStatus: 'CREATED' };
  }

  /**
   * A card sent server to server: a seamless order (its merchant_order_reference is the attempt id, so a repeat returns
   * the same order and an inquiry by reference finds it), then the card payment on it. When the card needs 3-D Secure
   * the answer carries `challenge_url`, where the shopper is sent; the outcome then comes by inquiry or webhook.
   */
  private async cardPayment(
    ctx: ConnectorAccountContext,
    req: AuthorizeRequest,
    card: RawCard,
    amount: PluralAmount,
  ): Promise<ConnectorPaymentResult> {
    const orderBody: PluralSeamlessOrderBody = {
      merchant_order_reference: req.attemptId,
      order_amount: amount,
      pre_auth: req.captureMethod === 'manual',
      callback_url: req.returnUrl,
      purchase_details: { merchant_metadata: { payment_id: req.paymentId } },
    };
    const created = await this.client.send(ctx, { method: 'POST', path: '/api/pay/v1/orders', json: orderBody });
    const order = this.client.orderOf(created, 'create seamless order');
    if (!order) {
      return {
        status: 'failure',
        error: errorFromBody(created.status, created.body),
        rawStatus: `HTTP ${created.status}`,
      };
    }
    if (typeof order.order_id !== 'string' || !order.order_id) {
      throw new ConnectorOutcomeUnknownError(NAME, 'create seamless order answered without order_id');
    }
    const orderId = order.order_id;
    const paid = await this.client.send(ctx, {
      method: 'POST',
      path: `/api/pay/v1/orders/${encodeURIComponent(orderId)}/payments`,
      json: {
        payments: [
          {
            merchant_payment_reference: req.attemptId,
            payment_method: 'CARD',
            payment_amount: amount,
            payment_option: {
              card_details: {
                name: card.holderName ?? '',
                card_number: card.number,
                cvv: card.cvc,
                expiry_month: card.expMonth,
                expiry_year: card.expYear,
              },
            },
          },
        ],
      },
    });
    const answer = this.client.orderOf(paid, 'card payment');
    if (!answer) {
      const error = errorFromBody(paid.status, paid.body);
      return { status: 'failure', connectorTransactionId: orderId, error, rawStatus: `HTTP ${paid.status}` };
    }
    if (!isOrderStatus(answer.status))
      throw new ConnectorOutcomeUnknownError(NAME, 'card payment answered an unknown status');
    const challenge = (answer as { challenge_url?: unknown }).challenge_url;
    if (
      typeof challenge === 'string' &&
      /^https?:\/\//.test(challenge) &&
      mapOrderStatus(answer.status, true) === 'authentication_pending'
    ) {
      return {
        status: 'authentication_pending',
        connectorTransactionId: orderId,
        redirectUrl: challenge,
        rawStatus: answer.status,
      };
    }
    return { ...orderResult(answer, answer.status, false), connectorTransactionId: orderId };
  }

  async sync(ctx: ConnectorAccountContext, req: SyncRequest): Promise<ConnectorPaymentResult> {
    // Without an order id the create answer was lost; the attempt id is the order's merchant_order_reference, so ask by it.
    const byReference = !req.connectorTransactionId;
    const path = byReference
      ? `/api/pay/v1/orders/reference/${encodeURIComponent(req.attemptId)}`
      : `/api/pay/v1/orders/${encodeURIComponent(req.connectorTransactionId ?? '')}`;
    const res = await this.client.send(ctx, { method: 'GET', path });
    const order = this.client.orderOf(res, 'inquiry');
    if (!order) {
      if (byReference && res.status === 404) return { status: 'pending', rawStatus: 'ORDER_NOT_FOUND' };
      throw new ConnectorRequestError(NAME, errorFromBody(res.status, res.body), res.status);
    }
    if (typeof order.merchant_order_reference === 'string' && order.merchant_order_reference !== req.attemptId) {
      throw new ConnectorOutcomeUnknownError(NAME, 'inquiry answered an order of another reference');
    }
    if (!isOrderStatus(order.status)) {
      throw new ConnectorOutcomeUnknownError(NAME, 'inquiry answered an unknown status');
    }
    return orderResult(order, order.status, !byReference);
  }

  async capture(ctx: ConnectorAccountContext, req: CaptureRequest): Promise<ConnectorPaymentResult> {
    const orderId = this.orderIdOf(req);
    const amount = { value: req.amountToCapture, currency: req.currency };
    if (!Number.isSafeInteger(amount.value) || amount.value <= 0) {
      throw this.refused('INVALID_AMOUNT', 'capture amount');
    }
    const reference = PLURAL_REFERENCE.test(`${req.attemptId}_cap`)
      ? `${req.attemptId}_cap`
      : `cap_${sha256Hex(req.attemptId).slice(0, 40)}`;
    const res = await this.client.send(ctx, {
      method: 'PUT',
      path: `/api/pay/v1/orders/${encodeURIComponent(orderId)}/capture`,
      json: { merchant_capture_reference: reference, capture_amount: amount },
    });
    const order = this.client.orderOf(res, 'capture');
    if (!order) throw new ConnectorRequestError(NAME, errorFromBody(res.status, res.body), res.status);
    if (!isOrderStatus(order.status)) {
      throw new ConnectorOutcomeUnknownError(NAME, 'capture answered an unknown status');
    }
    const result = orderResult(order, order.status, true);
    if (result.status === 'charged' && result.amountCaptured == null) {
      // No capture record in the answer: what was captured is what we asked for.
      result.amountCaptured = req.amountToCapture;
      if (req.amountToCapture < req.amount) result.status = 'partial_charged';
    }
    // Not final yet (or refused after the fact): the inquiry worker follows a capture_initiated attempt to its end.
    if (result.status === 'authorized' || result.status === 'pending' || result.status === 'authentication_pending') {
      return { ...result, status: 'capture_initiated' };
    }
    return result.status === 'failure' ? { ...result, status: 'capture_failed' } : result;
  }

  async void(ctx: ConnectorAccountContext, req: SyncRequest): Promise<ConnectorPaymentResult> {
    const orderId = this.orderIdOf(req);
    const res = await this.client.send(ctx, {
      method: 'PUT',
      path: `/api/pay/v1/orders/${encodeURIComponent(orderId)}/cancel`,
    });
    const order = this.client.orderOf(res, 'cancel');
    if (!order) throw new ConnectorRequestError(NAME, errorFromBody(res.status, res.body), res.status);
    if (!isOrderStatus(order.status)) throw new ConnectorOutcomeUnknownError(NAME, 'cancel answered an unknown status');
    const result = orderResult(order, order.status, true);
    return result.status === 'authorized' ? { ...result, status: 'void_initiated' } : result;
  }

  async refund(ctx: ConnectorAccountContext, req: RefundRequest): Promise<ConnectorRefundResult> {
    if (!PLURAL_REFERENCE.test(req.refundId)) {
      throw this.refused('INVALID_REFERENCE', 'refund id is not a valid reference');
    }
    if (!PLURAL_CURRENCIES.includes(req.currency) || !Number.isSafeInteger(req.amount) || req.amount < 100) {
      throw this.refused('AMOUNT_NOT_SUPPORTED', 'Plural refunds are at least 100 paise of INR');
    }
    const res = await this.client.send(ctx, {
      method: 'POST',
      path: `/api/pay/v1/refunds/${encodeURIComponent(req.connectorTransactionId)}`,
      json: {
        merchant_order_reference: req.refundId,
        order_amount: { value: req.amount, currency: req.currency },
        merchant_metadata: {},
      },
    });
    const order = this.client.orderOf(res, 'refund');
    if (!order) {
      const error = errorFromBody(res.status, res.body);
      // The reference already exists at Plural: a retry of this very refund. Its state is what the inquiry says.
      if (error.code === 'DUPLICATE_REQUEST') return this.refundSync(ctx, { ...req, connectorRefundId: null });
      return { status: 'failed', error, rawStatus: `HTTP ${res.status}` };
    }
    return this.refundResult(order, 'refund');
  }

  async refundSync(ctx: ConnectorAccountContext, req: RefundSyncRequest): Promise<ConnectorRefundResult> {
    const res = await this.client.send(ctx, {
      method: 'GET',
      path: `/api/pay/v1/orders/reference/${encodeURIComponent(req.refundId)}`,
    });
    const order = this.client.orderOf(res, 'refund inquiry');
    if (!order) {
      // Not found may be a refund whose create is still in flight: never a guess, keep it pending.
      if (res.status === 404) {
        return { status: 'pending', connectorRefundId: req.connectorRefundId, rawStatus: 'ORDER_NOT_FOUND' };
      }
      throw new ConnectorRequestError(NAME, errorFromBody(res.status, res.body), res.status);
    }
    return this.refundResult(order, 'refund inquiry');
  }

  /** Reports the callback form's signature; the engine inquires whatever it says. */
  verifyReturn(ctx: ConnectorAccountContext, req: ReturnRequest): ReturnVerification {
    const fields = req.body.signature !== undefined || req.body.order_id !== undefined ? req.body : req.query;
    const secretHex = ctx.credentials.api_secret;
    return {
      signatureValid: !!secretHex && verifyReturnSignature(fields, secretHex),
      connectorTransactionId: fields.order_id || null,
    };
  }

  verifyWebhook(ctx: ConnectorAccountContext, req: WebhookRequest): boolean {
    // Pine Labs signs with the merchant secret, which is the client_secret in practice unless the account names another.
    const secret = ctx.webhookSecret || ctx.credentials.key1 || '';
    return verifyStandardWebhook(secret, req.headers, req.rawBody, req.now);
  }

  parseWebhook(_ctx: ConnectorAccountContext, req: WebhookRequest): ParsedWebhook | null {
    const eventId = req.headers['webhook-id'];
    return eventId ? parsePluralWebhook(eventId, req.rawBody) : null;
  }

  private refundResult(order: PluralOrder, what: string): ConnectorRefundResult {
    if (!isRefundStatus(order.status)) {
      throw new ConnectorOutcomeUnknownError(NAME, `${what} answered an unknown status`);
    }
    const status = mapRefundStatus(order.status);
    return {
      status,
      connectorRefundId: typeof order.order_id === 'string' ? order.order_id : null,
      rawStatus: order.status,
      error: status === 'failed' ? connectorError('REFUND_FAILED', 'Refund failed at Plural', 'processorError') : null,
    };
  }

  private orderIdOf(req: SyncRequest): string {
    if (!req.connectorTransactionId) throw this.refused('NO_ORDER', 'the attempt has no Plural order id');
    return req.connectorTransactionId;
  }

  private refused(code: string, message: string): ConnectorRequestError {
    return new ConnectorRequestError(NAME, connectorError(code, message, 'invalidRequest'), 400);
  }
}
