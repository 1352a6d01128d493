import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, Errors } from '@switchyard/common';
import { assertInputLimits } from './input-limits';

/** Input the ValidationPipe would overflow on (deep nesting) or Postgres cannot store (NUL) is refused first. */
class InputLimitsValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    assertInputLimits(value);
    return (await super.transform(value, metadata)) as unknown;
  }
}

/**
 * Global pipe: whitelist + forbid unknown fields (Hyperswitch's deny_unknown_fields) + transform, and class-validator
 * errors mapped to the catalogue: missing → IR_04, unknown field → IR_06 (400), anything else → IR_05 naming the field.
 */
export function createValidationPipe(): ValidationPipe {
  return new InputLimitsValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => toDomainError(errors),
  });
}

function toDomainError(errors: ValidationError[]): DomainError {
  const [path, error] = firstLeaf(errors, '');
  const constraints = error.constraints ?? {};
  if (constraints.whitelistValidation) {
    return new DomainError('MalformedRequestBody', `Json deserialize error: unknown field \`${error.property}\``);
  }
  if (error.value === undefined || error.value === null) {
    if (constraints.isDefined || Object.keys(constraints).length) return Errors.missingField(path);
  }
  const message = Object.values(constraints)[0] ?? 'a valid value';
  return Errors.invalidFormat(path, message.replace(new RegExp(`^${error.property}\\s+`), ''));
}

function firstLeaf(errors: ValidationError[], prefix: string): [string, ValidationError] {
  const error = errors[0];
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  if (!error.constraints && error.children?.length) return firstLeaf(error.children, path);
  return [path, error];
}
