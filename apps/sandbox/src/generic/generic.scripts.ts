import type { MagicValue } from '../sandbox.types';

/** Scripted outcomes of the generic gateway, chosen by the cents of the payment amount string ("12.51" → decline). */
export type GenericPaymentScript =
  'normal' | 'decline' | 'pending_then_success' | 'create_timeout' | 'create_5xx' | 'status_timeout' | 'malformed_body';

const BY_CENTS: Readonly<Record<string, GenericPaymentScript>> = {
  '51': 'decline',
  '52': 'pending_then_success',
  '53': 'create_timeout',
  '54': 'create_5xx',
  '55': 'status_timeout',
  '57': 'malformed_body',
};

const centsOf = (amount: string): string => amount.slice(-2);

export function paymentScriptFor(amount: string): GenericPaymentScript {
  return BY_CENTS[centsOf(amount)] ?? 'normal';
}

/** A refund whose amount ends in .51 settles as FAILED on its first status check. */
export function refundFailsFor(amount: string): boolean {
  return centsOf(amount) === '51';
}

/** What `POST /payment/create` answers for the malformed-body script: cut off mid-envelope, but labelled JSON. */
export const TRUNCATED_BODY = '{"message":{"code":200,';

export const GENERIC_MAGIC_VALUES: readonly MagicValue[] = [
  { value: 'amount x.51', effect: 'decline: Pay on the hosted page sets the payment FAILED' },
  {
    value: 'amount x.52',
    effect:
      'pending-then-success: after Pay, the next `pendingPolls` status checks answer PENDING (trx_id set), then SUCCESS',
  },
  {
    value: 'amount x.53',
    effect: 'create timeout: POST /payment/create hangs `hangMs`, then answers 504; nothing is created',
  },
  { value: 'amount x.54', effect: 'create 5xx: POST /payment/create answers 500; nothing is created' },
  {
    value: 'amount x.55',
    effect: 'status timeout: create works, every status check of the payment hangs `hangMs`, then 504',
  },
  {
    value: 'amount x.57',
    effect:
      'malformed body: POST /payment/create answers 200 application/json with a truncated body; nothing is created',
  },
  { value: 'refund amount x.51', effect: 'refund FAILED on its first status check (instead of SUCCESS)' },
  { value: 'secret_id < 8 chars or starting "invalid"', effect: 'token request refused: 400 Invalid secret ID' },
  { value: 'client_id starting "invalid"', effect: 'token request refused: 400 Invalid client ID' },
  { value: 'any other amount', effect: 'normal: Pay → SUCCESS, Fail → FAILED, Cancel → CANCELLED' },
];
