import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectorWebhookDetailsDto } from '../accounts/accounts.dto';

const MAX_OVERLAP = 86400 * 30;

export class PromoteConnectorDto {
  @ApiProperty({
    description: 'The LIVE credentials the processor issued (never copied from the test account)',
    example: { auth_type: 'BodyKey', api_key: 'live_client_id', key1: 'live_secret_id' },
  })
  @IsDefined()
  @IsObject()
  connector_account_details: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Required for connectors that send webhooks signed with a separate secret' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConnectorWebhookDetailsDto)
  connector_webhook_details?: ConnectorWebhookDetailsDto;

  @ApiPropertyOptional({ description: 'Default: the test label + "_live"' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,100}$/)
  connector_label?: string;

  @ApiPropertyOptional({
    description: 'Merged over the copied metadata (whose base URLs are dropped), e.g. {"base_url":"https://…"}',
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() disabled?: boolean;
}

export class RotateConnectorDto {
  @ApiProperty({ description: 'The new credentials; they become primary at once' })
  @IsDefined()
  @IsObject()
  connector_account_details: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'A new webhook secret; omitted = keep the current one' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConnectorWebhookDetailsDto)
  connector_webhook_details?: ConnectorWebhookDetailsDto;

  @ApiPropertyOptional({
    description:
      'Seconds the previous credentials keep verifying webhooks (default CONNECTOR_ROTATION_OVERLAP_SECONDS)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OVERLAP)
  overlap_seconds?: number;

  @ApiPropertyOptional({ default: true, description: 'Check the new credentials with the processor before switching' })
  @IsOptional()
  @IsBoolean()
  verify?: boolean;
}

export class RotateApiKeyDto {
  @ApiPropertyOptional({
    description: 'Seconds the old key keeps working (default API_KEY_ROTATION_OVERLAP_SECONDS, 24 h)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OVERLAP)
  overlap_seconds?: number;

  @ApiPropertyOptional({ description: '"never" or an ISO-8601 datetime for the new key; default: the old key\'s' })
  @IsOptional()
  @IsString()
  @Matches(/^(never|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)$/, {
    message: '"never" or an ISO-8601 datetime',
  })
  expiration?: string;
}
