import { createHmac } from 'node:crypto';
import { signReturnParams } from './return.service';

describe('signed return to the merchant', () => {
  it('signs the sorted k=v pairs with HMAC-SHA512 and ignores signature fields', () => {
    const params = { status: 'succeeded', payment_id: 'pay_1', amount: '100' };
    const expected = createHmac('sha512', 'key').update('amount=100&payment_id=pay_1&status=succeeded').digest('hex');
    expect(signReturnParams(params, 'key')).toBe(expected);
    expect(signReturnParams({ ...params, signature: 'x', signature_algorithm: 'HMAC-SHA512' }, 'key')).toBe(expected);
    expect(signReturnParams({ ...params, status: 'failed' }, 'key')).not.toBe(expected);
  });
});
