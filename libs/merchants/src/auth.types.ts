import type { KeyMode } from '@switchyard/database';

/** Who is calling, resolved by the API guard from the `api-key` header. */
export type AuthContext =
  | { kind: 'admin' }
  | { kind: 'merchant'; merchantId: string; mode: KeyMode; keyId: string }
  | { kind: 'publishable'; merchantId: string };
