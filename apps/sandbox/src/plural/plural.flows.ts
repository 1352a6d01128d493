import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SandboxContext } from '../sandbox.types';
import { orderScriptFor, refundFailsFor } from './plural.scripts';
import type { ErrorDetail, PaymentDraft, PaymentRecord, PluralOrder, PluralStore, RefundOrder } from './plural.store';
import type { PluralEvent, PluralWebhooks } from './plural.webhooks';
import { orderView, refundView } from './plural.wire';

/** What the hosted page posts back to callback_url once the shopper is done (signed by the checkout route). */
export interface CallbackOutcome {
  status: string;
  error: ErrorDetail | null;
}

/** A refund settles on its first inquiry, or by itself after this long (then its webhook goes out). */
export const REFUND_SETTLE_MS = 300;

const DECLINED: ErrorDetail = { code: 'PAYMENT_DECLINED', message: 'Transaction declined by the issuer (sandbox)' };
const FAILED_ON_PAGE: ErrorDetail = {
  code: 'TRANSACTION_FAILED',
  message: 'Payment failed on the hosted page (sandbox)',
};
const CARD_DECLINED: ErrorDetail = { code: 'PAYMENT_DECLINED', message: 'Card declined by the issuer (sandbox)' };
const AUTHENTICATION_FAILED: ErrorDetail = {
  code: 'AUTHENTICATION_FAILED',
  message: '3-D Secure authentication failed (sandbox)',
};
const TRY_FAILED: ErrorDetail = {
  code: 'PAYMENT_FAILED',
  message: 'Payment attempt failed; the shopper may retry (sandbox)',
};

/** Order state changes shared by the hosted page and the API, each followed by its webhook. */
export class PluralFlows {
  constructor(
    private readonly store: PluralStore,
    private readonly webhooks: PluralWebhooks,
    private readonly ctx: SandboxContext,
  ) {}

  /** Only a CREATED or ATTEMPTED order still waits for the shopper. */
  awaitsShopper(order: PluralOrder): boolean {
    return order.status === 'CREATED' || order.status === 'ATTEMPTED';
  }

  /**
   * The shopper pressed Pay (or a card went through without a challenge, or passed it: `draft`). `null`: this try
   * failed but the shopper may retry.
   */
  pay(order: PluralOrder, draft: PaymentDraft | null = null): CallbackOutcome | null {
    const success = order.preAuth ? 'AUTHORIZED' : 'PROCESSED';
    switch (orderScriptFor(order.value)) {
      case 'decline':
        return this.failOrder(order, DECLINED, draft);
      case 'pending_then_processed':
        this.store.addPayment(order, 'PENDING', null, draft);
        this.store.setStatus(order, 'PENDING');
        order.pendingPollsLeft = this.ctx.options.pendingPolls;
        return { status: 'PENDING', error: null };
      case 'attempted':
        order.retriesRemaining = Math.max(0, order.retriesRemaining - 1);
        if (order.retriesRemaining === 0) return this.failOrder(order, TRY_FAILED, draft);
        this.store.addPayment(order, 'FAILED', TRY_FAILED, draft);
        this.store.setStatus(order, 'ATTEMPTED');
        this.notify('PAYMENT_FAILED', order);
        return null;
      case 'normal':
      case 'create_timeout':
      case 'create_5xx':
      case 'inquiry_timeout':
      case 'malformed_body':
        this.store.addPayment(order, success, null, draft);
        this.store.setStatus(order, success);
        this.notify(order.preAuth ? 'ORDER_AUTHORIZED' : 'ORDER_PROCESSED', order);
        return { status: success, error: null };
    }
  }

  /** The shopper pressed Fail. */
  fail(order: PluralOrder): CallbackOutcome {
    return this.failOrder(order, FAILED_ON_PAGE);
  }

  /** A card the issuer declines (sandbox test card). */
  declineCard(order: PluralOrder, draft: PaymentDraft): CallbackOutcome {
    return this.failOrder(order, CARD_DECLINED, draft);
  }

  /** A card that needs 3-D Secure: the payment and the order wait (PENDING, no webhook) on the challenge page. */
  startChallenge(order: PluralOrder, draft: PaymentDraft): PaymentRecord {
    const payment = this.store.addPayment(order, 'PENDING', null, draft);
    payment.challenge = { token: randomBytes(24).toString('base64url'), open: true };
    this.store.setStatus(order, 'PENDING');
    return payment;
  }

  /** Pass settles the challenged payment like Pay (amount scripts included), Fail fails it; both with their webhook. */
  finishChallenge(order: PluralOrder, passed: boolean): CallbackOutcome {
    const outcome = passed ? this.pay(order) : this.failOrder(order, AUTHENTICATION_FAILED);
    // …56 (one failed try, retries left): the order is ATTEMPTED and the shopper goes back to the merchant anyway.
    return outcome ?? { status: order.status, error: TRY_FAILED };
  }

  /** An inquiry by the merchant: this is what advances pending-then-processed. */
  observe(order: PluralOrder): void {
    if (order.pendingPollsLeft === null) return;
    if (order.pendingPollsLeft > 0) {
      order.pendingPollsLeft -= 1;
      return;
    }
    order.pendingPollsLeft = null;
    const success = order.preAuth ? 'AUTHORIZED' : 'PROCESSED';
    this.store.setStatus(order, success, success);
    this.notify(order.preAuth ? 'ORDER_AUTHORIZED' : 'ORDER_PROCESSED', order);
  }

  capture(order: PluralOrder, reference: string, value: number): void {
    const payment = order.payments[order.payments.length - 1];
    payment.captures.push({ reference, value, at: this.ctx.now() });
    this.store.setStatus(order, 'PROCESSED', 'PROCESSED');
    this.notify('ORDER_PROCESSED', order);
  }

  cancel(order: PluralOrder): void {
    this.store.setStatus(order, 'CANCELLED', 'CANCELLED');
    this.notify('ORDER_CANCELLED', order);
  }

  refund(parent: PluralOrder, reference: string, value: number): RefundOrder {
    const refund = this.store.createRefund(parent, reference, value, refundFailsFor(value));
    this.ctx.hang(REFUND_SETTLE_MS, new EventEmitter(), () => this.settleRefund(refund));
    return refund;
  }

  settleRefund(refund: RefundOrder): void {
    if (!this.store.settleRefund(refund)) return;
    const event = refund.status === 'PROCESSED' ? 'REFUND_PROCESSED' : 'REFUND_FAILED';
    this.webhooks.emit(event, refund.clientId, refund.orderId, refundView(this.store, refund));
  }

  private failOrder(order: PluralOrder, error: ErrorDetail, draft: PaymentDraft | null = null): CallbackOutcome {
    this.store.addPayment(order, 'FAILED', error, draft);
    this.store.setStatus(order, 'FAILED');
    this.notify('ORDER_FAILED', order);
    return { status: 'FAILED', error };
  }

  private notify(event: PluralEvent, order: PluralOrder): void {
    this.webhooks.emit(event, order.clientId, order.orderId, orderView(this.store, order));
  }
}
