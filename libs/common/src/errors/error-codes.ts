/**
 * Hyperswitch-compatible error catalogue (shared/hyperswitch-api.md §6) plus Switchyard extensions (SY_xx).
 * Services throw `DomainError` with one of these keys; the API's single exception filter maps it to HTTP.
 */
export type ErrorType = 'invalid_request' | 'api' | 'connector';

interface ErrorDefinition {
  code: string;
  status: number;
  type: ErrorType;
}

export const ERROR_DEFINITIONS = {
  InternalServerError: { code: 'HE_00', status: 500, type: 'api' },
  DuplicateMerchantAccount: { code: 'HE_01', status: 400, type: 'invalid_request' },
  DuplicatePayment: { code: 'HE_01', status: 400, type: 'invalid_request' },
  DuplicateMerchantOrderReference: { code: 'HE_01', status: 400, type: 'invalid_request' },
  DuplicateRefundRequest: { code: 'HE_01', status: 400, type: 'invalid_request' },
  DuplicateMerchantConnectorAccount: { code: 'HE_01', status: 400, type: 'invalid_request' },
  PaymentNotFound: { code: 'HE_02', status: 404, type: 'invalid_request' },
  RefundNotFound: { code: 'HE_02', status: 404, type: 'invalid_request' },
  MerchantAccountNotFound: { code: 'HE_02', status: 404, type: 'invalid_request' },
  MerchantConnectorAccountNotFound: { code: 'HE_02', status: 404, type: 'invalid_request' },
  ProfileNotFound: { code: 'HE_02', status: 404, type: 'invalid_request' },
  ApiKeyNotFound: { code: 'HE_02', status: 404, type: 'invalid_request' },
  ReturnUrlUnavailable: { code: 'HE_03', status: 404, type: 'invalid_request' },
  PaymentNotSucceeded: { code: 'HE_03', status: 400, type: 'invalid_request' },
  MerchantConnectorAccountDisabled: { code: 'HE_03', status: 400, type: 'invalid_request' },
  NotImplemented: { code: 'IR_00', status: 501, type: 'invalid_request' },
  Unauthorized: { code: 'IR_01', status: 401, type: 'invalid_request' },
  InvalidRequestUrl: { code: 'IR_02', status: 404, type: 'invalid_request' },
  InvalidHttpMethod: { code: 'IR_03', status: 405, type: 'invalid_request' },
  MissingRequiredField: { code: 'IR_04', status: 400, type: 'invalid_request' },
  InvalidDataFormat: { code: 'IR_05', status: 422, type: 'invalid_request' },
  InvalidRequestData: { code: 'IR_06', status: 422, type: 'invalid_request' },
  MalformedRequestBody: { code: 'IR_06', status: 400, type: 'invalid_request' },
  PayloadTooLarge: { code: 'IR_06', status: 413, type: 'invalid_request' },
  InvalidDataValue: { code: 'IR_07', status: 400, type: 'invalid_request' },
  ClientSecretNotGiven: { code: 'IR_08', status: 400, type: 'invalid_request' },
  ClientSecretExpired: { code: 'IR_08', status: 400, type: 'invalid_request' },
  ClientSecretInvalid: { code: 'IR_09', status: 400, type: 'invalid_request' },
  MaximumRefundCount: { code: 'IR_12', status: 400, type: 'invalid_request' },
  RefundAmountExceedsPaymentAmount: { code: 'IR_13', status: 400, type: 'invalid_request' },
  PaymentUnexpectedState: { code: 'IR_14', status: 400, type: 'invalid_request' },
  PreconditionFailed: { code: 'IR_16', status: 400, type: 'invalid_request' },
  GenericUnauthorized: { code: 'IR_18', status: 401, type: 'invalid_request' },
  FlowNotSupported: { code: 'IR_20', status: 400, type: 'invalid_request' },
  AccessForbidden: { code: 'IR_22', status: 403, type: 'invalid_request' },
  CurrencyNotSupported: { code: 'IR_28', status: 400, type: 'invalid_request' },
  UnprocessableEntity: { code: 'IR_29', status: 422, type: 'invalid_request' },
  InvalidConnectorConfiguration: { code: 'IR_30', status: 400, type: 'invalid_request' },
  NoEligibleConnector: { code: 'IR_39', status: 400, type: 'invalid_request' },
  ConnectorError: { code: 'CE_00', status: 400, type: 'connector' },
  IdempotencyKeyInFlight: { code: 'SY_01', status: 409, type: 'invalid_request' },
  IdempotencyKeyReused: { code: 'SY_02', status: 422, type: 'invalid_request' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorKind = keyof typeof ERROR_DEFINITIONS;
