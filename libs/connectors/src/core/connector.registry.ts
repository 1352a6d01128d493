import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@switchyard/common';
import type { Connector } from './connector.types';

export const CONNECTOR_ADAPTERS = Symbol('CONNECTOR_ADAPTERS');

/** Every adapter listed in ConnectorsModule, by connector_name. */
@Injectable()
export class ConnectorRegistry {
  private readonly connectors: ReadonlyMap<string, Connector>;

  constructor(@Inject(CONNECTOR_ADAPTERS) adapters: Connector[]) {
    this.connectors = new Map(adapters.map((adapter) => [adapter.name, adapter]));
  }

  names(): string[] {
    return [...this.connectors.keys()];
  }

  has(name: string): boolean {
    return this.connectors.has(name);
  }

  get(name: string): Connector {
    const connector = this.connectors.get(name);
    if (!connector) {
      throw new DomainError(
        'InvalidDataValue',
        `Invalid value provided: connector_name (supported: ${this.names().join(', ')})`,
      );
    }
    return connector;
  }
}
