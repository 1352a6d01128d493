import { Injectable } from '@nestjs/common';
import { isKnownCurrency, sha256Hex } from '@switchyard/common';
import { AccessTokenCache } from '../core/access-token.cache';
import { ConnectorHttpClient, ConnectorHttpResponse } from '../core/connector-http.client';
import {
  AuthorizeRequest,
  CaptureRequest,
  Connector,
  ConnectorAccountContext,
  ConnectorFeatures,
  ConnectorOutcomeUnknownError,
  ConnectorPaymentResult,
  ConnectorRefundResult,
  ConnectorRequestError,
  RefundRequest,
  RefundSyncRequest,
  ReturnRequest,
  ReturnVerification,
  SyncRequest,
} from '../core/connector.types';
import { connectorError } from '../core/unified-codes';
import {
  envelopeData,
  envelopeErrorText,
  fromGenericAmount,
  isKnownPaymentStatus,
  isKnownRefundStatus,
  mapPaymentStatus,
  mapRefundStatus,
  paymentStatusError,
  toGenericAmount,
} from './generic.transformers';
import type {
  GenericCreateData,
  GenericCredentials,
  GenericRefundData,
  GenericStatusData,
  GenericTokenData,
} from './generic.types';
import { baseUrlProblem } from '../core/account-validation';

const NAME = 'generic';

/**
 * Client-id/secret-id hosted-payment gateway (shared/connectors/generic.md). It publishes no webhooks and no return
 * signature, so the server-side status check is the only proof of payment and polling is its primary completion path.
 */
@Injectable()
export class GenericConnector implements Connector {
  readonly name = NAME;
  readonly features: ConnectorFeatures = {
    manualCapture: false,
    partialCapture: false,
    refunds: true,
    partialRefunds: true,
    webhooks: false,
    currencies: '*',
    paymentMethods: ['card', 'wallet', 'bank_redirect'],
    rawCards: false,
  };

  constructor(
    private readonly http: ConnectorHttpClient,
    private readonly tokens: AccessTokenCache,
  ) {}

  validateAccount(account: Pick<ConnectorAccountContext, 'credentials' | 'metadata' | 'mode'>): string | null {
    if (!account.credentials.api_key) return 'connector_account_details.api_key (the client_id) is required';
    if (!account.credentials.key1) return 'connector_account_details.key1 (the secret_id) is required';
    const baseUrl = account.metadata.base_url;
    if (typeof baseUrl !== 'string') return 'metadata.base_url is required for the generic connector';
    return baseUrlProblem(baseUrl, account.mode);
  }

  supportsAmount(amount: number, currency: string): boolean {
    return isKnownCurrency(currency) && toGenericAmount(amount, currency) !== null;
  }

  async authorize(ctx: ConnectorAccountContext, req: AuthorizeRequest): Promise<ConnectorPaymentResult> {
    if (req.card) {
      // Routing never sends raw cards here (features.rawCards is false); refuse rather than drop the card silently.
      throw new ConnectorRequestError(
        NAME,
        connectorError('FLOW_NOT_SUPPORTED', 'raw card data is not supported', 'invalidRequest'),
        400,
      );
    }
    if (req.captureMethod !== 'automatic') {
      throw new ConnectorRequestError(
        NAME,
        connectorError('FLOW_NOT_SUPPORTED', 'manual capture is not supported', 'invalidRequest'),
        400,
      );
    }
    const amount = toGenericAmount(req.amount, req.currency);
    if (amount === null) {
      throw new ConnectorRequestError(
        NAME,
        connectorError(
          'AMOUNT_NOT_REPRESENTABLE',
          `${req.currency} amount cannot be sent with 2 decimals exactly`,
          'invalidRequest',
        ),
        400,
      );
    }
    const res = await this.authed(ctx, (headers, base) => ({
      connector: NAME,
      method: 'POST',
      url: `${base}/payment/create`,
      headers,
      json: {
        amount,
        currency: req.currency,
        return_url: req.returnUrl,
        cancel_url: req.returnUrl,
        custom: req.attemptId,
      },
    }));
    const data = this.successData<GenericCreateData>(res, 'create payment');
    if (!data) {
      return {
        status: 'failure',
        error: connectorError(`HTTP_${res.status}`, envelopeErrorText(res.body), 'invalidRequest'),
      };
    }
    if (typeof data.token !== 'string' || typeof data.payment_url !== 'string') {
      throw new ConnectorOutcomeUnknownError(NAME, 'create payment answered without token or payment_url');
    }
    return { status: 'authentication_pending', connectorTransactionId: data.token, redirectUrl: data.payment_url };
  }

