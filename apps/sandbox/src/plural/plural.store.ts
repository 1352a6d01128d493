import { randomBytes, randomInt } from 'node:crypto';
import { TokenRegistry } from '../token-registry';
import { PAYMENT_RETRIES } from './plural.scripts';
import type {
  OrderStatus,
  PaymentStatus,
  PluralMerchant,
  PluralToken,
  ErrorDetail,
  PaymentDraft,
  PaymentRecord,
  NewOrder,
  PluralOrder,
  RefundOrder,
  PluralStats,
} from './plural.records';

export { PLURAL_ORDER_STATUSES } from './plural.records';
export type {
  OrderStatus,
  PaymentStatus,
  RefundStatus,
  PluralMerchant,
  PluralToken,
  ErrorDetail,
  CaptureRecord,
  CardSummary,
  PaymentDraft,
  PaymentRecord,
  NewOrder,
  PluralOrder,
  RefundOrder,
  PluralStats,
} from './plural.records';

const alnum = (length: number): string =>
  randomBytes(length * 2)
    .toString('base64url')
    .replace(/[-_]/g, '')
    .slice(0, length);
const digits = (length: number): string => Array.from({ length }, () => randomInt(10)).join('');

/** In-memory state of the Plural imitation. Lost on restart, like any sandbox. */
export class PluralStore {
  readonly stats: PluralStats = {
    tokenRequests: 0,
    tokensIssued: 0,
    createRequests: 0,
    ordersCreated: 0,
    inquiryRequests: 0,
    paymentRequests: 0,
    captureRequests: 0,
    cancelRequests: 0,
    refundRequests: 0,
    unauthorizedRequests: 0,
    webhookAttempts: 0,
    webhooksDelivered: 0,
    webhooksFailed: 0,
  };
  private readonly merchants = new Map<string, PluralMerchant>();
  private readonly tokens: TokenRegistry<PluralToken>;
  private readonly orders = new Map<string, PluralOrder>();
  private readonly refunds = new Map<string, RefundOrder>();

  constructor(readonly now: () => number) {
    this.tokens = new TokenRegistry(now);
  }

  /** Registers (or updates) a merchant's dashboard settings. */
  upsertMerchant(input: Omit<PluralMerchant, 'merchantId'>): PluralMerchant {
    const existing = this.merchants.get(input.clientId);
    if (existing) return Object.assign(existing, input);
    const merchant: PluralMerchant = { ...input, merchantId: digits(6) };
    this.merchants.set(merchant.clientId, merchant);
    return merchant;
  }

  getMerchant(clientId: string): PluralMerchant | undefined {
    return this.merchants.get(clientId);
  }

  issueToken(clientId: string, ttlSeconds: number, accessToken: string): PluralToken {
    const token: PluralToken = { accessToken, clientId, expiresAt: this.now() + ttlSeconds * 1000, revoked: false };
    this.tokens.add(token);
    this.stats.tokensIssued += 1;
    return token;
  }

  findActiveToken(accessToken: string): PluralToken | undefined {
    return this.tokens.findActive(accessToken);
  }

  isActive(token: PluralToken): boolean {
    return this.tokens.isActive(token);
  }

  listTokens(): PluralToken[] {
    return this.tokens.list();
  }

  revokeAllTokens(): number {
    return this.tokens.revokeAll();
  }

  createOrder(input: NewOrder): PluralOrder {
    const at = this.now();
    const order: PluralOrder = {
      ...input,
      orderId: `v1-${digits(10)}-aa-${alnum(6)}`,
      token: randomBytes(24).toString('base64url'),
      status: 'CREATED',
      payments: [],
      retriesRemaining: PAYMENT_RETRIES,
      pendingPollsLeft: null,
      createdAt: at,
      updatedAt: at,
    };
    this.orders.set(order.orderId, order);
    this.stats.ordersCreated += 1;
    return order;
  }

  /** The charge order only if `clientId` owns it: another merchant's order is indistinguishable from an unknown one. */
  findOrder(clientId: string, orderId: string): PluralOrder | undefined {
    const order = this.orders.get(orderId);
    return order?.clientId === clientId ? order : undefined;
  }

  findOrderByToken(token: string): PluralOrder | undefined {
    return [...this.orders.values()].find((o) => o.token === token);
  }

