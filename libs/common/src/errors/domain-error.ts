import { ERROR_DEFINITIONS, ErrorKind, ErrorType } from './error-codes';

/** Extra keys flattened into the error object (Hyperswitch `Extra`). */
export interface ErrorExtra {
  payment_id?: string;
  connector?: string;
  reason?: string;
  data?: unknown;
}

/** The only error services throw: a catalogue kind plus a human message. Never carries secrets. */
export class DomainError extends Error {
  readonly code: string;
  readonly status: number;
  readonly type: ErrorType;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly extra: ErrorExtra = {},
  ) {
    super(message);
    const def = ERROR_DEFINITIONS[kind];
    this.code = def.code;
    this.status = def.status;
    this.type = def.type;
    this.name = 'DomainError';
  }
}

export const Errors = {
  missingField: (field: string) => new DomainError('MissingRequiredField', `Missing required param: ${field}`),
  invalidFormat: (field: string, expected: string) =>
    new DomainError('InvalidDataFormat', `${field} contains invalid data. Expected format is ${expected}`),
  invalidValue: (field: string) => new DomainError('InvalidDataValue', `Invalid value provided: ${field}`),
  unexpectedState: (flow: string, field: string, current: string, expected: readonly string[]) =>
    new DomainError(
      'PaymentUnexpectedState',
      `This Payment could not be ${flow} because it has a ${field} of ${current}. The expected state is ${expected.join(', ')}`,
    ),
  paymentNotFound: () => new DomainError('PaymentNotFound', 'Payment does not exist in our records'),
  refundNotFound: () => new DomainError('RefundNotFound', 'Refund does not exist in our records.'),
  merchantNotFound: () => new DomainError('MerchantAccountNotFound', 'Merchant account does not exist in our records'),
  connectorAccountNotFound: () =>
    new DomainError('MerchantConnectorAccountNotFound', 'Merchant connector account does not exist in our records'),
  unauthorized: () => new DomainError('Unauthorized', 'API key not provided or invalid API key used'),
  forbidden: (resource: string) =>
    new DomainError('AccessForbidden', `Access forbidden. Not authorized to access this resource ${resource}`),
};
