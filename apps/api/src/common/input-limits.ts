import { DomainError } from '@switchyard/common';

/** Deepest JSON nesting the API accepts (serde_json, which Hyperswitch uses, refuses beyond 128). */
export const MAX_JSON_DEPTH = 64;

const NUL = '\u0000';

/**
 * Refuses input before anything walks or stores it (400 IR_06):
 * - nested deeper than `max`: class-transformer, the ValidationPipe's proto-key stripping and the idempotency
 *   fingerprint walk it recursively and would overflow the stack (a 500);
 * - a string (value or key, at any depth) holding a NUL character: Postgres cannot store one in text (a 500).
 * Iterative, so the check itself cannot overflow.
 */
export function assertInputLimits(value: unknown, max = MAX_JSON_DEPTH): void {
  if (typeof value === 'string') {
    if (value.includes(NUL)) throw nulError();
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > max) {
      throw new DomainError('MalformedRequestBody', `Json deserialize error: nesting deeper than ${max} levels`);
    }
    for (const [key, inner] of Object.entries(current as object)) {
      if (key.includes(NUL) || (typeof inner === 'string' && inner.includes(NUL))) throw nulError();
      if (inner !== null && typeof inner === 'object') stack.push([inner, depth + 1]);
    }
  }
}

function nulError(): DomainError {
  return new DomainError('MalformedRequestBody', 'Request contains a NUL character, which is not accepted');
}
