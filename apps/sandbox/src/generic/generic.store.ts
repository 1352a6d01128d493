import { randomBytes, randomInt } from 'node:crypto';
import { TokenRegistry } from '../token-registry';

export const GENERIC_PAYMENT_STATUSES = ['PENDING', 'SUCCESS', 'FAILED', 'CANCELLED', 'EXPIRED'] as const;
export type GenericPaymentStatus = (typeof GENERIC_PAYMENT_STATUSES)[number];
export type GenericRefundStatus = 'PENDING' | 'SUCCESS' | 'FAILED';

/** Fixed shopper the hosted page "logs in" as once they press Pay (before that both fields are null). */
export const SANDBOX_PAYER = { username: 'sandbox_shopper', email: 'shopper@sandbox.switchyard.test' } as const;

export interface GenericAccessToken {
  readonly accessToken: string;
  readonly clientId: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface GenericPayer {
  username: string | null;
  email: string | null;
}

export interface GenericPayment {
  readonly token: string;
  /** The client_id whose access token created it: nobody else can see it. */
  readonly clientId: string;
  readonly amount: string;
  readonly currency: string;
  readonly custom: string | null;
  readonly returnUrl: string;
  readonly cancelUrl: string | null;
  readonly createdAt: number;
  status: GenericPaymentStatus;
  trxId: string | null;
  payer: GenericPayer;
  /** A PENDING payment the shopper never completed turns EXPIRED at this time. */
  expiresAt: number;
  /** pending-then-success: status checks that still answer PENDING after Pay; null when the payment is not settling. */
  pendingPollsLeft: number | null;
}

export interface GenericRefund {
  readonly refundId: string;
  readonly paymentToken: string;
  readonly clientId: string;
  readonly amount: string;
  readonly reference: string | null;
  readonly createdAt: number;
  /** Refund script: the first status check settles it as FAILED instead of SUCCESS. */
  readonly failsOnSettle: boolean;
  status: GenericRefundStatus;
}

export interface GenericStats {
  tokenRequests: number;
  tokensIssued: number;
  createRequests: number;
  paymentsCreated: number;
  statusRequests: number;
  refundRequests: number;
  refundStatusRequests: number;
  unauthorizedRequests: number;
}

export interface NewGenericPayment {
  clientId: string;
  amount: string;
  currency: string;
  custom: string | null;
  returnUrl: string;
  cancelUrl: string | null;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** In-memory state of the generic gateway. Lost on restart, like any sandbox. */
export class GenericStore {
  readonly stats: GenericStats = {
    tokenRequests: 0,
    tokensIssued: 0,
    createRequests: 0,
    paymentsCreated: 0,
    statusRequests: 0,
    refundRequests: 0,
    refundStatusRequests: 0,
    unauthorizedRequests: 0,
  };
  private readonly tokens: TokenRegistry<GenericAccessToken>;
  private readonly payments = new Map<string, GenericPayment>();
  private readonly refunds = new Map<string, GenericRefund>();
  private readonly refundsByPayment = new Map<string, GenericRefund[]>();
  private readonly trxIds = new Set<string>();

  constructor(
    private readonly now: () => number,
    private readonly paymentTtlMs: number,
  ) {
    this.tokens = new TokenRegistry(now);
  }

  issueToken(clientId: string, ttlSeconds: number): GenericAccessToken {
    const issuedAt = this.now();
    const token: GenericAccessToken = {
      accessToken: hex(20),
      clientId,
      issuedAt,
      expiresAt: issuedAt + ttlSeconds * 1000,
      revoked: false,
    };
    this.tokens.add(token);
    this.stats.tokensIssued += 1;
    return token;
  }

  /** The token if it was issued here, is not revoked and has not expired. */
  findActiveToken(accessToken: string): GenericAccessToken | undefined {
    return this.tokens.findActive(accessToken);
  }

  isActive(token: GenericAccessToken): boolean {
    return this.tokens.isActive(token);
  }

  listTokens(): GenericAccessToken[] {
    return this.tokens.list();
  }

  /** Revokes every token still active; returns how many. */
  revokeAllTokens(): number {
    return this.tokens.revokeAll();
  }

  createPayment(input: NewGenericPayment): GenericPayment {
    const createdAt = this.now();
    const payment: GenericPayment = {
      ...input,
      token: `gpt_${hex(12)}`,
      createdAt,
      status: 'PENDING',
      trxId: null,
      payer: { username: null, email: null },
      expiresAt: createdAt + this.paymentTtlMs,
      pendingPollsLeft: null,
    };
    this.payments.set(payment.token, payment);
    this.stats.paymentsCreated += 1;
    return payment;
  }

