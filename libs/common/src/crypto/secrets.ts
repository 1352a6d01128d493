import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from 'node:crypto';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `<prefix>_<n chars of [0-9A-Za-z]>` as Hyperswitch ids are built (uniform, from the CSPRNG). */
export function generateId(prefix: string, length = 20): string {
  return `${prefix}_${randomAlphanumeric(length)}`;
}

export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}

export function hmacHex(algorithm: 'sha256' | 'sha512', key: string | Buffer, message: string | Buffer): string {
  return createHmac(algorithm, key).update(message).digest('hex');
}

/** Constant-time string comparison that does not leak length through an early return on the content. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/**
 * AES-256-GCM envelope for credentials at rest: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 * The key id (first 8 hex of the key's SHA-256) lets a rotation decrypt with the previous master key.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;

  constructor(masterKeyBase64: string, previousKeysBase64: string[] = []) {
    const current = decodeKey(masterKeyBase64);
    this.currentId = keyId(current);
    this.keys = new Map([[this.currentId, current]]);
    for (const previous of previousKeysBase64) {
      const key = decodeKey(previous);
      this.keys.set(keyId(key), key);
    }
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.currentId, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
  }

  decrypt(envelope: string): string {
    const [version, id, iv, tag, ciphertext] = envelope.split('.');
    const key = this.keys.get(id);
    if (version !== 'v1' || !key || !iv || !tag || ciphertext === undefined) {
      throw new Error('secret envelope cannot be decrypted with the configured master keys');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when the envelope was written with an older key and should be re-encrypted. */
  needsRotation(envelope: string): boolean {
    return envelope.split('.')[1] !== this.currentId;
  }
}

function decodeKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('master key must be 32 bytes');
  return key;
}

function keyId(key: Buffer): string {
  return sha256Hex(key).slice(0, 8);
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}
