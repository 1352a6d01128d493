/** Read models of the ops dashboard: plain rows, never entities, never a secret. */
export interface PaymentRow {
  paymentId: string;
  merchantId: string;
  status: string;
  amount: number;
  currency: string;
  mode: string;
  connector: string | null;
  createdAt: Date;
}

export interface AttemptRow {
  attemptId: string;
  status: string;
  connector: string;
  merchantConnectorId: string;
  connectorTransactionId: string | null;
  amount: number;
  currency: string;
  errorCode: string | null;
  errorMessage: string | null;
  routingDecision: unknown;
  syncCount: number;
  createdAt: Date;
  modifiedAt: Date;
}

export interface EventRow {
  id: string;
  eventType: string;
  fromStatus: string | null;
  toStatus: string | null;
  source: string;
  attemptId: string | null;
  refundId: string | null;
  details: unknown;
  createdAt: Date;
}

export interface RefundRow {
  refundId: string;
  status: string;
  amount: number;
  currency: string;
  createdAt: Date;
}

export interface OutgoingRow {
  eventId: string;
  merchantId: string;
  eventType: string;
  paymentId: string | null;
  status: string;
  attempts: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface PaymentTimeline {
  payment: PaymentRow & { amountReceived: number | null; captureMethod: string; description: string | null };
  attempts: AttemptRow[];
  events: EventRow[];
  refunds: RefundRow[];
  outgoing: OutgoingRow[];
}

export interface AccountHealthRow {
  id: string;
  merchantId: string;
  connectorName: string;
  label: string;
  mode: string;
  disabled: boolean;
  /** Attempts within the metrics window by status. */
  recent: Array<{ status: string; n: number }>;
  /** The latest attempts, newest first. */
  last: Array<{ attemptId: string; paymentId: string; status: string; errorCode: string | null; createdAt: Date }>;
  /** Circuit breaker state (libs/routing), filled by AccountHealthService; null from the repository. */
  circuit: string | null;
}

export interface ReconRow {
  runId: string;
  merchantId: string;
  merchantConnectorId: string;
  day: string;
  status: string;
  trigger: string;
  summary: unknown;
  error: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface PaymentSearch {
  paymentId?: string;
  merchantId?: string;
  status?: string;
}
