import { call, HttpResult } from '../support/client';
import { startStack, Stack } from '../support/stack';
import { activateRouting, choice, decisionOf, merchantWithAccounts, pay, RoutingMerchant } from './routing.support';

/** The /routing ops API: versions, activation, fallback list, retry budget, validation on save, tenant and mode scoping. */
describe('Routing configs through the ops API', () => {
  let stack: Stack;
  let m: RoutingMerchant;
  let other: RoutingMerchant;

  beforeAll(async () => {
    stack = await startStack('routing-config');
    m = await merchantWithAccounts(stack, [{ label: 'a' }, { label: 'b' }, { label: 'c' }]);
    other = await merchantWithAccounts(stack, [{ label: 'x' }]);
  });
  afterAll(() => stack.close());

  const save = (algorithm: unknown, key = m.key, extra: Record<string, unknown> = {}) =>
    call(stack.api, 'POST', '/routing', { key, body: { name: 'cfg', profile_id: m.profileId, algorithm, ...extra } });
  const expectError = (res: HttpResult, status: number, code: string, message: string | RegExp) => {
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', code });
    expect(res.body.error?.message).toMatch(message);
  };

  it('saves versions, activates one, reports it active and routes payments by it', async () => {
    const v1 = await save({ type: 'single', data: choice(m, 'b') });
    const v2 = await save({ type: 'priority', data: [choice(m, 'c'), choice(m, 'a')] });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      profile_id: m.profileId,
      kind: 'single',
      mode: 'test',
      active: false,
      algorithm_for: 'payment',
    });
    expect(Number(v2.body.version)).toBe(Number(v1.body.version) + 1);

    const activated = await call(stack.api, 'POST', `/routing/${String(v2.body.id)}/activate`, {
      key: m.key,
      body: {},
    });
    expect(activated.body).toMatchObject({ id: v2.body.id, active: true });
    const active = await call(stack.api, 'GET', `/routing/active?profile_id=${m.profileId}`, { key: m.key });
    expect((active.body as unknown as { id: string }[]).map((r) => r.id)).toEqual([v2.body.id]);
    expect((await call(stack.api, 'GET', `/routing/${String(v1.body.id)}`, { key: m.key })).body.active).toBe(false);

    const paid = await pay(stack, m, 1000);
    expect(decisionOf(paid)).toMatchObject({
      algorithm: 'priority',
      routing_algorithm: { id: v2.body.id, version: v2.body.version },
      selected: { merchant_connector_id: m.accounts.c },
    });

    const off = await call(stack.api, 'POST', '/routing/deactivate', { key: m.key, body: { profile_id: m.profileId } });
    expect(off.body).toMatchObject({ id: v2.body.id, active: false });
    expect(decisionOf(await pay(stack, m, 1000))).toMatchObject({
      algorithm: 'default_fallback',
      selected: { merchant_connector_id: m.accounts.a },
    });
    const again = await call(stack.api, 'POST', '/routing/deactivate', {
      key: m.key,
      body: { profile_id: m.profileId },
    });
    expectError(again, 400, 'IR_16', /No routing algorithm is active/);
  });

  it('keeps a default fallback list and a retry budget per profile', async () => {
    const initial = await call(stack.api, 'GET', `/routing/default/profile/${m.profileId}`, { key: m.key });
    expect(initial.body).toEqual([choice(m, 'a'), choice(m, 'b'), choice(m, 'c')]);
    const set = await call(stack.api, 'POST', `/routing/default/profile/${m.profileId}`, {
      key: m.key,
      body: [choice(m, 'b'), choice(m, 'a')],
    });
    expect(set.status).toBe(200);
    const paid = await pay(stack, m, 1000);
    expect(decisionOf(paid).selected.merchant_connector_id).toBe(m.accounts.b);
    expect(decisionOf(paid).candidates.find((c) => c.merchant_connector_id === m.accounts.c)?.skipped_reason).toBe(
      'not in the routing algorithm or the fallback list',
    );
    const budget = await call(stack.api, 'POST', `/routing/settings/profile/${m.profileId}`, {
      key: m.key,
      body: { max_cascade_retries: 3 },
    });
    expect(budget.body).toEqual({ profile_id: m.profileId, mode: 'test', max_cascade_retries: 3 });
    const tooMany = await call(stack.api, 'POST', `/routing/settings/profile/${m.profileId}`, {
      key: m.key,
      body: { max_cascade_retries: 9 },
    });
    expectError(tooMany, 422, 'IR_05', /max_cascade_retries/);
  });

  it('routes by rules over amount, currency, country and metadata, recording the rule', async () => {
    const rule = (name: string, condition: unknown[], label: string) => ({
      name,
      statements: [{ condition }],
      connector_selection: { type: 'single', data: choice(m, label) },
    });
    await activateRouting(stack, m, {
      type: 'advanced',
      data: {
        rules: [
          rule('vip', [{ lhs: 'metadata.tier', comparison: 'equal', value: 'vip' }], 'c'),
          rule(
            'big_eu',
            [
              { lhs: 'amount', comparison: 'greater_than_equal', value: 50000 },
              { lhs: 'country', comparison: 'in', value: ['DE', 'FR'] },
            ],
            'b',
          ),
        ],
        default_selection: { type: 'single', data: choice(m, 'a') },
      },
    });
    const vip = decisionOf(await pay(stack, m, 1000, { metadata: { tier: 'vip' } }));
    expect(vip).toMatchObject({
      algorithm: 'advanced',
      rule: 'vip',
      selected: { merchant_connector_id: m.accounts.c },
    });
    const big = decisionOf(await pay(stack, m, 60000, { metadata: { billing_country: 'de' } }));
    expect(big).toMatchObject({ rule: 'big_eu', selected: { merchant_connector_id: m.accounts.b } });
    const plain = decisionOf(await pay(stack, m, 60000, { metadata: { billing_country: 'US' } }));
    expect(plain).toMatchObject({ rule: null, selected: { merchant_connector_id: m.accounts.a } });
  });

  it('lets the merchant pin a connector per payment within what is eligible', async () => {
    const pinned = await pay(stack, m, 1000, { routing: { type: 'single', data: choice(m, 'c') } });
    expect(decisionOf(pinned)).toMatchObject({
      algorithm: 'straight_through',
      selected: { merchant_connector_id: m.accounts.c },
    });
    const foreign = await pay(stack, m, 1000, { routing: { type: 'single', data: choice(other, 'x') } });
    expectError(foreign, 400, 'IR_39', /No eligible connector/);
    const malformed = await pay(stack, m, 1000, { routing: { type: 'priority', data: [] } });
    expectError(malformed, 422, 'IR_06', 'routing.data: must not be empty');
  });

  it.each<[string, (mm: RoutingMerchant) => unknown, number, string, string | RegExp]>([
    [
      'an unknown connector account',
      () => ({ type: 'single', data: { connector: 'generic', merchant_connector_id: 'mca_nope' } }),
      422,
      'IR_06',
      /^algorithm\.data\.merchant_connector_id: unknown connector account mca_nope/,
    ],
    [
      'another merchant\u2019s account',
      () => ({ type: 'priority', data: [{ connector: 'generic', merchant_connector_id: other.accounts.x }] }),
      422,
      'IR_06',
      /^algorithm\.data\[0\]\.merchant_connector_id: unknown connector account/,
    ],
    [
      'a connector with no account',
      () => ({ type: 'single', data: { connector: 'tap' } }),
      422,
      'IR_06',
      'algorithm.data: no test mode tap connector account in profile ' + '%PROFILE%',
    ],
    ['an empty split', () => ({ type: 'volume_split', data: [] }), 422, 'IR_06', 'algorithm.data: must not be empty'],
    [
      'percentages not adding up to 100',
      (mm) => ({
        type: 'volume_split',
        data: [
          { connector: choice(mm, 'a'), split: 50 },
          { connector: choice(mm, 'b'), split: 40 },
        ],
      }),
      422,
      'IR_06',
      'algorithm.data: volume split percentages add up to 90, they must add up to 100',
    ],
    [
      'a rule with a bad comparison',
      (mm) => ({
        type: 'advanced',
        data: {
          rules: [
            {
              name: 'r',
              statements: [{ condition: [{ lhs: 'amount', comparison: 'bigger_than', value: 1 }] }],
              connector_selection: { type: 'single', data: choice(mm, 'a') },
            },
          ],
        },
      }),
      422,
      'IR_05',
      /^algorithm\.data\.rules\[0\]\.statements\[0\]\.condition\[0\]\.comparison contains invalid data/,
    ],
    [
      'a rule on an unknown field',
      (mm) => ({
        type: 'advanced',
        data: {
          rules: [
            {
              name: 'r',
              statements: [{ condition: [{ lhs: 'bin', comparison: 'equal', value: '4242' }] }],
              connector_selection: { type: 'single', data: choice(mm, 'a') },
            },
          ],
        },
      }),
      422,
      'IR_05',
      /condition\[0\]\.lhs contains invalid data/,
    ],
    [
      'an unknown algorithm type',
      () => ({ type: 'round_robin', data: [] }),
      422,
      'IR_05',
      /^algorithm\.type contains invalid data/,
    ],
  ])('refuses %s on save, naming the problem', async (_what, algorithm, status, code, message) => {
    const res = await save(algorithm(m));
    const expected = typeof message === 'string' ? message.replace('%PROFILE%', m.profileId) : message;
    expectError(res, status, code, typeof expected === 'string' ? expected : expected);
    if (typeof expected === 'string') expect(res.body.error?.message).toBe(expected);
  });

  it('scopes configs to the merchant and the key mode; the admin key acts for a named merchant', async () => {
    const mine = await save({ type: 'single', data: choice(m, 'a') });
    const theirs = await call(stack.api, 'GET', `/routing/${String(mine.body.id)}`, { key: other.key });
    expectError(theirs, 404, 'HE_02', 'Routing algorithm does not exist in our records');
    const named = await call(stack.api, 'GET', `/routing?merchant_id=${m.merchantId}`, { key: other.key });
    expectError(named, 404, 'HE_02', /Merchant account does not exist/);
    const noMerchant = await call(stack.api, 'GET', `/routing/${String(mine.body.id)}`, { key: stack.adminKey });
    expectError(noMerchant, 400, 'IR_04', 'Missing required param: merchant_id');
    const byAdmin = await call(stack.api, 'GET', `/routing/${String(mine.body.id)}?merchant_id=${m.merchantId}`, {
      key: stack.adminKey,
    });
    expect(byAdmin.body).toMatchObject({ id: mine.body.id, merchant_id: m.merchantId });
    const live = await save({ type: 'single', data: choice(m, 'a') }, m.key, { mode: 'live' });
    expectError(live, 403, 'IR_22', /test key cannot configure live routing/);
    const adminLive = await save({ type: 'single', data: choice(m, 'a') }, stack.adminKey, {
      merchant_id: m.merchantId,
      mode: 'live',
    });
    expectError(adminLive, 422, 'IR_06', /unknown connector account .* live mode/);
  });
});
