import { DomainError, isoTimestamp } from '@switchyard/common';
import type { KeyMode, RoutingConfigEntity } from '@switchyard/database';
import { RoutingValidationError } from '../core/validation/json-reader';

/** A routing config on the wire (Hyperswitch MerchantRoutingAlgorithm plus Switchyard's version, mode and active). */
export interface RoutingConfigView {
  id: string;
  merchant_id: string;
  profile_id: string;
  name: string;
  description: string | null;
  kind: string;
  algorithm: object;
  algorithm_for: 'payment';
  version: number;
  mode: KeyMode;
  active: boolean;
  created_at: string | null;
  modified_at: string | null;
}

export function toConfigView(config: RoutingConfigEntity, active: boolean): RoutingConfigView {
  return {
    id: config.algorithmId,
    merchant_id: config.merchantId,
    profile_id: config.profileId,
    name: config.name,
    description: config.description,
    kind: config.kind,
    algorithm: config.algorithm,
    algorithm_for: 'payment',
    version: config.version,
    mode: config.mode,
    active,
    // Versions are immutable: modified is created.
    created_at: isoTimestamp(config.createdAt),
    modified_at: isoTimestamp(config.createdAt),
  };
}

/** IR_05 for a wrong shape or type, IR_06 for a well-formed but unacceptable value; both name the path. */
export function toDomainError(error: RoutingValidationError): DomainError {
  return error.kind === 'format'
    ? new DomainError('InvalidDataFormat', error.message)
    : new DomainError('InvalidRequestData', error.message);
}

/** Runs a parser and turns its validation error into the API's error. */
export function validated<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error: unknown) {
    if (error instanceof RoutingValidationError) throw toDomainError(error);
    throw error;
  }
}

/**
 * HE_02 like every other missing resource. The catalogue has no routing-specific kind, so the profile one (same code,
 * status and type) carries routing's own message.
 */
export function routingAlgorithmNotFound(): DomainError {
  return new DomainError('ProfileNotFound', 'Routing algorithm does not exist in our records');
}
