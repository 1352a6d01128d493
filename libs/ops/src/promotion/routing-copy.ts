import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@switchyard/common';
import type { ConnectorAccountEntity } from '@switchyard/database';
import { ConnectorAccountsService } from '@switchyard/merchants';
import { RoutingConfigService } from '@switchyard/routing';

export interface RoutingCopy {
  copied: boolean;
  /** The live routing config created and activated, when copied. */
  algorithm_id?: string;
  detail: string;
}

const ADMIN_SCOPE_MODE = null;

/**
 * Promotion's routing step: the profile's active test-mode routing config is copied to live mode with every
 * `merchant_connector_id` mapped to the live account promoted from it, then activated. It waits (copies nothing) until
 * every account the config pins has been promoted, and never replaces a live config that is already active.
 */
@Injectable()
export class RoutingCopier {
  private readonly logger = new Logger('RoutingCopier');

  constructor(
    private readonly routing: RoutingConfigService,
    private readonly accounts: ConnectorAccountsService,
  ) {}

  async copy(merchantId: string, profileId: string): Promise<RoutingCopy> {
    const scope = { merchantId, mode: ADMIN_SCOPE_MODE };
    const active = await this.routing.active(scope, profileId);
    const test = active.find((c) => c.mode === 'test');
    const live = active.find((c) => c.mode === 'live');
    if (!test)
      return {
        copied: false,
        detail: 'no active test-mode routing config: live payments use the default fallback list',
      };
    if (live) return { copied: false, detail: `live routing ${live.id} is already active; it was left as it is` };
    const twins = liveTwins(await this.accounts.list(merchantId));
    const pinned = new Set<string>();
    collectIds(test.algorithm, pinned);
    const waiting = [...pinned].filter((id) => !twins.has(id));
    if (waiting.length > 0) {
      return {
        copied: false,
        detail: `routing ${test.id} will be copied once these are promoted too: ${waiting.join(', ')}`,
      };
    }
    try {
      const created = await this.routing.create(scope, {
        name: test.name,
        description: `Promoted from ${test.id}`,
        profileId,
        algorithm: mapIds(test.algorithm, twins),
        mode: 'live',
      });
      await this.routing.activate(scope, created.id);
      return {
        copied: true,
        algorithm_id: created.id,
        detail: `routing ${test.id} copied to live as ${created.id} and activated`,
      };
    } catch (error: unknown) {
      // The account promotion stands; the routing copy is reported, not fatal.
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn({ msg: 'routing not copied on promotion', merchantId, profileId, reason: error.message });
      return { copied: false, detail: `routing ${test.id} could not be copied: ${error.message}` };
    }
  }
}

/** Test account id → the enabled live account promoted from it (the newest, if promoted more than once). */
function liveTwins(accounts: ConnectorAccountEntity[]): Map<string, string> {
  const twins = new Map<string, string>();
  for (const a of accounts) {
    if (a.mode === 'live' && !a.disabled && a.promotedFrom) twins.set(a.promotedFrom, a.merchantConnectorId);
  }
  return twins;
}

function collectIds(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collectIds(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'merchant_connector_id' && typeof inner === 'string') into.add(inner);
      else collectIds(inner, into);
    }
  }
}

/** The same structure with every pinned account id replaced by its live twin (shape-agnostic: rules, splits, lists). */
function mapIds(value: unknown, twins: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, twins));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === 'merchant_connector_id' && typeof inner === 'string'
        ? [key, twins.get(inner) ?? inner]
        : [key, mapIds(inner, twins)],
    ),
  );
}
