import { cascadeVerdict, FinishedAttempt } from './cascade-policy';
import { retryVerdict } from './retryable-errors';

const failed = (overrides: Partial<FinishedAttempt> = {}): FinishedAttempt => ({
  status: 'failure',
  connector: 'generic',
  redirectUrl: null,
  errorCode: 'UNAUTHENTICATED',
  unifiedCode: 'UE_3000',
  ...overrides,
});

describe('retryable-error table', () => {
  it.each([
    ['generic', 'UNAUTHENTICATED', 'UE_3000', true],
    ['generic', 'HTTP_400', 'UE_3000', true],
    ['generic', 'HTTP_400', 'UE_2000', false],
    ['generic', 'FAILED', 'UE_1000', false],
    ['tap', '2104', 'UE_3000', true],
    ['tap', '1119', 'UE_2000', true],
    ['tap', '507', 'UE_1000', false],
    ['tap', '1108', 'UE_2000', false],
    ['plural', 'USER_AUTHENTICATION_FAILED', 'UE_3000', true],
    ['plural', 'PAYMENT_DECLINED', 'UE_1000', false],
    ['plural', 'INVALID_REQUEST', 'UE_2000', false],
    ['unknown_connector', 'UNAUTHENTICATED', 'UE_3000', false],
  ])('%s %s (%s) → retry %s', (connector, code, unifiedCode, retry) => {
    expect(retryVerdict(connector, { code, unifiedCode }).retry).toBe(retry);
  });

  it('never retries an issuer decline, a shopper cancel or an expiry, whatever a connector row says', () => {
    const table = [{ connector: 'generic', code: 'FAILED', retry: true, why: 'misconfigured' }];
    expect(retryVerdict('generic', { code: 'FAILED', unifiedCode: 'UE_1000' }).retry).toBe(false);
    expect(retryVerdict('generic', { code: 'FAILED', unifiedCode: 'UE_1000' }, table).retry).toBe(true);
  });
});

describe('cascade policy', () => {
  it('cascades a retryable definite failure within the budget', () => {
    expect(cascadeVerdict(failed(), 0, 1)).toEqual({
      cascade: true,
      why: 'UNAUTHENTICATED: gateway refused a fresh access token',
    });
  });

  it('stops when the budget is used', () => {
    expect(cascadeVerdict(failed(), 1, 1)).toEqual({ cascade: false, why: 'retry budget of 1 used' });
    expect(cascadeVerdict(failed(), 0, 0).cascade).toBe(false);
  });

  it('never cascades an unknown outcome (pending goes to polling) or a success', () => {
    expect(cascadeVerdict(failed({ status: 'pending' }), 0, 3)).toEqual({ cascade: false, why: 'attempt is pending' });
    expect(cascadeVerdict(failed({ status: 'authentication_pending' }), 0, 3).cascade).toBe(false);
  });

  it('never cascades once the shopper was sent to a hosted page', () => {
    expect(cascadeVerdict(failed({ redirectUrl: 'https://pay.example/x' }), 0, 3)).toEqual({
      cascade: false,
      why: 'the shopper was already sent to the processor page',
    });
  });

  it('never cascades an issuer decline', () => {
    expect(cascadeVerdict(failed({ errorCode: 'FAILED', unifiedCode: 'UE_1000' }), 0, 3)).toEqual({
      cascade: false,
      why: 'declined by the issuer or processor',
    });
  });
});
