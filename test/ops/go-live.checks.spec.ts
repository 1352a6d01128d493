import { goLiveItems, type AccountFacts, type GoLiveItemId, type GoLiveSnapshot } from '@switchyard/ops';

/** Each readiness item, failing and passing, on a hand-built snapshot (the e2e suite covers the same through the API). */
const account = (over: Partial<AccountFacts>): AccountFacts => ({
  id: 'mca_live',
  connectorName: 'generic',
  label: 'generic_default_live',
  profileId: 'pro_1',
  mode: 'live',
  disabled: false,
  paymentMethodCount: 1,
  hasWebhookSecret: false,
  sendsWebhooks: false,
  webhooksSignedWithCredentials: false,
  credentialProblem: null,
  credentialFingerprints: { api_key: 'live-a', key1: 'live-b' },
  testKeyFields: [],
  verdict: { status: 'valid' },
  ...over,
});

const testAccount = account({
  id: 'mca_test',
  mode: 'test',
  label: 'generic_default',
  credentialFingerprints: { api_key: 'test-a', key1: 'test-b' },
  verdict: null,
});

function ready(): GoLiveSnapshot {
  return {
    merchantId: 'm_1',
    merchantReturnUrl: 'https://shop.example/return',
    defaultProfileId: 'pro_1',
    profiles: [
      {
        profileId: 'pro_1',
        profileName: 'default',
        returnUrl: 'https://shop.example/return',
        webhookUrl: 'https://shop.example/hooks',
        enablePaymentResponseHash: true,
        hashKeySet: true,
      },
    ],
    accounts: [testAccount, account({})],
    usableKeys: [
      { keyId: 'snd_1', mode: 'test' },
      { keyId: 'prd_1', mode: 'live' },
    ],
  };
}

const item = (s: GoLiveSnapshot, id: GoLiveItemId) => {
  const found = goLiveItems(s).find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
};

