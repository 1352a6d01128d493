import type { MagicValue } from '../sandbox.types';

/** Scripted outcomes, chosen by the last two digits of the order's paise value (100051 → decline). */
export type PluralOrderScript =
  | 'normal'
  | 'decline'
  | 'pending_then_processed'
  | 'create_timeout'
  | 'create_5xx'
  | 'inquiry_timeout'
  | 'attempted'
  | 'malformed_body';

const BY_PAISE: Readonly<Record<number, PluralOrderScript>> = {
  51: 'decline',
  52: 'pending_then_processed',
  53: 'create_timeout',
  54: 'create_5xx',
  55: 'inquiry_timeout',
  56: 'attempted',
  58: 'malformed_body',
};

export function orderScriptFor(value: number): PluralOrderScript {
  return BY_PAISE[value % 100] ?? 'normal';
}

/** A refund whose paise value ends in 57 settles FAILED. */
export function refundFailsFor(value: number): boolean {
  return value % 100 === 57;
}

/** Tries a shopper gets on an order before it turns FAILED (the `attempted` script spends them). */
export const PAYMENT_RETRIES = 3;

/** What the create call answers for the malformed-body script: cut off mid-object, but labelled JSON. */
export const TRUNCATED_BODY = '{"token":"';
/** The same for a seamless order create (`POST /api/pay/v1/orders`), whose answer is wrapped in `data`. */
export const TRUNCATED_SEAMLESS_BODY = '{"data":{"order_id":"';

export const PLURAL_MAGIC_VALUES: readonly MagicValue[] = [
  { value: 'paise …51', effect: 'decline: Pay sets the order FAILED (error PAYMENT_DECLINED), ORDER_FAILED webhook' },
  {
    value: 'paise …52',
    effect:
      'pending-then-processed: after Pay the order is PENDING for the next `pendingPolls` inquiries, then PROCESSED',
  },
  {
    value: 'paise …53',
    effect: 'create timeout: POST /api/checkout/v1/orders hangs `hangMs`, then 504; nothing created',
  },
  { value: 'paise …54', effect: 'create 5xx: POST /api/checkout/v1/orders answers 500; nothing created' },
  { value: 'paise …55', effect: 'inquiry timeout: every inquiry of the order hangs `hangMs`, then 504' },
  {
    value: 'paise …56',
    effect: `attempted: each Pay fails one try (order ATTEMPTED, PAYMENT_FAILED webhook); after ${PAYMENT_RETRIES} the order is FAILED`,
  },
  {
    value: 'paise …58',
    effect: 'malformed body: create answers 200 application/json with a truncated body; nothing created',
  },
  { value: 'refund paise …57', effect: 'the refund settles FAILED (REFUND_FAILED webhook) instead of PROCESSED' },
  { value: 'pre_auth: true', effect: 'Pay leaves the order AUTHORIZED (ORDER_AUTHORIZED) until capture or cancel' },
  { value: 'client_id starting "invalid"', effect: 'token refused: 401 invalid_client' },
  { value: 'client_secret < 8 chars or starting "invalid"', effect: 'token refused: 401 invalid_client' },
  { value: 'any other amount', effect: 'normal: Pay → PROCESSED (ORDER_PROCESSED), Fail → FAILED (ORDER_FAILED)' },
];
