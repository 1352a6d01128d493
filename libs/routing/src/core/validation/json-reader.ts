/**
 * Small typed readers over untrusted JSON. Each names the path of what is wrong, so the 4xx tells the merchant exactly
 * which part of a routing config to fix (`algorithm.data.rules[3].statements[0].condition[1].value`).
 */
export class RoutingValidationError extends Error {
  constructor(
    /** 'format': the shape or type is wrong (IR_05); 'semantic': well-formed but not acceptable (IR_06). */
    readonly kind: 'format' | 'semantic',
    readonly path: string,
    readonly expected: string,
  ) {
    super(kind === 'format' ? `${path} contains invalid data. Expected format is ${expected}` : `${path}: ${expected}`);
    this.name = 'RoutingValidationError';
  }
}

export const formatError = (path: string, expected: string) => new RoutingValidationError('format', path, expected);
export const semanticError = (path: string, problem: string) => new RoutingValidationError('semantic', path, problem);

export type JsonRecord = Record<string, unknown>;

export function readObject(value: unknown, path: string, allowed: readonly string[]): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw formatError(path, 'an object');
  const record = value as JsonRecord;
  const unknown = Object.keys(record).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw formatError(`${path}.${unknown}`, `no such field (allowed: ${allowed.join(', ')})`);
  return record;
}

export function readArray(value: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) throw formatError(path, 'an array');
  if (value.length < min) throw semanticError(path, min === 1 ? 'must not be empty' : `needs at least ${min} entries`);
  if (value.length > max) throw semanticError(path, `has ${value.length} entries, at most ${max} are allowed`);
  return value;
}

export function readString(value: unknown, path: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw formatError(path, expected);
  return value;
}

export function readInt(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw formatError(path, `an integer from ${min} to ${max}`);
  }
  return value;
}

export function readNumber(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw formatError(path, `a number from ${min} to ${max}`);
  }
  return value;
}

export function optional<T>(value: unknown, fallback: T, read: (v: unknown) => T): T {
  return value === undefined || value === null ? fallback : read(value);
}
