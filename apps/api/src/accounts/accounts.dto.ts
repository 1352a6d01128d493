import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const URL_OPTS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class WebhookDetailsDto {
  @ApiPropertyOptional() @IsOptional() @IsUrl(URL_OPTS) @MaxLength(2048) webhook_url?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() webhook_version?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() webhook_username?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() webhook_password?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() payment_created_enabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() payment_succeeded_enabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() payment_failed_enabled?: boolean;
}

export class MerchantAccountCreateDto {
  @ApiProperty({ example: 'merchant_123' })
  @IsDefined()
  @IsString()
  @Matches(ID, { message: '1-64 characters of [A-Za-z0-9_-]' })
  merchant_id: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) merchant_name?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl(URL_OPTS) @MaxLength(255) return_url?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookDetailsDto)
  webhook_details?: WebhookDetailsDto;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enable_payment_response_hash?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(32, 128) payment_response_hash_key?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() redirect_to_merchant_with_http_post?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsObject() merchant_details?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() organization_id?: string;
}

export class CreateApiKeyDto {
  @ApiProperty() @IsDefined() @IsString() @Length(1, 64) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) description?: string;
  @ApiProperty({ example: 'never', description: '"never" or an ISO-8601 datetime in the future' })
  @IsDefined()
  @IsString()
  @Matches(/^(never|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)$/, {
    message: '"never" or an ISO-8601 datetime',
  })
  expiration: string;
  @ApiPropertyOptional({ enum: ['test', 'live'], default: 'test', description: 'Switchyard extension: the key mode' })
  @IsOptional()
  @IsIn(['test', 'live'])
  mode?: 'test' | 'live';
}

export class ConnectorWebhookDetailsDto {
  @ApiProperty() @IsDefined() @IsString() @Length(1, 512) merchant_secret: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(512) additional_secret?: string;
}

export class ConnectorCreateDto {
  @ApiProperty({ example: 'payment_processor' }) @IsDefined() @IsIn(['payment_processor']) connector_type: string;
  @ApiProperty({ example: 'generic' }) @IsDefined() @IsString() @Matches(/^[a-z0-9_]{1,64}$/) connector_name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_.-]{1,100}$/) connector_label?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID) profile_id?: string;
  @ApiProperty({ example: { auth_type: 'BodyKey', api_key: 'client_id', key1: 'secret_id' } })
  @IsDefined()
  @IsObject()
  connector_account_details: Record<string, unknown>;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() test_mode?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional() @IsOptional() payment_methods_enabled?: unknown[];
  @ApiPropertyOptional() @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @ApiPropertyOptional()
  @IsOptional()
  @ValidateNested()
  @Type(() => ConnectorWebhookDetailsDto)
  connector_webhook_details?: ConnectorWebhookDetailsDto;
  @ApiPropertyOptional() @IsOptional() @IsIn(['active', 'inactive']) status?: 'active' | 'inactive';
}

export class ConnectorUpdateDto {
  @ApiPropertyOptional() @IsOptional() @IsIn(['payment_processor']) connector_type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_.-]{1,100}$/) connector_label?: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() connector_account_details?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional() @IsOptional() payment_methods_enabled?: unknown[];
  @ApiPropertyOptional() @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @ApiPropertyOptional()
  @IsOptional()
  @ValidateNested()
  @Type(() => ConnectorWebhookDetailsDto)
  connector_webhook_details?: ConnectorWebhookDetailsDto;
  @ApiPropertyOptional() @IsOptional() @IsIn(['active', 'inactive']) status?: 'active' | 'inactive';
}
