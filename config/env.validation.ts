import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** Thrown when the environment is missing or has a bad value; the message names every offending variable. */
export class ConfigValidationError extends Error {}

/**
 * Validates `env` against a class whose properties carry class-validator decorators.
 * Fails fast naming the variables, never their values (some are secrets).
 */
export function validateEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv): T {
  const instance = plainToInstance(cls, env, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(`Invalid configuration:\n${errors.map(describe).join('\n')}`);
  }
  return instance;
}

function describe(error: ValidationError): string {
  const reasons = Object.keys(error.constraints ?? {}).join(', ');
  return `  - ${error.property}: ${reasons || 'invalid'}`;
}