  /** The order and payment of a 3-D Secure page token. */
  findChallenge(token: string): { order: PluralOrder; payment: PaymentRecord } | undefined {
    for (const order of this.orders.values()) {
      const payment = order.payments.find((p) => p.challenge?.token === token);
      if (payment) return { order, payment };
    }
    return undefined;
  }

  findByReference(clientId: string, reference: string): PluralOrder | RefundOrder | undefined {
    for (const order of this.orders.values())
      if (order.clientId === clientId && order.reference === reference) return order;
    for (const refund of this.refunds.values())
      if (refund.clientId === clientId && refund.reference === reference) return refund;
    return undefined;
  }

  listOrders(filter: { reference?: string; clientId?: string } = {}): PluralOrder[] {
    return [...this.orders.values()].filter(
      (o) =>
        (!filter.reference || o.reference === filter.reference) && (!filter.clientId || o.clientId === filter.clientId),
    );
  }

  /**
   * A new try of the shopper (hosted page, or a card through the API). A try that was waiting on the 3-D Secure page is
   * settled in place instead: the challenge is over and that same payment carries the outcome.
   */
  addPayment(
    order: PluralOrder,
    status: PaymentStatus,
    errorDetail: ErrorDetail | null,
    draft: PaymentDraft | null = null,
  ): PaymentRecord {
    const at = this.now();
    const last = order.payments[order.payments.length - 1];
    if (last?.challenge?.open) {
      last.challenge.open = false;
      last.status = status;
      last.errorDetail = errorDetail;
      last.updatedAt = at;
      return last;
    }
    const payment: PaymentRecord = {
      id: `${order.orderId}-cc-${alnum(1).toLowerCase()}${order.payments.length + 1}`,
      status,
      value: order.value,
      errorDetail,
      draft,
      challenge: null,
      captures: [],
      rrn: digits(12),
      createdAt: at,
      updatedAt: at,
    };
    order.payments.push(payment);
    return payment;
  }

  setStatus(order: PluralOrder, status: OrderStatus, payment?: PaymentStatus): void {
    order.status = status;
    order.updatedAt = this.now();
    const last = order.payments[order.payments.length - 1];
    if (payment && last) {
      last.status = payment;
      last.updatedAt = order.updatedAt;
    }
  }

  /** What the order captured: all of it once paid, or the sum of its captures when it was pre-authorized. */
  capturedValue(order: PluralOrder): number {
    if (order.preAuth) return order.payments.flatMap((p) => p.captures).reduce((sum, c) => sum + c.value, 0);
    return ['PROCESSED', 'FULLY_REFUNDED', 'PARTIALLY_REFUNDED'].includes(order.status) ? order.value : 0;
  }

  createRefund(parent: PluralOrder, reference: string, value: number, failsOnSettle: boolean): RefundOrder {
    const at = this.now();
    const refund: RefundOrder = {
      orderId: `v1-${digits(10)}-aa-${alnum(6)}`,
      parentOrderId: parent.orderId,
      clientId: parent.clientId,
      reference,
      value,
      currency: parent.currency,
      failsOnSettle,
      status: 'PENDING',
      createdAt: at,
      updatedAt: at,
    };
    this.refunds.set(refund.orderId, refund);
    return refund;
  }

  refundsOf(orderId: string): RefundOrder[] {
    return [...this.refunds.values()].filter((r) => r.parentOrderId === orderId);
  }

  listRefunds(): RefundOrder[] {
    return [...this.refunds.values()];
  }

  /** Settles a PENDING refund and keeps the parent's refund status in step; false when it was already settled. */
  settleRefund(refund: RefundOrder): boolean {
    if (refund.status !== 'PENDING' && refund.status !== 'CREATED') return false;
    refund.status = refund.failsOnSettle ? 'FAILED' : 'PROCESSED';
    refund.updatedAt = this.now();
    const parent = this.orders.get(refund.parentOrderId);
    if (parent && refund.status === 'PROCESSED') {
      const refunded = this.refundsOf(parent.orderId)
        .filter((r) => r.status === 'PROCESSED')
        .reduce((sum, r) => sum + r.value, 0);
      this.setStatus(parent, refunded >= this.capturedValue(parent) ? 'FULLY_REFUNDED' : 'PARTIALLY_REFUNDED');
    }
    return true;
  }
}
