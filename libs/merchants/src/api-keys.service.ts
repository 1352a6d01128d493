import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@switchyard/config';
import {
  Clock,
  ConfigCache,
  DomainError,
  Errors,
  generateId,
  hmacHex,
  randomAlphanumeric,
  safeEqual,
} from '@switchyard/common';
import { ApiKeyEntity, KeyMode } from '@switchyard/database';
import type { AuthContext } from './auth.types';
import { MerchantsService } from './merchants.service';

export interface CreateApiKeyInput {
  name: string;
  description: string | null;
  expiresAt: Date | null;
  mode: KeyMode;
}

/** Cache tag of everything resolved from a presented key (a key's merchant is only known once it is found). */
export const API_KEYS_CACHE_TAG = 'api-keys';

type KnownKey = Pick<ApiKeyEntity, 'merchantId' | 'mode' | 'keyId' | 'revokedAt' | 'expiresAt'>;

/**
 * Secret API keys `sk_test_…` / `sk_live_…`: shown once, stored as HMAC-SHA256 under API_KEY_HASH_SECRET plus a 12-char prefix.
 * A keyed hash (not a slow password hash) because keys are 64 random characters: brute force is hopeless and every request
 * must verify quickly; the secret key keeps a stolen table useless.
 */
@Injectable()
export class ApiKeysService {
  private readonly hashSecret: Buffer;

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly merchants: MerchantsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: ConfigCache,
  ) {
    this.hashSecret = Buffer.from(config.API_KEY_HASH_SECRET, 'base64');
  }

  async create(merchantId: string, input: CreateApiKeyInput): Promise<{ entity: ApiKeyEntity; plaintext: string }> {
    if (!(await this.merchants.exists(merchantId))) throw Errors.merchantNotFound();
    const plaintext = `sk_${input.mode}_${randomAlphanumeric(64)}`;
    const entity = this.keys.create({
      keyId: generateId(input.mode === 'live' ? 'prd' : 'snd'),
      merchantId,
      name: input.name,
      description: input.description,
      mode: input.mode,
      prefix: plaintext.slice(0, 12),
      keyHash: this.hash(plaintext),
      expiresAt: input.expiresAt,
      revokedAt: null,
    });
    await this.keys.insert(entity);
    return { entity, plaintext };
  }

  async list(merchantId: string, limit: number, skip: number): Promise<ApiKeyEntity[]> {
    return this.keys.find({
      where: { merchantId, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
      take: limit,
      skip,
    });
  }

  async get(merchantId: string, keyId: string): Promise<ApiKeyEntity> {
    const key = await this.keys.findOneBy({ merchantId, keyId, revokedAt: IsNull() });
    if (!key) throw new DomainError('ApiKeyNotFound', 'API Key does not exist in our records');
    return key;
  }

  async revoke(merchantId: string, keyId: string): Promise<void> {
    const result = await this.keys.update({ merchantId, keyId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    await this.cache.invalidate(API_KEYS_CACHE_TAG);
    if (!result.affected) throw new DomainError('ApiKeyNotFound', 'API Key does not exist in our records');
  }

  /**
   * Rotation without downtime: a new key of the same mode and name is issued, and the old one stays valid until
   * `oldValidUntil` (never later than its own expiry) so callers can switch over. The old key names its replacement.
   */
  async rotate(
    merchantId: string,
    keyId: string,
    oldValidUntil: Date,
    newExpiresAt?: Date | null,
  ): Promise<{ entity: ApiKeyEntity; plaintext: string; previous: ApiKeyEntity }> {
    const previous = await this.get(merchantId, keyId);
    if (previous.expiresAt && previous.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new DomainError('ApiKeyNotFound', 'API Key does not exist in our records');
    }
    if (previous.replacedBy) {
      throw new DomainError('PreconditionFailed', `API key was already rotated; rotate ${previous.replacedBy} instead`);
    }
    const created = await this.create(merchantId, {
      name: previous.name,
      description: previous.description,
      expiresAt: newExpiresAt === undefined ? previous.expiresAt : newExpiresAt,
      mode: previous.mode,
    });
    const keepUntil =
      previous.expiresAt && previous.expiresAt.getTime() < oldValidUntil.getTime() ? previous.expiresAt : oldValidUntil;
    const claimed = await this.keys.update(
      { merchantId, keyId, replacedBy: IsNull() },
      { expiresAt: keepUntil, replacedBy: created.entity.keyId },
    );
    await this.cache.invalidate(API_KEYS_CACHE_TAG);
    if (!claimed.affected) {
      // A concurrent rotation won: withdraw the key issued here so exactly one replacement exists.
      await this.keys.update({ keyId: created.entity.keyId }, { revokedAt: this.clock.now() });
      await this.cache.invalidate(API_KEYS_CACHE_TAG);
      throw new DomainError('PreconditionFailed', 'API key was rotated concurrently; list the keys and retry');
    }
    return { ...created, previous: { ...previous, expiresAt: keepUntil, replacedBy: created.entity.keyId } };
  }

  /**
   * Resolves the `api-key` header. Unknown, revoked or expired → null (the guard answers IR_01). Found keys are kept in
   * memory (ConfigCache: revocation and rotation invalidate them in every replica); expiry is checked on every request.
   */
  async authenticate(presented: string): Promise<AuthContext | null> {
    if (safeEqual(presented, this.config.ADMIN_API_KEY)) return { kind: 'admin' };
    if (/^sk_(test|live)_[A-Za-z0-9]{64}$/.test(presented)) {
      const keyHash = this.hash(presented);
      const key = await this.cache.get<KnownKey | null>(API_KEYS_CACHE_TAG, `sk|${keyHash}`, async () => {
        const row = await this.keys.findOneBy({ keyHash });
        return (
          row && {
            merchantId: row.merchantId,
            mode: row.mode,
            keyId: row.keyId,
            revokedAt: row.revokedAt,
            expiresAt: row.expiresAt,
          }
        );
      });
      if (!key || key.revokedAt) return null;
      if (key.expiresAt && key.expiresAt.getTime() <= this.clock.now().getTime()) return null;
      return { kind: 'merchant', merchantId: key.merchantId, mode: key.mode, keyId: key.keyId };
    }
    if (/^pk_[a-z]+_[0-9a-f]{32}$/.test(presented)) {
      const merchantId = await this.cache.get(
        API_KEYS_CACHE_TAG,
        `pk|${presented}`,
        async () => (await this.merchants.findByPublishableKey(presented))?.merchantId ?? null,
      );
      return merchantId ? { kind: 'publishable', merchantId } : null;
    }
    return null;
  }

  private hash(plaintext: string): string {
    return hmacHex('sha256', this.hashSecret, plaintext);
  }
}
