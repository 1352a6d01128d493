import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@switchyard/common';
import type { ConnectorAccountEntity } from '@switchyard/database';
import { AuthContext, ConnectorAccountsService } from '@switchyard/merchants';
import { Auth, CurrentAuth } from '../common/auth.decorator';
import { ConnectorCreateDto, ConnectorUpdateDto } from './accounts.dto';
import { parseAccountDetails, toConnectorResponse } from './accounts.mapper';

/** Connector accounts: the admin key, or the merchant's own secret key for accounts of the key's mode. */
@ApiTags('Connector accounts')
@ApiSecurity('api-key')
@Controller('account/:merchant_id/connectors')
export class ConnectorsController {
  constructor(private readonly accounts: ConnectorAccountsService) {}

  @Post()
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async create(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Body() dto: ConnectorCreateDto,
  ) {
    const mode = dto.test_mode ? 'test' : 'live';
    this.checkMode(auth, mode);
    const { authType, credentials } = parseAccountDetails(dto.connector_account_details);
    const account = await this.accounts.create(merchantId, {
      connectorType: dto.connector_type,
      connectorName: dto.connector_name,
      connectorLabel: dto.connector_label ?? null,
      profileId: dto.profile_id ?? null,
      mode,
      disabled: dto.disabled === true || dto.status === 'inactive',
      credentials,
      webhookSecret: dto.connector_webhook_details?.merchant_secret ?? null,
      paymentMethodsEnabled: (dto.payment_methods_enabled as object[] | undefined) ?? null,
      metadata: dto.metadata ?? null,
    });
    return toConnectorResponse(account, authType);
  }

  @Get()
  @Auth('admin', 'merchant')
  async list(@CurrentAuth() auth: AuthContext, @Param('merchant_id') merchantId: string) {
    const accounts = await this.accounts.list(merchantId);
    return accounts.filter((a) => this.visible(auth, a)).map((a) => this.view(a));
  }

  @Get(':merchant_connector_id')
  @Auth('admin', 'merchant')
  async get(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('merchant_connector_id') id: string,
  ) {
    return this.view(await this.visibleAccount(auth, merchantId, id));
  }

  @Post(':merchant_connector_id')
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async update(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('merchant_connector_id') id: string,
    @Body() dto: ConnectorUpdateDto,
  ) {
    await this.visibleAccount(auth, merchantId, id);
    const parsed = dto.connector_account_details ? parseAccountDetails(dto.connector_account_details) : null;
    const account = await this.accounts.update(merchantId, id, {
      connectorLabel: dto.connector_label,
      credentials: parsed?.credentials,
      webhookSecret: dto.connector_webhook_details ? dto.connector_webhook_details.merchant_secret : undefined,
      disabled: dto.disabled ?? (dto.status ? dto.status === 'inactive' : undefined),
      paymentMethodsEnabled: dto.payment_methods_enabled as object[] | undefined,
      metadata: dto.metadata,
    });
    return this.view(account);
  }

  @Delete(':merchant_connector_id')
  @Auth('admin', 'merchant')
  async remove(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('merchant_connector_id') id: string,
  ) {
    await this.visibleAccount(auth, merchantId, id);
    await this.accounts.delete(merchantId, id);
    return { merchant_id: merchantId, merchant_connector_id: id, deleted: true };
  }

  private view(account: ConnectorAccountEntity) {
    return toConnectorResponse(account, this.accounts.context(account).credentials.auth_type ?? null);
  }

  private visible(auth: AuthContext, account: ConnectorAccountEntity): boolean {
    return auth.kind === 'admin' || (auth.kind === 'merchant' && auth.mode === account.mode);
  }

  private async visibleAccount(auth: AuthContext, merchantId: string, id: string): Promise<ConnectorAccountEntity> {
    const account = await this.accounts.get(merchantId, id);
    if (!this.visible(auth, account)) {
      throw new DomainError(
        'MerchantConnectorAccountNotFound',
        'Merchant connector account does not exist in our records',
      );
    }
    return account;
  }

  private checkMode(auth: AuthContext, mode: 'test' | 'live'): void {
    if (auth.kind === 'merchant' && auth.mode !== mode) {
      throw new DomainError(
        'AccessForbidden',
        `Access forbidden. A ${auth.mode} key cannot configure ${mode} connector accounts`,
      );
    }
  }
}
