// The merchants' webhook endpoint: one local server, `/hooks/<merchant_id>`. It checks every delivery's
// x-webhook-signature-512 with that merchant's hash key, records events by their id (duplicates counted, not double
// recorded), and can answer a share of deliveries with 500 or too slowly, so Switchyard's retries are exercised too.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

export async function startMerchantEndpoint() {
  const hashKeys = new Map();
  /** event id → { eventId, merchantId, type, paymentId, status, deliveries, firstAt } */
  const events = new Map();
  const stats = { deliveries: 0, badSignature: 0, unknownMerchant: 0, answered500: 0, answeredSlow: 0 };
  const faults = { fail: 0, slow: 0, slowMs: 3000 };
  const random = Math.random;

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const merchantId = decodeURIComponent((/^\/hooks\/([^/?]+)/.exec(req.url ?? '') ?? [])[1] ?? '');
      stats.deliveries += 1;
      const key = hashKeys.get(merchantId);
      if (!key) {
        stats.unknownMerchant += 1;
        res.writeHead(404).end();
        return;
      }
      const expected = createHmac('sha512', key).update(raw).digest('hex');
      const given = String(req.headers['x-webhook-signature-512'] ?? '');
      const valid = given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      if (!valid) {
        stats.badSignature += 1;
        res.writeHead(401).end();
        return;
      }
      // Faults are decided before recording: an event answered 500 has not been received (the merchant's side failed).
      const roll = random();
      if (roll < faults.fail) {
        stats.answered500 += 1;
        res.writeHead(500).end('merchant endpoint down');
        return;
      }
      let event;
      try {
        event = JSON.parse(raw.toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const id = String(req.headers['x-webhook-id'] ?? event.event_id);
      const known = events.get(id);
      if (known) known.deliveries += 1;
      else {
        events.set(id, {
          eventId: id,
          merchantId,
          type: event.event_type,
          paymentId: event.content?.object?.payment_id ?? null,
          status: event.content?.object?.status ?? null,
          deliveries: 1,
          firstAt: Date.now(),
        });
      }
      if (roll < faults.fail + faults.slow) {
        // Recorded, but answered after Switchyard's timeout: it will deliver again (same id).
        stats.answeredSlow += 1;
        setTimeout(() => res.writeHead(200).end('ok'), faults.slowMs).unref();
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    urlFor: (merchantId) => `${url}/hooks/${encodeURIComponent(merchantId)}`,
    register: (merchantId, hashKey) => hashKeys.set(merchantId, hashKey),
    setFaults: (next) => Object.assign(faults, next),
    events,
    stats,
    eventsFor: (merchantIds) => [...events.values()].filter((e) => merchantIds.has(e.merchantId)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
