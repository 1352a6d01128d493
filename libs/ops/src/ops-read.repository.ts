import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type {
  AccountHealthRow,
  AttemptRow,
  EventRow,
  OutgoingRow,
  PaymentRow,
  PaymentSearch,
  PaymentTimeline,
  ReconRow,
  RefundRow,
} from './ops-read.types';

const LIST_LIMIT = 50;
const LAST_ATTEMPTS = 5;
type Raw = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));

/**
 * Read-only queries of the operator dashboard and the metrics scrape. The dashboard is for the operator (admin key), who sees every merchant:
 * a null `merchantId` means "all merchants", a string scopes the query to that merchant.
 */
@Injectable()
export class OpsReadRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async searchPayments(search: PaymentSearch): Promise<PaymentRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT i.payment_id, i.merchant_id, i.status, i.amount, i.currency, i.mode, i.created_at, a.connector
         FROM payment_intents i LEFT JOIN payment_attempts a ON a.attempt_id = i.active_attempt_id
        WHERE ($1::varchar IS NULL OR i.payment_id = $1) AND ($2::varchar IS NULL OR i.merchant_id = $2)
          AND ($3::varchar IS NULL OR i.status = $3)
        ORDER BY i.created_at DESC LIMIT ${LIST_LIMIT}`,
      [search.paymentId || null, search.merchantId || null, search.status || null],
    )) as Raw[];
    return rows.map(toPayment);
  }

  async timeline(merchantId: string, paymentId: string): Promise<PaymentTimeline | null> {
    const [intent] = (await this.dataSource.query(
      `SELECT i.payment_id, i.merchant_id, i.status, i.amount, i.currency, i.mode, i.created_at, i.amount_received,
              i.capture_method, i.description, a.connector
         FROM payment_intents i LEFT JOIN payment_attempts a ON a.attempt_id = i.active_attempt_id
        WHERE i.merchant_id = $1 AND i.payment_id = $2`,
      [merchantId, paymentId],
    )) as Raw[];
    if (!intent) return null;
    const scope = [merchantId, paymentId];
    const [attempts, events, refunds, outgoing] = await Promise.all([
      this.dataSource.query(
        'SELECT * FROM payment_attempts WHERE merchant_id = $1 AND payment_id = $2 ORDER BY created_at, attempt_id',
        scope,
      ) as Promise<Raw[]>,
      this.dataSource.query(
        'SELECT * FROM payment_events WHERE merchant_id = $1 AND payment_id = $2 ORDER BY id',
        scope,
      ) as Promise<Raw[]>,
      this.dataSource.query(
        'SELECT * FROM refunds WHERE merchant_id = $1 AND payment_id = $2 ORDER BY created_at',
        scope,
      ) as Promise<Raw[]>,
      this.outgoing(merchantId, paymentId),
    ]);
    return {
      payment: {
        ...toPayment(intent),
        amountReceived: numOrNull(intent.amount_received),
        captureMethod: str(intent.capture_method),
        description: strOrNull(intent.description),
      },
      attempts: attempts.map(toAttempt),
      events: events.map(toEvent),
      refunds: refunds.map((r): RefundRow => ({
        refundId: str(r.refund_id),
        status: str(r.status),
        amount: num(r.amount),
        currency: str(r.currency),
        createdAt: date(r.created_at),
      })),
      outgoing,
    };
  }

  async accountHealth(merchantId: string | null, since: Date): Promise<AccountHealthRow[]> {
    const accounts = (await this.dataSource.query(
      `SELECT merchant_connector_id, merchant_id, connector_name, connector_label, mode, disabled FROM connector_accounts
        WHERE ($1::varchar IS NULL OR merchant_id = $1) ORDER BY merchant_id, created_at LIMIT ${LIST_LIMIT}`,
      [merchantId],
    )) as Raw[];
    if (accounts.length === 0) return [];
    const ids = accounts.map((a) => str(a.merchant_connector_id));
    const counts = (await this.dataSource.query(
      `SELECT merchant_connector_id, status, count(*)::int AS n FROM payment_attempts
        WHERE merchant_connector_id = ANY($1) AND created_at >= $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [ids, since],
    )) as Raw[];
    const last = (await this.dataSource.query(
      `SELECT * FROM (SELECT merchant_connector_id, attempt_id, payment_id, status, error_code, created_at,
               row_number() OVER (PARTITION BY merchant_connector_id ORDER BY created_at DESC) AS rn
          FROM payment_attempts WHERE merchant_connector_id = ANY($1)) t WHERE rn <= ${LAST_ATTEMPTS}`,
      [ids],
    )) as Raw[];
    return accounts.map((a) => {
      const id = str(a.merchant_connector_id);
      return {
        id,
        merchantId: str(a.merchant_id),
        connectorName: str(a.connector_name),
        label: str(a.connector_label),
        mode: str(a.mode),
        disabled: a.disabled === true,
        recent: counts
          .filter((c) => c.merchant_connector_id === id)
          .map((c) => ({ status: str(c.status), n: num(c.n) })),
        last: last
          .filter((l) => l.merchant_connector_id === id)
          .sort((x, y) => date(y.created_at).getTime() - date(x.created_at).getTime())
          .map((l) => ({
            attemptId: str(l.attempt_id),
            paymentId: str(l.payment_id),
            status: str(l.status),
            errorCode: strOrNull(l.error_code),
            createdAt: date(l.created_at),
          })),
        circuit: null,
      };
    });
  }

  /** Outgoing merchant webhook events with their latest delivery attempt, newest first. */
  async outgoing(merchantId: string | null, paymentId?: string): Promise<OutgoingRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT e.*, d.response_status AS last_status, d.error AS last_error FROM outgoing_events e
         LEFT JOIN LATERAL (SELECT response_status, error FROM webhook_deliveries w
                             WHERE w.merchant_id = e.merchant_id AND w.event_id = e.event_id ORDER BY w.id DESC LIMIT 1) d ON true
        WHERE ($1::varchar IS NULL OR e.merchant_id = $1) AND ($2::varchar IS NULL OR e.payment_id = $2)
        ORDER BY e.created_at DESC LIMIT ${LIST_LIMIT}`,
      [merchantId, paymentId ?? null],
    )) as Raw[];
    return rows.map((e) => ({
      eventId: str(e.event_id),
      merchantId: str(e.merchant_id),
      eventType: str(e.event_type),
      paymentId: strOrNull(e.payment_id),
      status: str(e.status),
      attempts: num(e.attempts),
      lastResponseStatus: numOrNull(e.last_status),
      lastError: strOrNull(e.last_error),
      createdAt: date(e.created_at),
      deliveredAt: dateOrNull(e.delivered_at),
    }));
  }

  async reconRuns(merchantId: string | null): Promise<ReconRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT run_id, merchant_id, merchant_connector_id, to_char(day, 'YYYY-MM-DD') AS day, status, trigger, summary,
              error, created_at, completed_at
         FROM recon_runs WHERE ($1::varchar IS NULL OR merchant_id = $1) ORDER BY created_at DESC LIMIT ${LIST_LIMIT}`,
      [merchantId],
    )) as Raw[];
    return rows.map((r) => ({
      runId: str(r.run_id),
      merchantId: str(r.merchant_id),
      merchantConnectorId: str(r.merchant_connector_id),
      day: str(r.day),
      status: str(r.status),
      trigger: str(r.trigger),
      summary: r.summary ?? null,
      error: strOrNull(r.error),
      createdAt: date(r.created_at),
      completedAt: dateOrNull(r.completed_at),
    }));
  }

  /** Metrics scrape: attempts created since `since`, by connector and status. */
  async attemptCounts(since: Date): Promise<Array<{ connector: string; status: string; n: number }>> {
    const rows = (await this.dataSource.query(
      `SELECT connector, status, count(*)::int AS n FROM payment_attempts WHERE created_at >= $1 GROUP BY connector, status`,
      [since],
    )) as Raw[];
    return rows.map((r) => ({ connector: str(r.connector), status: str(r.status), n: num(r.n) }));
  }
}

