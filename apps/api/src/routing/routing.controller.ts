import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Errors } from '@switchyard/common';
import type { KeyMode } from '@switchyard/database';
import { AuthContext, MerchantsService } from '@switchyard/merchants';
import { RoutingConfigService, RoutingScope } from '@switchyard/routing';
import { Auth, CurrentAuth } from '../common/auth.decorator';
import {
  RoutingConfigCreateDto,
  RoutingDeactivateDto,
  RoutingOnBehalfDto,
  RoutingRetrySettingsDto,
} from './routing.dto';

/**
 * Routing configs per business profile (Hyperswitch's /routing). The merchant's secret key works on its own merchant
 * and its key's mode; the admin key names the merchant (`merchant_id`, in the body or the query) and may name a mode.
 */
@ApiTags('Routing')
@ApiSecurity('api-key')
@Controller('routing')
export class RoutingController {
  constructor(
    private readonly routing: RoutingConfigService,
    private readonly merchants: MerchantsService,
  ) {}

  @Post()
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async create(@CurrentAuth() auth: AuthContext, @Body() dto: RoutingConfigCreateDto) {
    const scope = await this.scope(auth, dto.merchant_id);
    return this.routing.create(scope, {
      name: dto.name,
      description: dto.description,
      profileId: dto.profile_id,
      algorithm: dto.algorithm,
      mode: dto.mode,
    });
  }

  @Get()
  @Auth('admin', 'merchant')
  @ApiQuery({ name: 'profile_id', required: false })
  @ApiQuery({ name: 'merchant_id', required: false })
  async list(
    @CurrentAuth() auth: AuthContext,
    @Query('profile_id') profileId?: string,
    @Query('merchant_id') merchantId?: string,
  ) {
    return this.routing.list(await this.scope(auth, merchantId), profileId);
  }

  @Get('active')
  @Auth('admin', 'merchant')
  @ApiQuery({ name: 'merchant_id', required: false })
  async active(
    @CurrentAuth() auth: AuthContext,
    @Query('profile_id') profileId?: string,
    @Query('merchant_id') merchantId?: string,
  ) {
    if (!profileId) throw Errors.missingField('profile_id');
    return this.routing.active(await this.scope(auth, merchantId), profileId);
  }

  @Post('deactivate')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async deactivate(@CurrentAuth() auth: AuthContext, @Body() dto: RoutingDeactivateDto) {
    return this.routing.deactivate(await this.scope(auth, dto.merchant_id), dto.profile_id, dto.mode);
  }

  @Get('default/profile/:profile_id')
  @Auth('admin', 'merchant')
  @ApiQuery({ name: 'merchant_id', required: false })
  @ApiQuery({ name: 'mode', required: false, enum: ['test', 'live'] })
  async fallback(
    @CurrentAuth() auth: AuthContext,
    @Param('profile_id') profileId: string,
    @Query('merchant_id') merchantId?: string,
    @Query('mode') mode?: string,
  ) {
    return this.routing.fallback(await this.scope(auth, merchantId), profileId, modeOf(mode));
  }

  /** The body is Hyperswitch's: a bare array of `{connector, merchant_connector_id}`, validated by the routing lib. */
  @Post('default/profile/:profile_id')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  @ApiBody({ schema: { type: 'array', items: { type: 'object' } } })
  @ApiQuery({ name: 'merchant_id', required: false })
  @ApiQuery({ name: 'mode', required: false, enum: ['test', 'live'] })
  async setFallback(
    @CurrentAuth() auth: AuthContext,
    @Param('profile_id') profileId: string,
    @Body() body: unknown,
    @Query('merchant_id') merchantId?: string,
    @Query('mode') mode?: string,
  ) {
    return this.routing.setFallback(await this.scope(auth, merchantId), profileId, body, modeOf(mode));
  }

  @Get('settings/profile/:profile_id')
  @Auth('admin', 'merchant')
  @ApiQuery({ name: 'merchant_id', required: false })
  @ApiQuery({ name: 'mode', required: false, enum: ['test', 'live'] })
  async retrySettings(
    @CurrentAuth() auth: AuthContext,
    @Param('profile_id') profileId: string,
    @Query('merchant_id') merchantId?: string,
    @Query('mode') mode?: string,
  ) {
    return this.routing.retrySettings(await this.scope(auth, merchantId), profileId, modeOf(mode));
  }

  @Post('settings/profile/:profile_id')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async setRetrySettings(
    @CurrentAuth() auth: AuthContext,
    @Param('profile_id') profileId: string,
    @Body() dto: RoutingRetrySettingsDto,
  ) {
    const scope = await this.scope(auth, dto.merchant_id);
    return this.routing.setRetrySettings(scope, profileId, dto.max_cascade_retries, dto.mode);
  }

  @Get(':algorithm_id')
  @Auth('admin', 'merchant')
  @ApiQuery({ name: 'merchant_id', required: false })
  async get(
    @CurrentAuth() auth: AuthContext,
    @Param('algorithm_id') algorithmId: string,
    @Query('merchant_id') merchantId?: string,
  ) {
    return this.routing.get(await this.scope(auth, merchantId), algorithmId);
  }

  @Post(':algorithm_id/activate')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async activate(
    @CurrentAuth() auth: AuthContext,
    @Param('algorithm_id') algorithmId: string,
    @Body() dto: RoutingOnBehalfDto,
    @Query('merchant_id') merchantId?: string,
  ) {
    return this.routing.activate(await this.scope(auth, dto.merchant_id ?? merchantId), algorithmId);
  }

  /** A merchant key naming another merchant gets the same 404 as for a merchant that does not exist. */
  private async scope(auth: AuthContext, merchantId: string | undefined): Promise<RoutingScope> {
    if (auth.kind === 'merchant') {
      if (merchantId !== undefined && merchantId !== auth.merchantId) throw Errors.merchantNotFound();
      return { merchantId: auth.merchantId, mode: auth.mode };
    }
    if (auth.kind !== 'admin') throw Errors.unauthorized();
    if (!merchantId) throw Errors.missingField('merchant_id');
    await this.merchants.get(merchantId);
    return { merchantId, mode: null };
  }
}

function modeOf(value: string | undefined): KeyMode | undefined {
  if (value === undefined) return undefined;
  if (value !== 'test' && value !== 'live') throw Errors.invalidFormat('mode', 'test or live');
  return value;
}