  async sync(ctx: ConnectorAccountContext, req: SyncRequest): Promise<ConnectorPaymentResult> {
    if (!req.connectorTransactionId) {
      // The create call never answered: no token, so the shopper never got a payment page and nothing can be inquired.
      return { status: 'pending', rawStatus: null };
    }
    const token = req.connectorTransactionId;
    const res = await this.authed(ctx, (headers, base) => ({
      connector: NAME,
      method: 'GET',
      url: `${base}/payment/status/${encodeURIComponent(token)}`,
      headers,
    }));
    if (res.status === 404) throw this.notFound('payment');
    const data = this.successData<GenericStatusData>(res, 'payment status');
    if (!data || !isKnownPaymentStatus(data.status)) {
      throw new ConnectorOutcomeUnknownError(NAME, `payment status answered HTTP ${res.status} without a known status`);
    }
    return {
      status: mapPaymentStatus(data.status, true),
      connectorTransactionId: data.token ?? token,
      amount: typeof data.amount === 'string' ? fromGenericAmount(data.amount, data.currency ?? req.currency) : null,
      currency: data.currency ?? null,
      error: paymentStatusError(data.status),
      rawStatus: data.status,
    };
  }

  capture(_ctx: ConnectorAccountContext, _req: CaptureRequest): Promise<ConnectorPaymentResult> {
    return Promise.reject(this.unsupported('capture'));
  }

  void(_ctx: ConnectorAccountContext, _req: SyncRequest): Promise<ConnectorPaymentResult> {
    return Promise.reject(this.unsupported('void'));
  }

  async refund(ctx: ConnectorAccountContext, req: RefundRequest): Promise<ConnectorRefundResult> {
    const amount = toGenericAmount(req.amount, req.currency);
    if (amount === null) throw this.unsupported('refund of this amount');
    const res = await this.authed(ctx, (headers, base) => ({
      connector: NAME,
      method: 'POST',
      url: `${base}/payment/refund`,
      headers,
      json: { token: req.connectorTransactionId, amount, reference: req.refundId },
    }));
    const data = this.successData<GenericRefundData>(res, 'refund');
    if (!data) {
      return {
        status: 'failed',
        error: connectorError(`HTTP_${res.status}`, envelopeErrorText(res.body), 'invalidRequest'),
      };
    }
    if (!isKnownRefundStatus(data.status))
      throw new ConnectorOutcomeUnknownError(NAME, 'refund answered an unknown status');
    return { status: mapRefundStatus(data.status), connectorRefundId: data.refund_id, rawStatus: data.status };
  }

  async refundSync(ctx: ConnectorAccountContext, req: RefundSyncRequest): Promise<ConnectorRefundResult> {
    if (!req.connectorRefundId) return { status: 'pending' };
    const refundId = req.connectorRefundId;
    const res = await this.authed(ctx, (headers, base) => ({
      connector: NAME,
      method: 'GET',
      url: `${base}/payment/refund/${encodeURIComponent(refundId)}`,
      headers,
    }));
    if (res.status === 404) throw this.notFound('refund');
    const data = this.successData<GenericRefundData>(res, 'refund status');
    if (!data || !isKnownRefundStatus(data.status)) {
      throw new ConnectorOutcomeUnknownError(NAME, `refund status answered HTTP ${res.status} without a known status`);
    }
    const status = mapRefundStatus(data.status);
    return {
      status,
      connectorRefundId: data.refund_id,
      rawStatus: data.status,
      error:
        status === 'failed' ? connectorError('REFUND_FAILED', 'Refund failed at the gateway', 'processorError') : null,
    };
  }

