import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DomainError, Errors, isoTimestamp } from '@switchyard/common';
import type { ConnectorAccountEntity } from '@switchyard/database';
import { AuthContext, ConnectorAccountsService } from '@switchyard/merchants';
import { GoLiveService, PromotionService, RotationService } from '@switchyard/ops';
import { parseAccountDetails, toConnectorResponse } from '../accounts/accounts.mapper';
import { Auth, CurrentAuth } from '../common/auth.decorator';
import { PromoteConnectorDto, RotateConnectorDto } from './ops.dto';

/** Going live: the readiness checklist, sandbox → live promotion, and credential rotation of connector accounts. */
@ApiTags('Operations')
@ApiSecurity('api-key')
@Controller('account/:merchant_id')
export class OpsAccountsController {
  constructor(
    private readonly goLive: GoLiveService,
    private readonly promotion: PromotionService,
    private readonly rotation: RotationService,
    private readonly accounts: ConnectorAccountsService,
  ) {}

  /** Computed from the merchant's own configuration; live credentials are checked with each processor. */
  @Get('go_live_check')
  @Auth('admin', 'merchant')
  goLiveCheck(@Param('merchant_id') merchantId: string) {
    return this.goLive.report(merchantId);
  }

  @Post('connectors/:merchant_connector_id/promote')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async promote(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('merchant_connector_id') id: string,
    @Body() dto: PromoteConnectorDto,
  ) {
    if (auth.kind === 'merchant' && auth.mode !== 'live') {
      throw new DomainError('AccessForbidden', 'Access forbidden. Promotion to live needs a live key or the admin key');
    }
    const { credentials } = parseAccountDetails(dto.connector_account_details);
    const { account, source, routing } = await this.promotion.promote(merchantId, id, {
      credentials,
      webhookSecret: dto.connector_webhook_details?.merchant_secret ?? null,
      label: dto.connector_label,
      metadata: dto.metadata,
      disabled: dto.disabled,
    });
    return { ...this.view(account), promoted_from: source.merchantConnectorId, routing };
  }

  @Post('connectors/:merchant_connector_id/rotate')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async rotate(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('merchant_connector_id') id: string,
    @Body() dto: RotateConnectorDto,
  ) {
    const current = await this.accounts.get(merchantId, id);
    // As for the other connector routes: a key only sees accounts of its own mode.
    if (auth.kind === 'merchant' && auth.mode !== current.mode) throw Errors.connectorAccountNotFound();
    const { credentials } = parseAccountDetails(dto.connector_account_details);
    const account = await this.rotation.rotateConnector(merchantId, id, {
      credentials,
      webhookSecret: dto.connector_webhook_details ? dto.connector_webhook_details.merchant_secret : undefined,
      overlapSeconds: dto.overlap_seconds,
      verify: dto.verify !== false,
    });
    return { ...this.view(account), previous_credentials_valid_until: isoTimestamp(account.previousValidUntil) };
  }

  private view(account: ConnectorAccountEntity) {
    return toConnectorResponse(account, this.accounts.context(account).credentials.auth_type ?? null);
  }
}