describe('go-live checklist', () => {
  it('passes every item for a fully configured merchant, with no action to take', () => {
    const items = goLiveItems(ready());
    expect(items.map((i) => i.id)).toEqual([
      'live_connector_accounts',
      'live_credentials_verified',
      'webhook_secrets',
      'merchant_webhook_endpoint',
      'return_urls_https',
      'payment_methods_enabled',
      'live_api_key',
      'no_test_credentials_in_live',
      'response_hash_key',
    ]);
    for (const i of items)
      expect({ id: i.id, status: i.status, action: i.action }).toEqual({ id: i.id, status: 'pass', action: '' });
  });

  it('fails live_connector_accounts when a test connector has no live twin, or nothing is configured', () => {
    const s = ready();
    s.accounts.push(account({ id: 'mca_tap_test', connectorName: 'tap', mode: 'test', verdict: null }));
    const failed = item(s, 'live_connector_accounts');
    expect(failed.status).toBe('fail');
    expect(failed.detail).toContain('tap (mca_tap_test)');
    expect(failed.action).toContain('/account/m_1/connectors/');
    expect(item({ ...s, accounts: [] }, 'live_connector_accounts').detail).toContain('No connector account');
    // A disabled live account does not count.
    expect(
      item({ ...ready(), accounts: [testAccount, account({ disabled: true })] }, 'live_connector_accounts').status,
    ).toBe('fail');
  });

  it('fails live_credentials_verified when the processor refuses, cannot be reached, or the credentials are unusable', () => {
    const refused = {
      ...ready(),
      accounts: [testAccount, account({ verdict: { status: 'invalid', reason: 'HTTP 400 Invalid client ID' } })],
    };
    expect(item(refused, 'live_credentials_verified')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('refused'),
    });
    const down = { ...ready(), accounts: [account({ verdict: { status: 'unreachable', reason: 'timeout' } })] };
    expect(item(down, 'live_credentials_verified').detail).toContain('not verified (timeout)');
    const broken = {
      ...ready(),
      accounts: [account({ credentialProblem: 'stored credentials cannot be decrypted', verdict: null })],
    };
    expect(item(broken, 'live_credentials_verified').status).toBe('fail');
    expect(item({ ...ready(), accounts: [testAccount] }, 'live_credentials_verified').status).toBe('fail');
    const unsupported = { ...ready(), accounts: [account({ verdict: { status: 'unsupported' } })] };
    expect(item(unsupported, 'live_credentials_verified')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('No credential check'),
    });
  });

  it('fails webhook_secrets for a webhook-sending connector without a secret, unless it signs with its API key', () => {
    const plural = account({ id: 'mca_p', connectorName: 'plural', sendsWebhooks: true, hasWebhookSecret: false });
    expect(item({ ...ready(), accounts: [plural] }, 'webhook_secrets')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('plural (mca_p)'),
    });
    expect(item({ ...ready(), accounts: [{ ...plural, hasWebhookSecret: true }] }, 'webhook_secrets').status).toBe(
      'pass',
    );
    const tap = account({
      id: 'mca_t',
      connectorName: 'tap',
      sendsWebhooks: true,
      webhooksSignedWithCredentials: true,
    });
    expect(item({ ...ready(), accounts: [tap] }, 'webhook_secrets')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('signed with the API key'),
    });
  });

  it('fails merchant_webhook_endpoint when the live profile has no endpoint or a plain-HTTP one', () => {
    const s = ready();
    s.profiles[0].webhookUrl = null;
    expect(item(s, 'merchant_webhook_endpoint')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('no webhook_url'),
    });
    s.profiles[0].webhookUrl = 'http://shop.example/hooks';
    expect(item(s, 'merchant_webhook_endpoint').detail).toContain('not HTTPS');
  });

  it('fails return_urls_https for a plain-HTTP or missing default return URL', () => {
    const s = ready();
    s.profiles[0].returnUrl = 'http://shop.example/return';
    expect(item(s, 'return_urls_https')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('profile default return_url is not HTTPS'),
    });
    const none = ready();
    none.profiles[0].returnUrl = null;
    none.merchantReturnUrl = null;
    expect(item(none, 'return_urls_https').detail).toContain('no default return_url');
    const merchantHttp = ready();
    merchantHttp.merchantReturnUrl = 'http://shop.example/r';
    expect(item(merchantHttp, 'return_urls_https').status).toBe('fail');
  });

  it('fails payment_methods_enabled for a live account with none', () => {
    expect(
      item({ ...ready(), accounts: [account({ paymentMethodCount: 0 })] }, 'payment_methods_enabled'),
    ).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('generic (mca_live)'),
    });
  });

  it('fails live_api_key without a usable live key', () => {
    expect(item({ ...ready(), usableKeys: [{ keyId: 'snd_1', mode: 'test' }] }, 'live_api_key')).toMatchObject({
      status: 'fail',
      action: expect.stringContaining('"mode":"live"'),
    });
  });

  it('fails no_test_credentials_in_live when a live account reuses a test credential or holds a test key', () => {
    const reused = {
      ...ready(),
      accounts: [testAccount, account({ credentialFingerprints: { api_key: 'live-a', key1: 'test-b' } })],
    };
    expect(item(reused, 'no_test_credentials_in_live')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('key1 also used by a test account'),
    });
    // The same value on another connector's test account is no evidence.
    const otherConnector = {
      ...ready(),
      accounts: [
        { ...testAccount, connectorName: 'plural' },
        account({ credentialFingerprints: { api_key: 'test-a' } }),
      ],
    };
    expect(item(otherConnector, 'no_test_credentials_in_live').status).toBe('pass');
    const testKey = { ...ready(), accounts: [testAccount, account({ testKeyFields: ['api_key'] })] };
    expect(item(testKey, 'no_test_credentials_in_live').detail).toContain('api_key is a test key');
  });

  it('fails response_hash_key when signing is off or no key is stored', () => {
    const off = ready();
    off.profiles[0].enablePaymentResponseHash = false;
    expect(item(off, 'response_hash_key')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('enable_payment_response_hash is off'),
    });
    const missing = ready();
    missing.profiles[0].hashKeySet = false;
    expect(item(missing, 'response_hash_key').detail).toContain('no payment_response_hash_key');
  });
});
