import { InitialSchema1763700000000 } from './1763700000000-initial-schema';
import { WebhookEvents1763700100000 } from './1763700100000-webhook-events';
import { OutgoingWebhooks1763700200000 } from './1763700200000-outgoing-webhooks';
import { Reconciliation1763700300000 } from './1763700300000-reconciliation';
import { Routing1763700400000 } from './1763700400000-routing';
import { Ops1763700500000 } from './1763700500000-ops';
import { Cards1763700600000 } from './1763700600000-cards';
import { Checkout1763700700000 } from './1763700700000-checkout';
import { Perf1763700800000 } from './1763700800000-perf';
import { WriteBatches1763700900000 } from './1763700900000-write-batches';

/** Ordered list of migrations; add new ones at the end. */
export const MIGRATIONS = [
  InitialSchema1763700000000,
  WebhookEvents1763700100000,
  OutgoingWebhooks1763700200000,
  Reconciliation1763700300000,
  Routing1763700400000,
  Ops1763700500000,
  Cards1763700600000,
  Checkout1763700700000,
  Perf1763700800000,
  WriteBatches1763700900000,
];
