import { randomBytes, randomInt } from 'node:crypto';
import type {
  NewTapCharge,
  NewTapRefund,
  TapCard,
  TapChargeRecord,
  TapChargeStatus,
  TapDelivery,
  TapObjectKind,
  TapRefundRecord,
  TapResponse,
  TapStats,
} from './tap.records';
import { TapTokens } from './tap.tokens';

const SANDBOX_CARD: TapCard = { first_six: '450875', scheme: 'VISA', brand: 'VISA', last_four: '1019' };
const token = (): string => randomBytes(12).toString('hex');
const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');

/** In-memory state of the Tap sandbox. Lost on restart, like any sandbox. */
export class TapStore {
  readonly stats: TapStats = {
    createRequests: 0,
    chargesCreated: 0,
    authorizationsCreated: 0,
    idempotentReplays: 0,
    retrieveRequests: 0,
    voidRequests: 0,
    refundRequests: 0,
    refundsCreated: 0,
    refundRetrieveRequests: 0,
    tokenRequests: 0,
    tokensCreated: 0,
    unauthorizedRequests: 0,
    webhooksSent: 0,
    webhooksFailed: 0,
  };
  /** Tunables for tests: webhook retry delays (2 retries), how soon a PENDING refund settles, card token lifetime. */
  readonly settings = { webhookRetryDelaysMs: [1000, 3000], refundSettleMs: 500, tokenTtlMs: 5 * 60_000 };
  /** Card tokens (`tok_…`) of `POST /v2/tokens`. */
  readonly tokens: TapTokens;
  readonly deliveries: TapDelivery[] = [];
  private readonly charges = new Map<string, TapChargeRecord>();
  private readonly refunds = new Map<string, TapRefundRecord>();
  /** `<apiKey>|<object>|<reference.idempotent>` → object id, and how many creates carried that reference. */
  private readonly idempotent = new Map<string, { id: string; requests: number }>();

  constructor(
    private readonly now: () => number,
    /** An INITIATED charge the shopper never completes turns ABANDONED after this (the sandbox's paymentTtlSeconds). */
    readonly pageTtlMs: number,
  ) {
    this.tokens = new TapTokens(now, () => this.settings.tokenTtlMs);
  }

  createCharge(input: NewTapCharge): TapChargeRecord {
    const prefix = input.object === 'authorize' ? 'auth' : 'chg';
    const record: TapChargeRecord = {
      ...input,
      id: `${prefix}_TS0${token()}`,
      createdAt: this.now(),
      status: input.status ?? 'INITIATED',
      pendingPollsLeft: null,
      gatewayReference: null,
      paymentReference: null,
      card: input.card ?? null,
      response: null,
      capturedBy: null,
    };
    this.charges.set(record.id, record);
    if (record.reference.idempotent !== null) {
      this.idempotent.set(this.idempotencyKey(record.apiKey, record.object, record.reference.idempotent), {
        id: record.id,
        requests: 1,
      });
    }
    if (record.object === 'authorize') this.stats.authorizationsCreated += 1;
    else this.stats.chargesCreated += 1;
    return record;
  }

  /** The object an earlier create with this reference.idempotent made (counting this repeat), if any. */
  replay(apiKey: string, object: TapObjectKind, idempotent: string): TapChargeRecord | undefined {
    const entry = this.idempotent.get(this.idempotencyKey(apiKey, object, idempotent));
    if (!entry) return undefined;
    entry.requests += 1;
    this.stats.idempotentReplays += 1;
    return this.charges.get(entry.id);
  }

  /** Per reference.idempotent: how many distinct objects exist (always 1 when idempotency holds) and how many creates. */
  idempotency(): { idempotent: string; object: TapObjectKind; objects: number; requests: number; ids: string[] }[] {
    const out = new Map<
      string,
      { idempotent: string; object: TapObjectKind; objects: number; requests: number; ids: string[] }
    >();
    for (const charge of this.charges.values()) {
      const key = charge.reference.idempotent;
      if (key === null) continue;
      const mapKey = this.idempotencyKey(charge.apiKey, charge.object, key);
      const row = out.get(mapKey) ?? { idempotent: key, object: charge.object, objects: 0, requests: 0, ids: [] };
      row.objects += 1;
      row.ids.push(charge.id);
      row.requests = this.idempotent.get(mapKey)?.requests ?? row.objects;
      out.set(mapKey, row);
    }
    return [...out.values()];
  }

