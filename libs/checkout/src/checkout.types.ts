import type { ServableMethod } from '@switchyard/routing';
import type { ResolvedTheme } from './theme';

/** How the shopper reached the page: the payment's client secret, or a payment link (whose id is the credential). */
export type CheckoutAccess =
  | { via: 'client_secret'; paymentId: string; clientSecret: string | undefined }
  | { via: 'link'; merchantId: string; paymentLinkId: string };

/** payable: the pay form; action_required: continue on the processor's page; processing: wait; final: the outcome. */
export type CheckoutState = 'payable' | 'action_required' | 'processing' | 'final';

/** Everything the page shows; no secret of the payment except what the form must post back. */
export interface CheckoutView {
  paymentId: string;
  merchantId: string;
  status: string;
  state: CheckoutState;
  amount: number;
  currency: string;
  description: string | null;
  merchantName: string;
  theme: ResolvedTheme;
  methods: ServableMethod[];
  /** The method the merchant already chose on create, if any (the only one offered then). */
  selectedMethod: string | null;
  /** The processor's hosted page while the payment waits for the shopper there. */
  nextActionUrl: string | null;
  /** Switchyard's return route, which verifies and redirects to the merchant's signed return_url. */
  returnPath: string | null;
  expiresAt: Date;
  preview: boolean;
}

export type PayOutcome =
  | { kind: 'redirect'; location: string }
  /** Nothing to confirm (already confirmed, by this or a concurrent submit): show the payment's current page. */
  | { kind: 'show' }
  | { kind: 'invalid_method'; view: CheckoutView };
