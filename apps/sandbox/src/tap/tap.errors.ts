import type { Response } from '../express-typed';

/** An error Tap answers as `{"errors":[{"code","description"}]}` with an HTTP status. */
export class TapApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code} ${description}`);
  }
}

export const TAP_ERRORS = {
  invalidApiKey: () => new TapApiError(401, '2104', 'Invalid API Key'),
  invalidRequest: (what: string) => new TapApiError(400, '1108', what),
  redirectUrlMissing: () => new TapApiError(400, '1110', 'Redirect URL is missing or invalid'),
  invalidAmount: () => new TapApiError(400, '1117', 'Invalid Amount'),
  currencyMissing: () => new TapApiError(400, '1118', 'Currency is required'),
  invalidCurrency: () => new TapApiError(400, '1119', 'Invalid Currency'),
  sourceMissing: () => new TapApiError(400, '1124', 'Source is required'),
  invalidSource: () => new TapApiError(400, '1125', 'Invalid Source Id'),
  authorizeNotFound: () => new TapApiError(404, '1143', 'Authorize not found'),
  chargeNotFound: () => new TapApiError(404, '1144', 'Charge not found'),
  refundNotFound: () => new TapApiError(404, '1144', 'Refund not found'),
  captureExceeds: () => new TapApiError(400, '1150', 'Capture amount exceeds the authorized amount'),
  refundReasonMissing: () => new TapApiError(400, '1156', 'Refund reason is required'),
  refundExceeds: () => new TapApiError(400, '1161', 'Refund amount exceeds the charge amount'),
  internal: () => new TapApiError(500, '9999', 'Internal Server Error'),
  gatewayTimeout: () => new TapApiError(504, '9999', 'Gateway Timeout'),
} as const;

export function sendTapError(res: Response, err: TapApiError): void {
  res.status(err.status).json({ errors: [{ code: err.code, description: err.description }] });
}
