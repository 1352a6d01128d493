import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ID_MESSAGE = { message: '1-64 characters of [A-Za-z0-9_-]' };

/** The admin key acts for a merchant it names; a merchant key may only name itself. */
class OnBehalfDto {
  @ApiPropertyOptional({ description: 'admin key only: the merchant to act for' })
  @IsOptional()
  @IsString()
  @Matches(ID, ID_MESSAGE)
  merchant_id?: string;

  @ApiPropertyOptional({
    enum: ['test', 'live'],
    description: "admin key only; a merchant key works in its key's mode",
  })
  @IsOptional()
  @IsIn(['test', 'live'])
  mode?: 'test' | 'live';
}

export class RoutingConfigCreateDto extends OnBehalfDto {
  @ApiProperty({ example: 'eu-cards-v2' })
  @IsDefined()
  @IsString()
  @Matches(/^\S.{0,63}$/, { message: '1-64 characters' })
  name: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) description?: string;

  @ApiProperty() @IsDefined() @IsString() @Matches(ID, ID_MESSAGE) profile_id: string;

  @ApiProperty({
    description:
      '{type, data}: single | priority | volume_split | advanced (rules) | success_rate; see docs/routing.md',
    example: { type: 'priority', data: [{ connector: 'generic', merchant_connector_id: 'mca_…' }] },
  })
  @IsDefined()
  @IsObject()
  algorithm: Record<string, unknown>;
}

export class RoutingDeactivateDto extends OnBehalfDto {
  @ApiProperty() @IsDefined() @IsString() @Matches(ID, ID_MESSAGE) profile_id: string;
}

export class RoutingOnBehalfDto extends OnBehalfDto {}

export class RoutingRetrySettingsDto extends OnBehalfDto {
  @ApiProperty({ minimum: 0, maximum: 5, description: 'cascading retries after the first attempt (default 1)' })
  @IsDefined()
  @IsInt()
  @Min(0)
  @Max(5)
  max_cascade_retries: number;
}
