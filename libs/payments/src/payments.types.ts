import type { ConnectorTiming } from '@switchyard/common';
import type { KeyMode } from '@switchyard/database';
import type { CardInput } from './cards/card';
import type { RoutingHints } from './routing/connector-selector';

/** `payment_method_data` as sent: only `card` is acted on (server-to-server cards); it is never stored as sent. */
export interface PaymentMethodDataInput {
  card?: CardInput;
}

/** Create/confirm input after DTO validation (snake_case wire → camelCase domain). */
export interface PaymentCreateInput extends RoutingHints {
  paymentId?: string;
  amount: number;
  currency: string;
  confirm: boolean;
  captureMethod: 'automatic' | 'manual';
  amountToCapture?: number;
  returnUrl?: string;
  description?: string;
  customerId?: string;
  metadata?: Record<string, unknown>;
  merchantOrderReferenceId?: string;
  paymentMethod?: string;
  paymentMethodType?: string;
  authenticationType?: string;
  paymentMethodData?: PaymentMethodDataInput;
  profileId?: string;
  sessionExpiry?: number;
}

export interface PaymentConfirmInput extends RoutingHints {
  returnUrl?: string;
  paymentMethod?: string;
  paymentMethodType?: string;
  authenticationType?: string;
  paymentMethodData?: PaymentMethodDataInput;
  clientSecret?: string;
}

/** The caller as the payments domain sees it: secret key (with its mode) or publishable key (client secret required). */
export interface PaymentCaller {
  merchantId: string;
  mode: KeyMode | null;
  viaPublishableKey: boolean;
  /** The API request's account of time spent in connector calls (`x-switchyard-latency`); absent outside requests. */
  timing?: ConnectorTiming;
}
