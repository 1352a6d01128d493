import { Errors } from '@switchyard/common';

/** Hyperswitch's documented limits: up to 50 keys, names up to 40 characters, values up to 500 characters. */
export function checkMetadata(metadata: Record<string, unknown> | undefined): void {
  if (!metadata) return;
  const entries = Object.entries(metadata);
  if (entries.length > 50) throw Errors.invalidFormat('metadata', 'at most 50 keys');
  for (const [key, value] of entries) {
    if (key.length > 40) throw Errors.invalidFormat('metadata', 'key names of at most 40 characters');
    if (JSON.stringify(value ?? null).length > 500)
      throw Errors.invalidFormat(`metadata.${key}`, 'a value of at most 500 characters');
  }
}
