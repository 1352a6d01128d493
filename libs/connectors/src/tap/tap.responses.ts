import type { ConnectorHttpResponse } from '../core/connector-http.client';
import { ConnectorOutcomeUnknownError, ConnectorRequestError } from '../core/connector.types';
import { fromTapAmount, isChargeStatus, isRefundStatus, tapError } from './tap.transformers';
import type { TapCharge, TapChargeStatus, TapRefund, TapRefundStatus } from './tap.types';

const NAME = 'tap';

export type TapChargeAnswer = TapCharge & { status: TapChargeStatus };
export type TapRefundAnswer = TapRefund & { status: TapRefundStatus };

/**
 * The JSON object of a 2xx answer. A 4xx is a definite refusal (ConnectorRequestError with Tap's error mapped); a 5xx,
 * a 408, a malformed body or a 2xx without an object id is an unknown outcome: the caller must not guess.
 */
function readObject(res: ConnectorHttpResponse, what: string): Record<string, unknown> {
  if (res.status >= 500 || res.status === 408 || res.malformed) {
    const detail = res.malformed ? ' with a malformed body' : '';
    throw new ConnectorOutcomeUnknownError(NAME, `${what} answered HTTP ${res.status}${detail}`);
  }
  if (res.status >= 400) throw new ConnectorRequestError(NAME, tapError(res.body, res.status), res.status);
  const body = res.body as Record<string, unknown> | undefined;
  const isObject = typeof body === 'object' && body !== null && typeof body.id === 'string';
  if (res.status < 200 || res.status > 299 || !isObject) {
    throw new ConnectorOutcomeUnknownError(NAME, `${what} answered HTTP ${res.status} without an object id`);
  }
  return body;
}

/** A charge or authorization answer, with a known status and an amount that is exact in its currency. */
export function readCharge(res: ConnectorHttpResponse, what: string): TapChargeAnswer {
  const body = readObject(res, what) as unknown as TapCharge;
  if (!isChargeStatus(body.status)) throw new ConnectorOutcomeUnknownError(NAME, `${what} answered an unknown status`);
  // An amount we cannot read exactly must not let a success through unchecked.
  if (typeof body.currency !== 'string' || fromTapAmount(body.amount, body.currency.toUpperCase()) === null) {
    throw new ConnectorOutcomeUnknownError(NAME, `${what} answered an amount that is not exact in its currency`);
  }
  return { ...body, status: body.status };
}

export function readRefund(res: ConnectorHttpResponse, what: string): TapRefundAnswer {
  const body = readObject(res, what) as unknown as TapRefund;
  if (!isRefundStatus(body.status)) throw new ConnectorOutcomeUnknownError(NAME, `${what} answered an unknown status`);
  return { ...body, status: body.status };
}
