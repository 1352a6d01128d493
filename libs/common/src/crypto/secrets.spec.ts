import { randomBytes } from 'node:crypto';
import { SecretBox, generateId, safeEqual } from './secrets';

describe('SecretBox (AES-256-GCM at rest)', () => {
  const key = randomBytes(32).toString('base64');

  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(key);
    const sealed = box.encrypt('{"key1":"very-secret"}');
    expect(sealed).not.toContain('very-secret');
    expect(box.decrypt(sealed)).toBe('{"key1":"very-secret"}');
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('refuses a tampered envelope', () => {
    const box = new SecretBox(key);
    const parts = box.encrypt('payload').split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
  });

  it('decrypts with the previous master key during a rotation and says what needs re-encryption', () => {
    const old = new SecretBox(key);
    const sealed = old.encrypt('rotate me');
    const next = new SecretBox(randomBytes(32).toString('base64'), [key]);
    expect(next.decrypt(sealed)).toBe('rotate me');
    expect(next.needsRotation(sealed)).toBe(true);
    expect(next.needsRotation(next.encrypt('x'))).toBe(false);
    expect(() => new SecretBox(randomBytes(32).toString('base64')).decrypt(sealed)).toThrow();
  });
});

describe('ids and comparisons', () => {
  it('builds Hyperswitch-shaped ids', () => {
    expect(generateId('pay')).toMatch(/^pay_[0-9A-Za-z]{20}$/);
  });

  it('compares in constant time and by content', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
