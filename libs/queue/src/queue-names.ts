/** Queue and job names. Values are never renamed: stalled and delayed jobs in Redis carry them. */
export enum QueueName {
  PaymentSync = 'payment-sync',
  RefundSync = 'refund-sync',
  IncomingWebhooks = 'incoming-webhooks',
  OutgoingWebhooks = 'outgoing-webhooks',
  Reconciliation = 'reconciliation',
}

export enum JobName {
  SyncPaymentAttempt = 'sync-payment-attempt',
  SweepUnsyncedAttempts = 'sweep-unsynced-attempts',
  SyncRefund = 'sync-refund',
  ApplyIncomingWebhook = 'apply-incoming-webhook',
  DeliverOutgoingWebhook = 'deliver-outgoing-webhook',
  SweepOutgoingWebhooks = 'sweep-outgoing-webhooks',
  RunReconciliation = 'run-reconciliation',
  ScheduleReconciliations = 'schedule-reconciliations',
}

export interface PaymentSyncJob {
  merchantId: string;
  paymentId: string;
  attemptId: string;
  /** How many inquiries were scheduled before this one; picks the next delay. */
  round: number;
  /** Connector name, for a per-connector schedule. */
  connector?: string;
}

export interface RefundSyncJob {
  merchantId: string;
  refundId: string;
  round: number;
}

export interface IncomingWebhookJob {
  merchantId: string;
  webhookEventId: string;
}

export interface OutgoingWebhookJob {
  merchantId: string;
  eventId: string;
  /** 1-based delivery attempt this job makes. */
  attempt: number;
  /** Set for an ops re-delivery: sent even when the event was delivered or gave up. */
  manual?: boolean;
}

export interface ReconciliationJob {
  merchantId: string;
  runId: string;
}
