import { ConnectorError, UNIFIED } from '@switchyard/connectors';

export function connectorErrorExpired(): ConnectorError {
  return { code: 'EXPIRED', message: 'Payment expired before it reached the connector', ...UNIFIED.expired };
}
