import { maskPans } from '@switchyard/common';
import type { ConnectorError } from './connector.types';

/** Unified error codes returned as `unified_code`/`unified_message`, whatever the processor. */
export const UNIFIED = {
  declined: { unifiedCode: 'UE_1000', unifiedMessage: 'Payment declined by the issuer or processor' },
  cancelledByShopper: { unifiedCode: 'UE_1001', unifiedMessage: 'Payment cancelled by the customer' },
  expired: { unifiedCode: 'UE_1002', unifiedMessage: 'Payment session expired before completion' },
  invalidRequest: { unifiedCode: 'UE_2000', unifiedMessage: 'The processor rejected the request as invalid' },
  authentication: { unifiedCode: 'UE_3000', unifiedMessage: 'The processor rejected the configured credentials' },
  processorError: { unifiedCode: 'UE_9000', unifiedMessage: 'The processor could not process the request' },
} as const;

/**
 * Every processor error the engine keeps or shows is made here, so this is where a card number a processor echoes in its
 * message is masked: before it reaches an attempt or refund row, an API error, an event or a log line.
 */
export function connectorError(code: string, message: string, unified: keyof typeof UNIFIED): ConnectorError {
  return { code, message: maskPans(message), ...UNIFIED[unified] };
}
