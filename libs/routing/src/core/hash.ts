/**
 * 32-bit FNV-1a with murmur3's finaliser: the same number for the same text in every replica and every release (unlike
 * Math.random or a per-process seed), cheap enough for the hot path, and spread evenly enough that a split converges.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A deterministic number in [0, 1) for `text`; different `purpose`s give independent draws for the same id. */
export function unitDraw(purpose: string, text: string): number {
  return hash32(`${purpose}:${text}`) / 0x1_0000_0000;
}