function toPayment(r: Raw): PaymentRow {
  return {
    paymentId: str(r.payment_id),
    merchantId: str(r.merchant_id),
    status: str(r.status),
    amount: num(r.amount),
    currency: str(r.currency),
    mode: str(r.mode),
    connector: strOrNull(r.connector),
    createdAt: date(r.created_at),
  };
}

function toAttempt(a: Raw): AttemptRow {
  return {
    attemptId: str(a.attempt_id),
    status: str(a.status),
    connector: str(a.connector),
    merchantConnectorId: str(a.merchant_connector_id),
    connectorTransactionId: strOrNull(a.connector_transaction_id),
    amount: num(a.amount),
    currency: str(a.currency),
    errorCode: strOrNull(a.error_code),
    errorMessage: strOrNull(a.error_message),
    routingDecision: a.routing_decision ?? null,
    syncCount: num(a.sync_count),
    createdAt: date(a.created_at),
    modifiedAt: date(a.modified_at),
  };
}

function toEvent(e: Raw): EventRow {
  return {
    id: str(e.id),
    eventType: str(e.event_type),
    fromStatus: strOrNull(e.from_status),
    toStatus: strOrNull(e.to_status),
    source: str(e.source),
    attemptId: strOrNull(e.attempt_id),
    refundId: strOrNull(e.refund_id),
    details: e.details ?? null,
    createdAt: date(e.created_at),
  };
}
