import { Injectable, Logger } from '@nestjs/common';
import {
  ConnectorAccountContext,
  ConnectorOutcomeUnknownError,
  ConnectorRegistry,
  ConnectorRequestError,
} from '@switchyard/connectors';
import type { CredentialVerdict } from './go-live/go-live.types';

/**
 * Processors whose webhooks are signed with the account's API credentials, so there is no separate webhook secret to
 * configure (Tap's `hashstring` is keyed with the secret API key: docs/connectors/tap.md).
 */
export const CREDENTIAL_SIGNED_WEBHOOKS: ReadonlySet<string> = new Set(['tap']);

/** Does the connector need `connector_webhook_details.merchant_secret` on a live account? */
export function needsWebhookSecret(registry: ConnectorRegistry, connectorName: string): boolean {
  return registry.get(connectorName).features.webhooks && !CREDENTIAL_SIGNED_WEBHOOKS.has(connectorName);
}

/** Asks the processor whether it accepts the credentials (the adapter's verifyCredentials) and classifies the answer. */
@Injectable()
export class CredentialVerifier {
  private readonly logger = new Logger('CredentialVerifier');

  constructor(private readonly registry: ConnectorRegistry) {}

  async verify(ctx: ConnectorAccountContext): Promise<CredentialVerdict> {
    const connector = this.registry.get(ctx.connectorName);
    if (!connector.verifyCredentials) return { status: 'unsupported' };
    try {
      await connector.verifyCredentials(ctx);
      return { status: 'valid' };
    } catch (error: unknown) {
      if (error instanceof ConnectorRequestError) {
        return { status: 'invalid', reason: `HTTP ${error.httpStatus} ${error.error.message}`.slice(0, 200) };
      }
      if (error instanceof ConnectorOutcomeUnknownError) return { status: 'unreachable', reason: error.reason };
      this.logger.error({
        msg: 'credential check failed unexpectedly',
        merchantConnectorId: ctx.merchantConnectorId,
        error: error instanceof Error ? error.message : String(error),
      });
      return { status: 'unreachable', reason: 'unexpected error (see the API log)' };
    }
  }
}
