import { Module } from '@nestjs/common';
import { AccessTokenCache } from './core/access-token.cache';
import { ConnectorHttpClient } from './core/connector-http.client';
import { CONNECTOR_ADAPTERS, ConnectorRegistry } from './core/connector.registry';
import { GenericConnector } from './generic/generic.connector';
import { PluralConnector } from './plural/plural.connector';
import { TapConnector } from './tap/tap.connector';

/** Adding a connector = one folder under libs/connectors/src + one line in this list. */
const ADAPTERS = [GenericConnector, PluralConnector, TapConnector];

@Module({
  providers: [
    ConnectorHttpClient,
    AccessTokenCache,
    ...ADAPTERS,
    { provide: CONNECTOR_ADAPTERS, inject: ADAPTERS, useFactory: (...adapters: unknown[]) => adapters },
    ConnectorRegistry,
  ],
  exports: [ConnectorRegistry, ConnectorHttpClient, AccessTokenCache],
})
export class ConnectorsModule {}
