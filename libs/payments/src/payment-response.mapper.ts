import { isoTimestamp } from '@switchyard/common';
import type { PaymentAttemptEntity, PaymentIntentEntity, RefundEntity } from '@switchyard/database';

/** Hyperswitch PaymentsResponse (hyperswitch-api.md §2): every field present, absent values as null. */
export function toPaymentResponse(
  intent: PaymentIntentEntity,
  attempt: PaymentAttemptEntity | null,
  options: { attempts?: PaymentAttemptEntity[]; includeClientSecret?: boolean } = {},
): Record<string, unknown> {
  const nextAction =
    intent.status === 'requires_customer_action' && attempt?.redirectUrl
      ? { type: 'redirect_to_url', redirect_to_url: attempt.redirectUrl }
      : null;
  const body: Record<string, unknown> = {
    payment_id: intent.paymentId,
    merchant_id: intent.merchantId,
    status: intent.status,
    amount: intent.amount,
    net_amount: intent.amount,
    shipping_cost: null,
    amount_capturable: intent.amountCapturable,
    amount_received: intent.amountReceived,
    connector: attempt?.connector ?? null,
    client_secret: options.includeClientSecret === false ? null : intent.clientSecret,
    created: isoTimestamp(intent.createdAt),
    currency: intent.currency,
    customer_id: intent.customerId,
    customer: intent.customerId
      ? { id: intent.customerId, name: null, email: null, phone: null, phone_country_code: null }
      : null,
    description: intent.description,
    refunds: null,
    disputes: null,
    mandate_id: null,
    mandate_data: null,
    setup_future_usage: null,
    off_session: null,
    capture_on: null,
    capture_method: intent.captureMethod,
    payment_method: intent.paymentMethod,
    payment_method_data: intent.paymentMethodData ? { billing: null, ...intent.paymentMethodData } : null,
    payment_token: null,
    shipping: null,
    billing: null,
    order_details: null,
    email: null,
    name: null,
    phone: null,
    return_url: intent.returnUrl,
    authentication_type: intent.authenticationType,
    statement_descriptor_name: null,
    statement_descriptor_suffix: null,
    next_action: nextAction,
    cancellation_reason: intent.cancellationReason,
    error_code: attempt?.errorCode ?? null,
    error_message: attempt?.errorMessage ?? null,
    unified_code: attempt?.unifiedCode ?? null,
    unified_message: attempt?.unifiedMessage ?? null,
    payment_experience: nextAction ? 'redirect_to_url' : null,
    payment_method_type: intent.paymentMethodType,
    connector_label: null,
    business_country: null,
    business_label: null,
    business_sub_label: null,
    allowed_payment_method_types: null,
    ephemeral_key: null,
    manual_retry_allowed: intent.status === 'failed',
    connector_transaction_id: attempt?.connectorTransactionId ?? null,
    frm_message: null,
    metadata: intent.metadata,
    connector_metadata: null,
    feature_metadata: null,
    reference_id: attempt?.attemptId ?? null,
    payment_link: paymentLinkView(intent.paymentLink),
    profile_id: intent.profileId,
    surcharge_details: null,
    attempt_count: intent.attemptCount,
    merchant_decision: null,
    merchant_connector_id: attempt?.merchantConnectorId ?? null,
    incremental_authorization_allowed: null,
    authorization_count: null,
    incremental_authorizations: null,
    external_authentication_details: null,
    external_3ds_authentication_attempted: null,
    expires_on: isoTimestamp(intent.clientSecretExpiresAt),
    fingerprint: null,
    browser_info: null,
    payment_method_id: null,
    payment_method_status: null,
    updated: isoTimestamp(intent.updatedAt),
    split_payments: null,
    frm_metadata: null,
    extended_authorization_applied: null,
    capture_before: null,
    merchant_order_reference_id: intent.merchantOrderReferenceId,
    order_tax_amount: null,
    connector_mandate_id: null,
    card_discovery: null,
    force_3ds_challenge: null,
    force_3ds_challenge_trigger: null,
    issuer_error_code: null,
    issuer_error_message: null,
    is_iframe_redirection_enabled: null,
    whole_connector_response: null,
    routing_decision: attempt?.routingDecision ?? null,
  };
  if (options.attempts) body.attempts = options.attempts.map(toAttemptResponse);
  return body;
}

/** Hyperswitch's `payment_link` object (plus Switchyard's `expires_at`); the link's stored theme override stays inside. */
export function paymentLinkView(stored: object | null | undefined): Record<string, unknown> | null {
  if (!stored) return null;
  const link = stored as Record<string, unknown>;
  return {
    link: link.link ?? null,
    payment_link_id: link.payment_link_id ?? null,
    secure_link: link.secure_link ?? null,
    expires_at: link.expires_at ?? null,
  };
}

export function toAttemptResponse(attempt: PaymentAttemptEntity): Record<string, unknown> {
  return {
    attempt_id: attempt.attemptId,
    status: attempt.status,
    amount: attempt.amount,
    order_tax_amount: null,
    currency: attempt.currency,
    connector: attempt.connector,
    error_message: attempt.errorMessage,
    payment_method: attempt.paymentMethod,
    connector_transaction_id: attempt.connectorTransactionId,
    capture_method: attempt.captureMethod,
    authentication_type: attempt.authenticationType,
    created_at: isoTimestamp(attempt.createdAt),
    modified_at: isoTimestamp(attempt.modifiedAt),
    cancellation_reason: attempt.cancellationReason,
    mandate_id: null,
    error_code: attempt.errorCode,
    payment_token: null,
    connector_metadata: null,
    payment_experience: null,
    payment_method_type: null,
    reference_id: attempt.attemptId,
    unified_code: attempt.unifiedCode,
    unified_message: attempt.unifiedMessage,
    client_source: null,
    client_version: null,
    merchant_connector_id: attempt.merchantConnectorId,
    routing_decision: attempt.routingDecision,
  };
}

/** Hyperswitch RefundResponse (hyperswitch-api.md §4). */
export function toRefundResponse(refund: RefundEntity, profileId: string | null): Record<string, unknown> {
  return {
    refund_id: refund.refundId,
    payment_id: refund.paymentId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason,
    metadata: refund.metadata,
    error_message: refund.errorMessage,
    error_code: refund.errorCode,
    unified_code: refund.unifiedCode,
    unified_message: refund.unifiedMessage,
    created_at: isoTimestamp(refund.createdAt),
    updated_at: isoTimestamp(refund.updatedAt),
    connector: refund.connector,
    profile_id: profileId,
    merchant_connector_id: refund.merchantConnectorId,
    split_refunds: null,
    issuer_error_code: null,
    issuer_error_message: null,
  };
}
