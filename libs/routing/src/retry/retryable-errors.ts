/**
 * Which definite failures of an authorization may move to the next connector (Hyperswitch's GSM table, per connector).
 * Only failures where the processor never took the payment into its authorization flow belong here: our account or
 * request was refused (credentials, capability, a format this processor will not accept). Anything the issuer said, or
 * the shopper did, stays with the payment: a second processor would ask the same issuer, and the shopper already chose.
 * Codes not listed are not retried (unknown = conservative).
 *
 * Matching: the first row whose connector ('*' = any), code and unified code (when given) match decides.
 */
export interface RetryRule {
  connector: string;
  code?: string | RegExp;
  unifiedCode?: string;
  retry: boolean;
  why: string;
}

export const RETRYABLE_ERRORS: readonly RetryRule[] = [
  // Never, whoever reports it: the issuer or the shopper decided.
  { connector: '*', unifiedCode: 'UE_1000', retry: false, why: 'declined by the issuer or processor' },
  { connector: '*', unifiedCode: 'UE_1001', retry: false, why: 'cancelled by the customer' },
  { connector: '*', unifiedCode: 'UE_1002', retry: false, why: 'payment session expired' },

  // generic gateway (shared/connectors/generic.md)
  { connector: 'generic', code: 'UNAUTHENTICATED', retry: true, why: 'gateway refused a fresh access token' },
  { connector: 'generic', unifiedCode: 'UE_3000', retry: true, why: 'gateway refused the account credentials' },
  { connector: 'generic', code: 'FLOW_NOT_SUPPORTED', retry: true, why: 'flow not supported by this gateway' },
  { connector: 'generic', code: 'AMOUNT_NOT_REPRESENTABLE', retry: true, why: 'amount not expressible here' },
  { connector: 'generic', code: /^HTTP_(403|429)$/, retry: true, why: 'gateway refused this account the call' },

  // Tap (shared/connectors/tap.md)
  { connector: 'tap', code: '2104', retry: true, why: 'invalid API key' },
  { connector: 'tap', code: '1119', retry: true, why: 'currency not supported by this Tap account' },
  { connector: 'tap', code: '1117', retry: true, why: 'amount format refused by Tap' },
  { connector: 'tap', unifiedCode: 'UE_3000', retry: true, why: 'Tap refused the account credentials' },
  { connector: 'tap', code: /^(507|701|801)$/, retry: false, why: 'issuer decline, restriction or timeout' },

  // Pine Labs Plural (shared/connectors/plural.md)
  {
    connector: 'plural',
    code: /^(UNAUTHENTICATED|USER_AUTHENTICATION_FAILED|invalid_client)$/,
    retry: true,
    why: 'Plural refused the account credentials',
  },
  { connector: 'plural', unifiedCode: 'UE_3000', retry: true, why: 'Plural refused the account credentials' },
  { connector: 'plural', code: 'HTTP_429', retry: true, why: 'Plural rate-limited this account' },
  {
    connector: 'plural',
    code: /^(PAYMENT_DECLINED|DUPLICATE_REQUEST)$/,
    retry: false,
    why: 'declined, or already known',
  },
];

export interface RetryVerdict {
  retry: boolean;
  why: string;
}

export function retryVerdict(
  connector: string,
  error: { code: string | null; unifiedCode: string | null },
  table: readonly RetryRule[] = RETRYABLE_ERRORS,
): RetryVerdict {
  for (const rule of table) {
    if (rule.connector !== '*' && rule.connector !== connector) continue;
    if (rule.unifiedCode && rule.unifiedCode !== error.unifiedCode) continue;
    if (rule.code !== undefined && !codeMatches(rule.code, error.code)) continue;
    if (rule.code === undefined && rule.unifiedCode === undefined) continue;
    return { retry: rule.retry, why: rule.why };
  }
  return { retry: false, why: `error ${error.code ?? 'without a code'} is not in the retryable table` };
}

function codeMatches(pattern: string | RegExp, code: string | null): boolean {
  if (code === null) return false;
  return typeof pattern === 'string' ? pattern === code : pattern.test(code);
}
