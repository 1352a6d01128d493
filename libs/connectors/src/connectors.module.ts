import { Module } from '@nestjs/common';
import { AccessTokenCache } from './core/access-token.cache';
import { ConnectorHttpClient } from './core/connector-http.client';
import { ConnectorRegistry } from './core/connector.registry';
import { GenericConnector } from './generic/generic.connector';

@Module({
  providers: [ConnectorHttpClient, AccessTokenCache, ConnectorRegistry, GenericConnector],
  exports: [ConnectorRegistry, ConnectorHttpClient, AccessTokenCache],
})
export class ConnectorsModule {}
