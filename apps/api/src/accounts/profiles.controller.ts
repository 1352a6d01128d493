import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsUrl, MaxLength, ValidateNested } from 'class-validator';
import { isoTimestamp } from '@switchyard/common';
import type { BusinessProfileEntity } from '@switchyard/database';
import { MerchantsService } from '@switchyard/merchants';
import { Auth } from '../common/auth.decorator';
import { WebhookDetailsDto } from './accounts.dto';
import { CheckoutThemeDto, themeToJson } from '../checkout/checkout.dto';

const URL_OPTS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class ProfileUpdateDto {
  @ApiPropertyOptional()
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookDetailsDto)
  webhook_details?: WebhookDetailsDto;
  @ApiPropertyOptional() @IsOptional() @IsUrl(URL_OPTS) @MaxLength(2048) return_url?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enable_payment_response_hash?: boolean;
  @ApiPropertyOptional({
    type: CheckoutThemeDto,
    nullable: true,
    description: 'hosted checkout styling; null clears it',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CheckoutThemeDto)
  theme?: CheckoutThemeDto | null;
}

/** Business profiles: where merchant webhooks go and how redirects are signed. The hash key itself is never returned here. */
@ApiTags('Business profiles')
@ApiSecurity('api-key')
@Controller('account/:merchant_id/business_profile')
export class ProfilesController {
  constructor(private readonly merchants: MerchantsService) {}

  @Get()
  @Auth('admin', 'merchant')
  async list(@Param('merchant_id') merchantId: string) {
    return (await this.merchants.listProfiles(merchantId)).map(toProfileResponse);
  }

  @Post(':profile_id')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async update(
    @Param('merchant_id') merchantId: string,
    @Param('profile_id') profileId: string,
    @Body() dto: ProfileUpdateDto,
  ) {
    const profile = await this.merchants.updateProfile(merchantId, profileId, {
      webhookUrl: dto.webhook_details?.webhook_url,
      returnUrl: dto.return_url,
      enablePaymentResponseHash: dto.enable_payment_response_hash,
      theme: themeToJson(dto.theme),
    });
    return toProfileResponse(profile);
  }
}

function toProfileResponse(profile: BusinessProfileEntity) {
  return {
    merchant_id: profile.merchantId,
    profile_id: profile.profileId,
    profile_name: profile.profileName,
    return_url: profile.returnUrl,
    enable_payment_response_hash: profile.enablePaymentResponseHash,
    webhook_details: { webhook_url: profile.webhookUrl },
    theme: profile.theme ?? null,
    created_at: isoTimestamp(profile.createdAt),
  };
}
