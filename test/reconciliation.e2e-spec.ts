import { Client } from 'pg';
import { call, createMerchant, eventually, Merchant, shopperActs } from './support/client';
import { startStack, Stack } from './support/stack';

/** Reconciliation finds each planted mismatch kind in a seeded day and nothing for a clean day. */
describe('Reconciliation', () => {
  let stack: Stack;
  let pg: Client;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    stack = await startStack('reconciliation', { worker: true });
    pg = new Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await stack.close();
  });

  const paid = async (merchant: Merchant, amount: number) => {
    const created = await call(stack.api, 'POST', '/payments', {
      key: merchant.key,
      body: { amount, currency: 'USD', confirm: true, return_url: 'https://shop.example/r' },
    });
    await shopperActs((created.body.next_action as { redirect_to_url: string }).redirect_to_url, 'pay');
    return { paymentId: String(created.body.payment_id), token: String(created.body.connector_transaction_id) };
  };
  const run = async (merchant: Merchant, settlementCsv?: string) => {
    const requested = await call(stack.api, 'POST', `/recon/${merchant.merchantId}/runs`, {
      key: merchant.key,
      body: {
        merchant_connector_id: merchant.connectorId,
        date: today,
        ...(settlementCsv ? { settlement_csv: settlementCsv } : {}),
      },
    });
    expect(requested.status).toBe(200);
    expect(requested.body.status).toBe('queued');
    return eventually(
      () =>
        call(stack.api, 'GET', `/recon/${merchant.merchantId}/runs/${requested.body.run_id}`, { key: merchant.key }),
      (r) => r.body.status === 'completed' || r.body.status === 'failed',
    );
  };
  type Item = { kind: string; payment_id: string | null; connector_reference: string | null; refund_id: string | null };

  it('reports nothing but matches for a clean day', async () => {
    const merchant = await createMerchant(stack);
    const a = await paid(merchant, 1000);
    await paid(merchant, 2000);
    const refund = await call(stack.api, 'POST', '/refunds', {
      key: merchant.key,
      body: { payment_id: a.paymentId, amount: 300 },
    });
    await eventually(
      () => call(stack.api, 'GET', `/refunds/${refund.body.refund_id}?force_sync=true`, { key: merchant.key }),
      (r) => r.body.status === 'succeeded',
    );
    const result = await run(merchant, `connector_transaction_id,amount,currency,status\n${a.token},1000,USD,SUCCESS`);
    expect(result.body.status).toBe('completed');
    const items = result.body.items as unknown as Item[];
    expect(items.length).toBe(3);
    expect(items.every((i) => i.kind === 'matched')).toBe(true);
    expect(result.body.summary).toEqual({ matched: 3 });
  });

  it('finds a status mismatch, an amount mismatch, a payment missing at the connector and one missing locally', async () => {
    const merchant = await createMerchant(stack);
    const statusDrift = await paid(merchant, 1000);
    const amountDrift = await paid(merchant, 1100);
    const vanished = await paid(merchant, 1200);
    const clean = await paid(merchant, 1300);
    // The processor reversed one payment after we recorded it as paid.
    const forced = await fetch(`${stack.sandbox}/__sandbox/generic/payments/${statusDrift.token}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'FAILED' }),
    });
    expect(forced.status).toBe(200);
    // Our record points at a reference the processor never issued.
    await pg.query(
      `UPDATE payment_attempts SET connector_transaction_id = 'gpt_000000000000000000000000' WHERE payment_id = $1`,
      [vanished.paymentId],
    );
    const csv = [
      'connector_transaction_id,amount,currency,status',
      `${amountDrift.token},1150,USD,SUCCESS`,
      `${clean.token},1300,USD,SUCCESS`,
      'gpt_unknown_to_switchyard,999,USD,SUCCESS',
    ].join('\n');
    const result = await run(merchant, csv);
    const items = result.body.items as unknown as Item[];
    const kindOf = (paymentId: string) => items.find((i) => i.payment_id === paymentId)?.kind;
    expect(kindOf(statusDrift.paymentId)).toBe('status_mismatch');
    expect(kindOf(amountDrift.paymentId)).toBe('amount_mismatch');
    expect(kindOf(vanished.paymentId)).toBe('missing_at_connector');
    expect(kindOf(clean.paymentId)).toBe('matched');
    expect(items.find((i) => i.kind === 'missing_locally')?.connector_reference).toBe('gpt_unknown_to_switchyard');
    expect(result.body.summary).toEqual({
      status_mismatch: 1,
      amount_mismatch: 1,
      missing_at_connector: 1,
      matched: 1,
      missing_locally: 1,
    });

    const csvExport = await fetch(`${stack.api}/recon/${merchant.merchantId}/runs/${result.body.run_id}/items.csv`, {
      headers: { 'api-key': merchant.key },
    });
    expect(csvExport.headers.get('content-type')).toContain('text/csv');
    const lines = (await csvExport.text()).split('\n');
    expect(lines[0]).toBe(
      'kind,object,payment_id,refund_id,connector_reference,local_status,connector_status,local_amount,connector_amount,currency,note',
    );
    expect(lines).toHaveLength(6);
  });

  it('refuses a malformed settlement file and another merchant', async () => {
    const merchant = await createMerchant(stack);
    const bad = await call(stack.api, 'POST', `/recon/${merchant.merchantId}/runs`, {
      key: merchant.key,
      body: { merchant_connector_id: merchant.connectorId, date: today, settlement_csv: 'id;amount\nx;1' },
    });
    expect(bad.status).toBe(422);
    const other = await createMerchant(stack);
    const foreign = await call(stack.api, 'POST', `/recon/${merchant.merchantId}/runs`, {
      key: other.key,
      body: { merchant_connector_id: merchant.connectorId, date: today },
    });
    expect(foreign.status).toBe(404);
  });
});