  /** Any client's payment (hosted page, control routes), with lazy expiry applied. */
  getPayment(token: string): GenericPayment | undefined {
    const payment = this.payments.get(token);
    if (payment) this.applyExpiry(payment);
    return payment;
  }

  /** The payment only if `clientId` owns it: another client's token is indistinguishable from an unknown one. */
  findOwnedPayment(clientId: string, token: string): GenericPayment | undefined {
    const payment = this.getPayment(token);
    return payment?.clientId === clientId ? payment : undefined;
  }

  listPayments(custom?: string): GenericPayment[] {
    const all = [...this.payments.values()].filter((p) => custom === undefined || p.custom === custom);
    for (const payment of all) this.applyExpiry(payment);
    return all;
  }

  /** The shopper pressed Pay: they are identified, and the gateway assigns its transaction id. */
  markPaid(payment: GenericPayment, status: GenericPaymentStatus, pendingPolls: number | null): void {
    payment.status = status;
    payment.trxId ??= this.newTrxId();
    payment.payer = { ...SANDBOX_PAYER };
    payment.pendingPollsLeft = pendingPolls;
  }

  /** A status check by the merchant: this is what advances pending-then-success. */
  observeStatus(payment: GenericPayment): GenericPaymentStatus {
    if (payment.pendingPollsLeft === null) return payment.status;
    if (payment.pendingPollsLeft > 0) {
      payment.pendingPollsLeft -= 1;
      return payment.status;
    }
    payment.pendingPollsLeft = null;
    payment.status = 'SUCCESS';
    return payment.status;
  }

  /** Control route: sets a status outright; SUCCESS gets a trx_id and payer, PENDING gets a fresh expiry window. */
  forceStatus(payment: GenericPayment, status: GenericPaymentStatus): void {
    payment.pendingPollsLeft = null;
    if (status === 'SUCCESS') this.markPaid(payment, 'SUCCESS', null);
    else payment.status = status;
    if (status === 'PENDING') payment.expiresAt = this.now() + this.paymentTtlMs;
  }

  createRefund(
    payment: GenericPayment,
    amount: string,
    reference: string | null,
    failsOnSettle: boolean,
  ): GenericRefund {
    const refund: GenericRefund = {
      refundId: `grf_${hex(12)}`,
      paymentToken: payment.token,
      clientId: payment.clientId,
      amount,
      reference,
      createdAt: this.now(),
      failsOnSettle,
      status: 'PENDING',
    };
    this.refunds.set(refund.refundId, refund);
    this.refundsOf(payment.token).push(refund);
    return refund;
  }

  findRefundByReference(paymentToken: string, reference: string): GenericRefund | undefined {
    return this.refundsOf(paymentToken).find((r) => r.reference === reference);
  }

  /** Refunds of a payment that still count against its amount (everything not FAILED). */
  activeRefunds(paymentToken: string): GenericRefund[] {
    return this.refundsOf(paymentToken).filter((r) => r.status !== 'FAILED');
  }

  findOwnedRefund(clientId: string, refundId: string): GenericRefund | undefined {
    const refund = this.refunds.get(refundId);
    return refund?.clientId === clientId ? refund : undefined;
  }

  /** A refund status check: PENDING settles on the first one. */
  observeRefund(refund: GenericRefund): GenericRefundStatus {
    if (refund.status === 'PENDING') refund.status = refund.failsOnSettle ? 'FAILED' : 'SUCCESS';
    return refund.status;
  }

  private refundsOf(paymentToken: string): GenericRefund[] {
    let list = this.refundsByPayment.get(paymentToken);
    if (!list) {
      list = [];
      this.refundsByPayment.set(paymentToken, list);
    }
    return list;
  }

  private applyExpiry(payment: GenericPayment): void {
    if (payment.status === 'PENDING' && payment.pendingPollsLeft === null && this.now() >= payment.expiresAt) {
      payment.status = 'EXPIRED';
    }
  }

  private newTrxId(): string {
    let id: string;
    do {
      id = `TRX${String(randomInt(1e8)).padStart(8, '0')}${String(randomInt(1e8)).padStart(8, '0')}`;
    } while (this.trxIds.has(id));
    this.trxIds.add(id);
    return id;
  }
}
