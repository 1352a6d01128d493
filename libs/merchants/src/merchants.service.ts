import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { ConfigCache, DomainError, Errors, SecretBox, generateId, randomAlphanumeric } from '@switchyard/common';
import { BusinessProfileEntity, MerchantEntity } from '@switchyard/database';

export interface CreateMerchantInput {
  merchantId: string;
  merchantName: string | null;
  returnUrl: string | null;
  enablePaymentResponseHash: boolean;
  paymentResponseHashKey: string | null;
  webhookUrl: string | null;
  metadata: Record<string, unknown> | null;
}

export interface MerchantView {
  merchant: MerchantEntity;
  profile: BusinessProfileEntity;
  paymentResponseHashKey: string;
}

@Injectable()
export class MerchantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MerchantEntity) private readonly merchants: Repository<MerchantEntity>,
    @InjectRepository(BusinessProfileEntity) private readonly profiles: Repository<BusinessProfileEntity>,
    private readonly secretBox: SecretBox,
    private readonly cache: ConfigCache,
  ) {}

  /** Creates the merchant with its default business profile in one transaction. */
  async create(input: CreateMerchantInput): Promise<MerchantView> {
    const hashKey = input.paymentResponseHashKey ?? randomAlphanumeric(64);
    try {
      return await this.dataSource.transaction(async (em) => {
        const merchant = em.create(MerchantEntity, {
          merchantId: input.merchantId,
          merchantName: input.merchantName,
          returnUrl: input.returnUrl,
          publishableKey: `pk_snd_${randomBytes(16).toString('hex')}`,
          defaultProfileId: null,
          metadata: input.metadata,
        });
        await em.insert(MerchantEntity, merchant);
        const profile = em.create(BusinessProfileEntity, {
          profileId: generateId('pro'),
          merchantId: input.merchantId,
          profileName: 'default',
          returnUrl: input.returnUrl,
          enablePaymentResponseHash: input.enablePaymentResponseHash,
          paymentResponseHashKeyEnc: this.secretBox.encrypt(hashKey),
          webhookUrl: input.webhookUrl,
        });
        await em.insert(BusinessProfileEntity, profile);
        await em.update(MerchantEntity, { merchantId: input.merchantId }, { defaultProfileId: profile.profileId });
        merchant.defaultProfileId = profile.profileId;
        return { merchant, profile, paymentResponseHashKey: hashKey };
      });
    } catch (error: unknown) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(
          'DuplicateMerchantAccount',
          'The merchant account with the specified details already exists in our records',
        );
      }
      throw error;
    }
  }

  async get(merchantId: string): Promise<MerchantView> {
    const merchant = await this.merchants.findOneBy({ merchantId });
    if (!merchant) throw Errors.merchantNotFound();
    const profile = await this.defaultProfile(merchantId);
    return { merchant, profile, paymentResponseHashKey: this.secretBox.decrypt(profile.paymentResponseHashKeyEnc) };
  }

  async exists(merchantId: string): Promise<boolean> {
    return this.merchants.exists({ where: { merchantId } });
  }

  async findByPublishableKey(publishableKey: string): Promise<MerchantEntity | null> {
    return this.merchants.findOneBy({ publishableKey });
  }

  /** Read through the configuration cache (every payment needs it); a copy, so callers may change it. */
  async defaultProfile(merchantId: string): Promise<BusinessProfileEntity> {
    const defaultProfileId = await this.cache.get(
      merchantId,
      'default-profile',
      async () => (await this.merchants.findOneBy({ merchantId }))?.defaultProfileId ?? null,
    );
    if (!defaultProfileId) throw Errors.merchantNotFound();
    return this.profile(merchantId, defaultProfileId);
  }

  /**
   * Read through the configuration cache (payments, outgoing webhooks); a copy, so callers may change it. Inside a
   * transaction pass its `em`: a miss then reads on that connection instead of waiting for another from the pool.
   */
  async profile(merchantId: string, profileId: string, em?: EntityManager): Promise<BusinessProfileEntity> {
    const profile = await this.cache.get(
      merchantId,
      `profile|${profileId}`,
      () => (em ? em.getRepository(BusinessProfileEntity) : this.profiles).findOneBy({ merchantId, profileId }),
      !!em,
    );
    if (!profile)
      throw new DomainError('ProfileNotFound', `Business profile with the given id ${profileId} does not exist`);
    return Object.assign(new BusinessProfileEntity(), profile);
  }

  async listProfiles(merchantId: string): Promise<BusinessProfileEntity[]> {
    return this.profiles.find({ where: { merchantId }, order: { createdAt: 'ASC' } });
  }

  /** Webhook endpoint, return URL, response-hash settings and checkout theme (already validated) of a business profile. */
  async updateProfile(
    merchantId: string,
    profileId: string,
    patch: {
      webhookUrl?: string | null;
      returnUrl?: string | null;
      enablePaymentResponseHash?: boolean;
      theme?: Record<string, unknown> | null;
    },
  ): Promise<BusinessProfileEntity> {
    const profile = await this.profile(merchantId, profileId);
    if (patch.theme !== undefined) profile.theme = patch.theme;
    if (patch.webhookUrl !== undefined) profile.webhookUrl = patch.webhookUrl;
    if (patch.returnUrl !== undefined) profile.returnUrl = patch.returnUrl;
    if (patch.enablePaymentResponseHash !== undefined)
      profile.enablePaymentResponseHash = patch.enablePaymentResponseHash;
    await this.profiles.save(profile);
    await this.cache.invalidate(merchantId);
    return profile;
  }

  hashKeyOf(profile: BusinessProfileEntity): string {
    return this.secretBox.decrypt(profile.paymentResponseHashKeyEnc);
  }
}