  /** Any key's charge (hosted page, control routes), with lazy abandonment applied. */
  getCharge(id: string): TapChargeRecord | undefined {
    const record = this.charges.get(id);
    if (record) this.applyAbandonment(record);
    return record;
  }

  findOwnedCharge(apiKey: string, id: string, object: TapObjectKind): TapChargeRecord | undefined {
    const record = this.getCharge(id);
    return record?.apiKey === apiKey && record.object === object ? record : undefined;
  }

  listCharges(filter: { idempotent?: string; transaction?: string } = {}): TapChargeRecord[] {
    for (const record of this.charges.values()) this.applyAbandonment(record);
    return [...this.charges.values()].filter(
      (c) =>
        (filter.idempotent === undefined || c.reference.idempotent === filter.idempotent) &&
        (filter.transaction === undefined || c.reference.transaction === filter.transaction),
    );
  }

  /** The shopper finished on the hosted page (or a control route forced it): Tap's references and the card appear. */
  settle(
    record: TapChargeRecord,
    status: TapChargeStatus,
    pendingPolls: number | null = null,
    response: TapResponse | null = null,
  ): void {
    record.status = status;
    record.pendingPollsLeft = pendingPolls;
    record.response = response;
    record.gatewayReference ??= digits(12);
    record.paymentReference ??= digits(18);
    record.card ??= { ...SANDBOX_CARD };
  }

  /** A retrieve by the merchant: advances pending-then-success. True when this call made it final. */
  observe(record: TapChargeRecord): boolean {
    if (record.pendingPollsLeft === null) return false;
    if (record.pendingPollsLeft > 0) {
      record.pendingPollsLeft -= 1;
      return false;
    }
    record.pendingPollsLeft = null;
    record.status = record.object === 'authorize' ? 'AUTHORIZED' : 'CAPTURED';
    return true;
  }

  createRefund(input: NewTapRefund): TapRefundRecord {
    const refund: TapRefundRecord = {
      ...input,
      id: `re_TS0${token()}`,
      createdAt: this.now(),
      status: 'PENDING',
      gatewayReference: digits(12),
      paymentReference: digits(18),
    };
    this.refunds.set(refund.id, refund);
    this.stats.refundsCreated += 1;
    return refund;
  }

  /** Refunds of a charge that still count against its amount (everything not failed or cancelled). */
  activeRefundedMinor(chargeId: string): number {
    return [...this.refunds.values()]
      .filter(
        (r) =>
          r.chargeId === chargeId && !['FAILED', 'CANCELLED', 'DECLINED', 'RESTRICTED', 'TIMEDOUT'].includes(r.status),
      )
      .reduce((sum, r) => sum + r.amountMinor, 0);
  }

  findOwnedRefund(apiKey: string, id: string): TapRefundRecord | undefined {
    const refund = this.refunds.get(id);
    return refund?.apiKey === apiKey ? refund : undefined;
  }

  listRefunds(chargeId?: string): TapRefundRecord[] {
    return [...this.refunds.values()].filter((r) => chargeId === undefined || r.chargeId === chargeId);
  }

  /** PENDING → REFUNDED (or FAILED for the refund script). True when this call settled it. */
  settleRefund(refund: TapRefundRecord): boolean {
    if (refund.status !== 'PENDING') return false;
    refund.status = refund.failsOnSettle ? 'FAILED' : 'REFUNDED';
    return true;
  }

  recordDelivery(delivery: Omit<TapDelivery, 'at'>): void {
    this.deliveries.push({ ...delivery, at: new Date(this.now()).toISOString() });
    if (delivery.httpStatus !== null && delivery.httpStatus >= 200 && delivery.httpStatus < 300)
      this.stats.webhooksSent += 1;
    else this.stats.webhooksFailed += 1;
  }

  private applyAbandonment(record: TapChargeRecord): void {
    if (record.status === 'INITIATED' && this.now() >= record.createdAt + this.pageTtlMs) record.status = 'ABANDONED';
  }

  private idempotencyKey(apiKey: string, object: TapObjectKind, idempotent: string): string {
    return `${apiKey}|${object}|${idempotent}`;
  }
}
