import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Clock, DomainError, Errors } from '@switchyard/common';
import { ApiKeysService, MerchantsService } from '@switchyard/merchants';
import { Auth } from '../common/auth.decorator';
import { CreateApiKeyDto, MerchantAccountCreateDto } from './accounts.dto';
import { toApiKeyResponse, toMerchantResponse } from './accounts.mapper';

@ApiTags('Merchant accounts')
@ApiSecurity('api-key')
@Controller()
export class AccountsController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly apiKeys: ApiKeysService,
    private readonly clock: Clock,
  ) {}

  @Post('accounts')
  @HttpCode(200)
  @Auth('admin')
  async create(@Body() dto: MerchantAccountCreateDto) {
    const view = await this.merchants.create({
      merchantId: dto.merchant_id.trim(),
      merchantName: dto.merchant_name ?? null,
      returnUrl: dto.return_url ?? null,
      enablePaymentResponseHash: dto.enable_payment_response_hash ?? true,
      paymentResponseHashKey: dto.payment_response_hash_key ?? null,
      webhookUrl: dto.webhook_details?.webhook_url ?? null,
      metadata: dto.metadata ?? null,
    });
    return toMerchantResponse(view);
  }

  @Get('accounts/:merchant_id')
  @Auth('admin', 'merchant')
  async get(@Param('merchant_id') merchantId: string) {
    return toMerchantResponse(await this.merchants.get(merchantId));
  }

  @Post('api_keys/:merchant_id')
  @HttpCode(200)
  @Auth('admin')
  async createKey(@Param('merchant_id') merchantId: string, @Body() dto: CreateApiKeyDto) {
    const expiresAt = dto.expiration === 'never' ? null : new Date(dto.expiration);
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= this.clock.now().getTime())) {
      throw Errors.invalidFormat('expiration', '"never" or a datetime in the future');
    }
    const { entity, plaintext } = await this.apiKeys.create(merchantId, {
      name: dto.name,
      description: dto.description ?? null,
      expiresAt,
      mode: dto.mode ?? 'test',
    });
    const { prefix: _prefix, ...view } = toApiKeyResponse(entity);
    return { ...view, api_key: plaintext };
  }

  // Key metadata is operator-only, like creating and revoking keys: a test key must not read live keys.
  @Get('api_keys/:merchant_id/list')
  @Auth('admin')
  async listKeys(
    @Param('merchant_id') merchantId: string,
    @Query('limit') limit?: string,
    @Query('skip') skip?: string,
  ) {
    const take = parseBound(limit, 'limit', 1, 100, 100);
    const offset = parseBound(skip, 'skip', 0, 1_000_000, 0);
    return (await this.apiKeys.list(merchantId, take, offset)).map(toApiKeyResponse);
  }

  @Get('api_keys/:merchant_id/:key_id')
  @Auth('admin')
  async getKey(@Param('merchant_id') merchantId: string, @Param('key_id') keyId: string) {
    return toApiKeyResponse(await this.apiKeys.get(merchantId, keyId));
  }

  @Delete('api_keys/:merchant_id/:key_id')
  @Auth('admin')
  async revokeKey(@Param('merchant_id') merchantId: string, @Param('key_id') keyId: string) {
    await this.apiKeys.revoke(merchantId, keyId);
    return { merchant_id: merchantId, key_id: keyId, revoked: true };
  }
}

export function parseBound(raw: string | undefined, field: string, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new DomainError('InvalidRequestData', `${field} should be in between ${min} and ${max}`);
  }
  return value;
}
