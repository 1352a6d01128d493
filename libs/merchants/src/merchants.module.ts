import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@switchyard/common';
import { ConnectorsModule } from '@switchyard/connectors';
import { ApiKeyEntity, BusinessProfileEntity, ConnectorAccountEntity, MerchantEntity } from '@switchyard/database';
import { ApiKeysService } from './api-keys.service';
import { ConnectorAccountsService } from './connector-accounts.service';
import { MerchantsService } from './merchants.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([MerchantEntity, BusinessProfileEntity, ApiKeyEntity, ConnectorAccountEntity]),
    ConnectorsModule,
  ],
  providers: [MerchantsService, ApiKeysService, ConnectorAccountsService, Clock],
  exports: [MerchantsService, ApiKeysService, ConnectorAccountsService],
})
export class MerchantsModule {}
