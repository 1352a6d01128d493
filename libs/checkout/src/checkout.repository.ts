import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PaymentAttemptEntity, PaymentIntentEntity } from '@switchyard/database';

/** Checkout's reads and its one write (a payment's link). */
@Injectable()
export class CheckoutRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The one read not scoped by merchant: the checkout page is reached with a payment id and its client secret, and the
   * caller compares the secret before anything of the payment is used. The secret is the tenant scope here.
   */
  async intentForClientSecret(paymentId: string): Promise<PaymentIntentEntity | null> {
    return this.dataSource.manager.findOneBy(PaymentIntentEntity, { paymentId });
  }

  async intentForLink(merchantId: string, paymentLinkId: string): Promise<PaymentIntentEntity | null> {
    return this.dataSource.manager
      .createQueryBuilder(PaymentIntentEntity, 'p')
      .where('p.merchant_id = :merchantId', { merchantId })
      .andWhere(`p.payment_link IS NOT NULL AND p.payment_link->>'payment_link_id' = :paymentLinkId`, { paymentLinkId })
      .getOne();
  }

  async attempt(merchantId: string, attemptId: string | null): Promise<PaymentAttemptEntity | null> {
    if (!attemptId) return null;
    return this.dataSource.manager.findOneBy(PaymentAttemptEntity, { merchantId, attemptId });
  }

  /**
   * Stores the link and sets the client secret's expiry to the link's (the page confirms with that secret), only while
   * the payment still waits for the shopper. False when it no longer does.
   */
  async setPaymentLink(
    merchantId: string,
    paymentId: string,
    link: Record<string, unknown>,
    expiresAt: Date,
    payableStatuses: readonly string[],
  ): Promise<boolean> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(PaymentIntentEntity)
      .set({ paymentLink: link, clientSecretExpiresAt: expiresAt })
      .where('merchant_id = :merchantId AND payment_id = :paymentId AND status IN (:...statuses)', {
        merchantId,
        paymentId,
        statuses: payableStatuses,
      })
      .execute();
    return !!result.affected;
  }
}
