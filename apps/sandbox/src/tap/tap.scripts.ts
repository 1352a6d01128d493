import type { MagicValue } from '../sandbox.types';
import { scriptDigits } from './tap.amounts';

/** Scripted outcomes of the Tap sandbox, chosen by the last two digits of the amount in minor units (1.051 KWD → 51). */
export type TapScript =
  | 'normal'
  | 'decline'
  | 'pending_then_success'
  | 'create_timeout'
  | 'create_5xx'
  | 'restricted'
  | 'abandoned'
  | 'malformed_body'
  | 'timedout'
  | 'unknown';

const BY_DIGITS: Readonly<Record<string, TapScript>> = {
  '51': 'decline',
  '52': 'pending_then_success',
  '53': 'create_timeout',
  '54': 'create_5xx',
  '55': 'restricted',
  '56': 'abandoned',
  '57': 'malformed_body',
  '58': 'timedout',
  '59': 'unknown',
};

export function scriptFor(minor: number): TapScript {
  return BY_DIGITS[scriptDigits(minor)] ?? 'normal';
}

/** A refund whose amount ends in 51 (minor units) settles FAILED instead of REFUNDED. */
export function refundFailsFor(minor: number): boolean {
  return scriptDigits(minor) === '51';
}

/** What `POST /v2/charges` answers for the malformed-body script: cut off, but labelled JSON. */
export const TRUNCATED_BODY = '{"id":"chg_';

export const TAP_MAGIC_VALUES: readonly MagicValue[] = [
  { value: 'minor units …51', effect: 'Pay on the hosted page → DECLINED (507)' },
  {
    value: 'minor units …52',
    effect: 'Pay → IN_PROGRESS; the next `pendingPolls` retrieves answer IN_PROGRESS, then CAPTURED (or AUTHORIZED)',
  },
  {
    value: 'minor units …53',
    effect:
      'create timeout: the charge IS created (INITIATED), then the create hangs `hangMs` and answers 504; a repeat with the same reference.idempotent answers the charge at once',
  },
  { value: 'minor units …54', effect: 'create 5xx: 500 with errors 9999; nothing is created' },
  { value: 'minor units …55', effect: 'Pay → RESTRICTED (701)' },
  { value: 'minor units …56', effect: 'Pay → ABANDONED (301), no webhook (Tap posts none for ABANDONED)' },
  {
    value: 'minor units …57',
    effect: 'malformed body: create answers 200 with a truncated JSON body; nothing is created',
  },
  { value: 'minor units …58', effect: 'Pay → TIMEDOUT (801)' },
  { value: 'minor units …59', effect: 'Pay → UNKNOWN (901), no webhook, until forced by a control route' },
  { value: 'refund minor units …51', effect: 'the refund settles FAILED (401) instead of REFUNDED' },
  { value: 'Bearer key not sk_test_ + 6 or more [A-Za-z0-9_], or sk_test_invalid…', effect: '401 errors 2104' },
  {
    value: 'any other amount',
    effect: 'Pay → CAPTURED (charge) / AUTHORIZED (authorize); Fail → FAILED; Cancel → CANCELLED',
  },
];
