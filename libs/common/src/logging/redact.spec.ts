import { REDACTED, redactSecrets, redactUrl } from './redact';

describe('log redaction', () => {
  it('removes secret-looking keys at any depth', () => {
    const out = redactSecrets({
      client_id: 'c1',
      secret_id: 's',
      data: { access_token: 't', nested: [{ card_number: '4242' }] },
    });
    expect(out).toEqual({
      client_id: 'c1',
      secret_id: REDACTED,
      data: { access_token: REDACTED, nested: [{ card_number: REDACTED }] },
    });
  });

  it('drops secret query values but keeps the path', () => {
    expect(redactUrl('/payments/pay_1?client_secret=abc&expand_attempts=true')).toBe(
      `/payments/pay_1?client_secret=${REDACTED}&expand_attempts=true`,
    );
    expect(redactUrl('/r?token=gpt_1')).toBe(`/r?token=${REDACTED}`);
    expect(redactUrl('/plain')).toBe('/plain');
  });

  it('redacts payment link ids, the credential of the public link page', () => {
    expect(redactUrl('/payment_link/m_1/plink_AbC123')).toBe(`/payment_link/m_1/plink_${REDACTED}`);
    expect(redactUrl('/payment_link/m_1/plink_AbC123?x=1')).toBe(`/payment_link/m_1/plink_${REDACTED}?x=1`);
  });
});
