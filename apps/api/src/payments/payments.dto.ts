import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PAYMENT_METHODS } from '@switchyard/routing';
import { CheckoutThemeDto } from '../checkout/checkout.dto';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const URL_OPTS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

export class StraightThroughDto {
  @ApiProperty({ enum: ['single', 'priority', 'volume_split'] })
  @IsDefined()
  @IsIn(['single', 'priority', 'volume_split'])
  type: string;
  @ApiProperty() @IsDefined() data: unknown;
}

const CARD_STRING = { message: 'a string' };

/**
 * `payment_method_data.card` (Hyperswitch's Card). Shapes only: Luhn, network, expiry and CVC are checked by
 * CardData.parse, whose errors name the field without echoing it. Never logged, stored or returned as sent.
 */
export class CardDto {
  @ApiPropertyOptional({ example: '4012000033330026' })
  @IsOptional()
  @IsString(CARD_STRING)
  @MaxLength(32)
  card_number?: string;
  @ApiPropertyOptional({ example: '01' }) @IsOptional() @IsString(CARD_STRING) @MaxLength(2) card_exp_month?: string;
  @ApiPropertyOptional({ example: '2039' }) @IsOptional() @IsString(CARD_STRING) @MaxLength(4) card_exp_year?: string;
  @ApiPropertyOptional() @IsOptional() @IsString(CARD_STRING) @MaxLength(255) card_holder_name?: string;
  @ApiPropertyOptional({ example: '100' }) @IsOptional() @IsString(CARD_STRING) @MaxLength(4) card_cvc?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) card_issuer?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) card_network?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) card_type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2) card_issuing_country?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) nick_name?: string;
}

export class PaymentMethodDataDto {
  @ApiPropertyOptional({ type: CardDto }) @IsOptional() @ValidateNested() @Type(() => CardDto) card?: CardDto;
  @ApiPropertyOptional() @IsOptional() @IsObject() billing?: Record<string, unknown>;
}

/** Fields shared by create and confirm (Hyperswitch PaymentsRequest). */
class PaymentsRequestBase {
  @ApiPropertyOptional() @IsOptional() @IsUrl(URL_OPTS) @MaxLength(2048) return_url?: string;
  @ApiPropertyOptional({ example: 'card' })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  payment_method?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[a-z_]{1,32}$/) payment_method_type?: string;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => StraightThroughDto) routing?: StraightThroughDto;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) connector?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) client_secret?: string;
  @ApiPropertyOptional({ enum: ['three_ds', 'no_three_ds'] })
  @IsOptional()
  @IsIn(['three_ds', 'no_three_ds'])
  authentication_type?: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() browser_info?: Record<string, unknown>;
  @ApiPropertyOptional({ type: PaymentMethodDataDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaymentMethodDataDto)
  payment_method_data?: PaymentMethodDataDto;
}

export class PaymentsCreateDto extends PaymentsRequestBase {
  @ApiProperty({ description: 'minor units', example: 1000 })
  @IsDefined()
  @IsInt({ message: 'a positive integer in minor units' })
  @Min(1, { message: 'a positive integer in minor units' })
  @Max(MAX_AMOUNT)
  amount: number;

  @ApiProperty({ example: 'USD' })
  @IsDefined()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'an ISO 4217 currency code' })
  currency: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(ID, { message: '1-64 characters of [A-Za-z0-9_-]' })
  payment_id?: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() confirm?: boolean;
  @ApiPropertyOptional({ enum: ['automatic', 'manual', 'manual_multiple', 'scheduled', 'sequential_automatic'] })
  @IsOptional()
  @IsIn(['automatic', 'manual', 'manual_multiple', 'scheduled', 'sequential_automatic'])
  capture_method?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(MAX_AMOUNT) amount_to_capture?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID) customer_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^\S(.*\S)?$/)
  merchant_order_reference_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID) profile_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(60) @Max(7 * 86400) session_expiry?: number;
  @ApiPropertyOptional({ description: 'also create a hosted-checkout payment link (needs confirm: false)' })
  @IsOptional()
  @IsBoolean()
  payment_link?: boolean;
  @ApiPropertyOptional({ type: CheckoutThemeDto, description: 'theme fields overriding the profile theme on the link' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CheckoutThemeDto)
  payment_link_config?: CheckoutThemeDto;
}

export class PaymentsConfirmDto extends PaymentsRequestBase {}

export class PaymentsCaptureDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(MAX_AMOUNT) amount_to_capture?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(22) statement_descriptor_suffix?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(22) statement_descriptor_prefix?: string;
}

export class PaymentsCancelDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) cancellation_reason?: string;
}

export class RefundCreateDto {
  @ApiProperty() @IsDefined() @IsString() @Matches(ID) payment_id: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/) refund_id?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt({ message: 'a positive integer in minor units' })
  @Min(1)
  @Max(MAX_AMOUNT)
  amount?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) reason?: string;
  @ApiPropertyOptional({ enum: ['instant', 'scheduled'] })
  @IsOptional()
  @IsIn(['instant', 'scheduled'])
  refund_type?: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() metadata?: Record<string, unknown>;
}
