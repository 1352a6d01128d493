import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  BUTTON_LABEL_PATTERN,
  CHECKOUT_LOCALES,
  COLOR_PATTERN,
  FONT_FAMILY_PATTERN,
  MAX_BORDER_RADIUS,
  MAX_LINK_SECONDS,
} from '@switchyard/checkout';

const COLOR = { message: 'a hex colour #rgb or #rrggbb' };

/** A business profile's hosted-checkout theme; every field optional, each checked so it cannot inject CSS or markup. */
export class CheckoutThemeDto {
  @ApiPropertyOptional({ example: '#1f4fd8' }) @IsOptional() @Matches(COLOR_PATTERN, COLOR) primary_color?: string;
  @ApiPropertyOptional({ example: '#f6f7f9' }) @IsOptional() @Matches(COLOR_PATTERN, COLOR) background_color?: string;
  @ApiPropertyOptional({ example: '#1a1d24' }) @IsOptional() @Matches(COLOR_PATTERN, COLOR) text_color?: string;
  @ApiPropertyOptional({ example: '#0a7d4f' }) @IsOptional() @Matches(COLOR_PATTERN, COLOR) button_color?: string;
  @ApiPropertyOptional({ example: '#ffffff' })
  @IsOptional()
  @Matches(COLOR_PATTERN, COLOR)
  button_text_color?: string;
  @ApiPropertyOptional({ example: 'Pay now', maxLength: 40 })
  @IsOptional()
  @IsString()
  @Matches(BUTTON_LABEL_PATTERN, { message: '1 to 40 printable characters without < or >' })
  button_label?: string;
  @ApiPropertyOptional({ example: 'Georgia, serif' })
  @IsOptional()
  @IsString()
  @Matches(FONT_FAMILY_PATTERN, { message: 'font names of letters, digits, spaces, commas and hyphens' })
  font_family?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_BORDER_RADIUS, description: 'px' })
  @IsOptional()
  @IsInt({ message: `an integer number of px from 0 to ${MAX_BORDER_RADIUS}` })
  @Min(0, { message: `an integer number of px from 0 to ${MAX_BORDER_RADIUS}` })
  @Max(MAX_BORDER_RADIUS, { message: `an integer number of px from 0 to ${MAX_BORDER_RADIUS}` })
  border_radius?: number;
  @ApiPropertyOptional({ example: 'https://shop.example/logo.png' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { message: 'an https URL' })
  logo_url?: string;
  @ApiPropertyOptional({ enum: CHECKOUT_LOCALES })
  @IsOptional()
  @IsIn(CHECKOUT_LOCALES, { message: `one of ${CHECKOUT_LOCALES.join(', ')}` })
  locale?: string;
}

/** `POST /payment_links`: a link for an existing payment that still waits for the shopper. */
export class PaymentLinkCreateDto {
  @ApiProperty() @IsDefined() @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/) payment_id: string;
  @ApiPropertyOptional({ description: 'seconds the link (and the client secret) stay valid; default 900' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(MAX_LINK_SECONDS)
  session_expiry?: number;
  @ApiPropertyOptional({
    type: CheckoutThemeDto,
    description: 'theme fields overriding the profile theme on this link',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CheckoutThemeDto)
  payment_link_config?: CheckoutThemeDto;
}

/** The checkout page's form post. */
export class CheckoutForm {
  @IsDefined() @IsString() @MaxLength(128) csrf: string;
  @IsOptional() @IsString() @MaxLength(32) payment_method?: string;
  @IsOptional() @IsString() @MaxLength(128) client_secret?: string;
}

export class PreviewQuery {
  @IsOptional() @Matches(/^[0-9]{1,15}$/, { message: 'minor units' }) amount?: string;
  @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'an ISO 4217 currency code' }) currency?: string;
  @IsOptional() @IsIn(['test', 'live']) mode?: string;
}

/** Plain instance → the snake_case theme object stored on the profile (undefined fields dropped). */
export function themeToJson(dto: CheckoutThemeDto | null | undefined): Record<string, unknown> | null | undefined {
  if (dto === undefined || dto === null) return dto;
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
}
