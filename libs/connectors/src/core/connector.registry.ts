import { Injectable } from '@nestjs/common';
import { DomainError } from '@switchyard/common';
import { GenericConnector } from '../generic/generic.connector';
import type { Connector } from './connector.types';

/** Adding a connector = one folder under libs/connectors/src + one line here (and in ConnectorsModule providers). */
@Injectable()
export class ConnectorRegistry {
  private readonly connectors: ReadonlyMap<string, Connector>;

  constructor(generic: GenericConnector) {
    this.connectors = new Map<string, Connector>([[generic.name, generic]]);
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
      throw new DomainError('InvalidDataValue', `Invalid value provided: connector_name (supported: ${this.names().join(', ')})`);
    }
    return connector;
  }
}