  /** No signature is published for this family: the return proves nothing, the caller must inquire. */
  verifyReturn(_ctx: ConnectorAccountContext, req: ReturnRequest): ReturnVerification {
    return { signatureValid: false, connectorTransactionId: req.query.token ?? null };
  }

  /** A fresh token call, past the cache: only the current client_id/secret_id can make it succeed. */
  async verifyCredentials(ctx: ConnectorAccountContext): Promise<void> {
    await this.issueToken(this.credentials(ctx));
  }

  /** Sends with a cached bearer token; on 401 drops that token, re-authenticates once and retries once. */
  private async authed(
    ctx: ConnectorAccountContext,
    build: (headers: Record<string, string>, baseUrl: string) => Parameters<ConnectorHttpClient['send']>[0],
  ): Promise<ConnectorHttpResponse> {
    const creds = this.credentials(ctx);
    const cacheKey = `${NAME}:${ctx.merchantConnectorId}:${sha256Hex(`${creds.baseUrl}|${creds.clientId}|${creds.secretId}`)}`;
    const issue = () => this.issueToken(creds);
    let token = await this.tokens.get(cacheKey, issue);
    let res = await this.http.send(build({ authorization: `Bearer ${token}` }, creds.baseUrl));
    if (res.status === 401) {
      await this.tokens.invalidate(cacheKey, token);
      token = await this.tokens.get(cacheKey, issue);
      res = await this.http.send(build({ authorization: `Bearer ${token}` }, creds.baseUrl));
    }
    if (res.status === 401) {
      throw new ConnectorRequestError(
        NAME,
        connectorError('UNAUTHENTICATED', 'gateway rejected a fresh access token', 'authentication'),
        401,
      );
    }
    return res;
  }

  private async issueToken(creds: GenericCredentials): Promise<{ accessToken: string; expiresInSeconds: number }> {
    const res = await this.http.send({
      connector: NAME,
      method: 'POST',
      url: `${creds.baseUrl}/authentication/token`,
      json: { client_id: creds.clientId, secret_id: creds.secretId },
    });
    const data = this.successData<GenericTokenData>(res, 'token');
    if (!data || typeof data.access_token !== 'string') {
      throw new ConnectorRequestError(
        NAME,
        connectorError(`HTTP_${res.status}`, envelopeErrorText(res.body), 'authentication'),
        res.status,
      );
    }
    const ttl = Number(data.expire_time);
    return { accessToken: data.access_token, expiresInSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 600 };
  }

  /** Success data; null for a definite 4xx refusal; unknown outcome for 5xx or a body that cannot be read. */
  private successData<T>(res: ConnectorHttpResponse, what: string): T | null {
    if (res.status >= 500 || res.malformed) {
      throw new ConnectorOutcomeUnknownError(
        NAME,
        `${what} answered HTTP ${res.status}${res.malformed ? ' with a malformed body' : ''}`,
      );
    }
    if (res.status >= 400) return null;
    const data = envelopeData<T>(res.body);
    if (!data)
      throw new ConnectorOutcomeUnknownError(NAME, `${what} answered HTTP ${res.status} without a success envelope`);
    return data;
  }

  private credentials(ctx: ConnectorAccountContext): GenericCredentials {
    return {
      clientId: ctx.credentials.api_key,
      secretId: ctx.credentials.key1,
      baseUrl: String(ctx.metadata.base_url).replace(/\/+$/, ''),
    };
  }

  /** The gateway does not know the reference: a definite answer (reconciliation reports it as missing at the connector). */
  private notFound(what: 'payment' | 'refund'): ConnectorRequestError {
    return new ConnectorRequestError(
      NAME,
      connectorError('NOT_FOUND', `${what} not found at the gateway`, 'invalidRequest'),
      404,
    );
  }

  private unsupported(flow: string): ConnectorRequestError {
    return new ConnectorRequestError(
      NAME,
      connectorError('FLOW_NOT_SUPPORTED', `${flow} is not supported by the generic gateway`, 'invalidRequest'),
      400,
    );
  }
}
