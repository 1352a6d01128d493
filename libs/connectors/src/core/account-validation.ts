/**
 * `metadata.base_url` of a connector account: a URL, https in live mode (http is allowed in test mode for the local
 * sandbox). Returns the problem, or null when the value is usable.
 */
export function baseUrlProblem(value: unknown, mode: 'test' | 'live'): string | null {
  if (typeof value !== 'string') return 'metadata.base_url must be a URL';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'metadata.base_url must be a URL';
  }
  if (parsed.protocol !== 'https:' && (mode === 'live' || parsed.protocol !== 'http:')) {
    return 'metadata.base_url must be https in live mode';
  }
  return null;
}
