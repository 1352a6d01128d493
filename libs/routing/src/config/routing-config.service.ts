import { Injectable } from '@nestjs/common';
import { DomainError, Clock, generateId } from '@switchyard/common';
import { ConnectorRegistry } from '@switchyard/connectors';
import type { ConnectorAccountEntity, KeyMode, RoutingConfigEntity } from '@switchyard/database';
import { ConnectorAccountsService, MerchantsService } from '@switchyard/merchants';
import type { Choice } from '../core/routing.types';
import { ChoiceRef, parseAlgorithm, parseChoiceList } from '../core/validation/algorithm.validator';
import { semanticError } from '../core/validation/json-reader';
import { DEFAULT_MAX_CASCADE_RETRIES } from '../retry/cascade-policy';
import { RoutingConfigRepository } from './routing-config.repository';
import { RoutingConfigView, routingAlgorithmNotFound, toConfigView, validated } from './routing-config.views';

/** Who is asking: a merchant's secret key (its mode) or the admin key on behalf of a merchant (mode null = any). */
export interface RoutingScope {
  merchantId: string;
  mode: KeyMode | null;
}

export interface RoutingConfigInput {
  name: string;
  description?: string;
  profileId: string;
  algorithm: unknown;
  /** Admin only; a merchant key always works in its own mode. */
  mode?: KeyMode;
}

const MODES: readonly KeyMode[] = ['test', 'live'];

/** Versioned routing configs per business profile, their activation, the default fallback list and the retry budget. */
@Injectable()
export class RoutingConfigService {
  constructor(
    private readonly repo: RoutingConfigRepository,
    private readonly merchants: MerchantsService,
    private readonly accounts: ConnectorAccountsService,
    private readonly registry: ConnectorRegistry,
    private readonly clock: Clock,
  ) {}

  async create(scope: RoutingScope, input: RoutingConfigInput): Promise<RoutingConfigView> {
    await this.merchants.profile(scope.merchantId, input.profileId);
    const { algorithm, refs } = validated(() => parseAlgorithm(input.algorithm));
    const accounts = await this.profileAccounts(scope.merchantId, input.profileId);
    const mode = validated(() => this.modeOf(scope, input.mode, refs, accounts));
    validated(() => this.checkRefs(refs, accounts, mode, input.profileId));
    const saved = await this.repo.insertVersion({
      algorithmId: generateId('routing'),
      merchantId: scope.merchantId,
      profileId: input.profileId,
      mode,
      name: input.name,
      description: input.description ?? null,
      kind: algorithm.type,
      algorithm,
    });
    return toConfigView(saved, false);
  }

  async get(scope: RoutingScope, algorithmId: string): Promise<RoutingConfigView> {
    const config = await this.visibleConfig(scope, algorithmId);
    const settings = await this.repo.settings(scope.merchantId, config.profileId, config.mode);
    return toConfigView(config, settings?.activeAlgorithmId === config.algorithmId);
  }

  async list(scope: RoutingScope, profileId?: string): Promise<RoutingConfigView[]> {
    const configs = await this.repo.listConfigs(scope.merchantId, { profileId, mode: scope.mode ?? undefined });
    const active = new Set<string>();
    for (const pid of new Set(configs.map((c) => c.profileId))) {
      for (const s of await this.repo.settingsOfProfile(scope.merchantId, pid)) {
        if (s.activeAlgorithmId) active.add(s.activeAlgorithmId);
      }
    }
    return configs.map((c) => toConfigView(c, active.has(c.algorithmId)));
  }

  /** Makes a version the one payments of its profile and mode use; activating the active one again is a no-op. */
  async activate(scope: RoutingScope, algorithmId: string): Promise<RoutingConfigView> {
    const config = await this.visibleConfig(scope, algorithmId);
    await this.repo.upsertSettings(scope.merchantId, config.profileId, config.mode, {
      activeAlgorithmId: config.algorithmId,
      activatedAt: this.clock.now(),
    });
    return toConfigView(config, true);
  }

  /** Back to the default fallback list for one mode. Returns what was active; 400 when nothing was. */
  async deactivate(scope: RoutingScope, profileId: string, mode?: KeyMode): Promise<RoutingConfigView> {
    await this.merchants.profile(scope.merchantId, profileId);
    const m = this.singleMode(scope, mode);
    const { config } = await this.repo.forPayment(scope.merchantId, profileId, m);
    if (!config) {
      throw new DomainError(
        'PreconditionFailed',
        `No routing algorithm is active for profile ${profileId} (${m} mode)`,
      );
    }
    await this.repo.upsertSettings(scope.merchantId, profileId, m, { activeAlgorithmId: null, activatedAt: null });
    return toConfigView(config, false);
  }

  async active(scope: RoutingScope, profileId: string): Promise<RoutingConfigView[]> {
    await this.merchants.profile(scope.merchantId, profileId);
    const views: RoutingConfigView[] = [];
    for (const m of this.modes(scope)) {
      const { config } = await this.repo.forPayment(scope.merchantId, profileId, m);
      if (config) views.push(toConfigView(config, true));
    }
    return views;
  }

  /** The profile's default fallback list: the stored one, or every account of the mode in creation order. */
  async fallback(scope: RoutingScope, profileId: string, mode?: KeyMode): Promise<Choice[]> {
    await this.merchants.profile(scope.merchantId, profileId);
    const m = this.singleMode(scope, mode);
    const settings = await this.repo.settings(scope.merchantId, profileId, m);
    if (settings?.defaultFallback) return settings.defaultFallback as Choice[];
    return (await this.profileAccounts(scope.merchantId, profileId))
      .filter((a) => a.mode === m)
      .map((a) => ({ connector: a.connectorName, merchant_connector_id: a.merchantConnectorId }));
  }

  async setFallback(scope: RoutingScope, profileId: string, body: unknown, mode?: KeyMode): Promise<Choice[]> {
    await this.merchants.profile(scope.merchantId, profileId);
    const m = this.singleMode(scope, mode);
    const refs: ChoiceRef[] = [];
    const choices = validated(() => parseChoiceList(body, 'default_fallback', refs));
    const accounts = await this.profileAccounts(scope.merchantId, profileId);
    validated(() => this.checkRefs(refs, accounts, m, profileId));
    await this.repo.upsertSettings(scope.merchantId, profileId, m, { defaultFallback: choices });
    return choices;
  }

  async retrySettings(scope: RoutingScope, profileId: string, mode?: KeyMode) {
    await this.merchants.profile(scope.merchantId, profileId);
    const m = this.singleMode(scope, mode);
    const settings = await this.repo.settings(scope.merchantId, profileId, m);
    return {
      profile_id: profileId,
      mode: m,
      max_cascade_retries: settings?.maxCascadeRetries ?? DEFAULT_MAX_CASCADE_RETRIES,
    };
  }

  async setRetrySettings(scope: RoutingScope, profileId: string, maxCascadeRetries: number, mode?: KeyMode) {
    await this.merchants.profile(scope.merchantId, profileId);
    const m = this.singleMode(scope, mode);
    await this.repo.upsertSettings(scope.merchantId, profileId, m, { maxCascadeRetries });
    return { profile_id: profileId, mode: m, max_cascade_retries: maxCascadeRetries };
  }

  /** The profile's accounts that still exist (a deleted account is disabled and renamed, never removed). */
  async profileAccounts(merchantId: string, profileId: string): Promise<ConnectorAccountEntity[]> {
    return (await this.accounts.list(merchantId)).filter(
      (a) => a.profileId === profileId && !(a.disabled && a.connectorLabel.includes('__deleted_')),
    );
  }

  private async visibleConfig(scope: RoutingScope, algorithmId: string): Promise<RoutingConfigEntity> {
    const config = await this.repo.findConfig(scope.merchantId, algorithmId);
    // A key of the other mode gets the same answer as for a config that does not exist.
    if (!config || (scope.mode && config.mode !== scope.mode)) throw routingAlgorithmNotFound();
    return config;
  }

  /** A merchant key works in its own mode; the admin names one, or it follows the accounts the algorithm pins. */
  private modeOf(
    scope: RoutingScope,
    asked: KeyMode | undefined,
    refs: ChoiceRef[],
    accounts: ConnectorAccountEntity[],
  ) {
    if (scope.mode) {
      if (asked && asked !== scope.mode) {
        throw new DomainError(
          'AccessForbidden',
          `Access forbidden. A ${scope.mode} key cannot configure ${asked} routing`,
        );
      }
      return scope.mode;
    }
    if (asked) return asked;
    const pinned = new Set(
      refs.flatMap((r) =>
        accounts.filter((a) => a.merchantConnectorId === r.choice.merchant_connector_id).map((a) => a.mode),
      ),
    );
    if (pinned.size > 1) throw semanticError('algorithm', 'names both test and live connector accounts');
    return [...pinned][0] ?? 'test';
  }

  private checkRefs(refs: ChoiceRef[], accounts: ConnectorAccountEntity[], mode: KeyMode, profileId: string): void {
    for (const { path, choice } of refs) {
      if (!this.registry.has(choice.connector)) {
        throw semanticError(
          `${path}.connector`,
          `unknown connector ${choice.connector} (available: ${this.registry.names().join(', ')})`,
        );
      }
      const id = choice.merchant_connector_id;
      if (id) {
        const account = accounts.find((a) => a.merchantConnectorId === id && a.mode === mode);
        if (!account) {
          throw semanticError(
            `${path}.merchant_connector_id`,
            `unknown connector account ${id} (profile ${profileId}, ${mode} mode)`,
          );
        }
        if (account.connectorName !== choice.connector) {
          throw semanticError(
            `${path}.connector`,
            `${id} is a ${account.connectorName} account, not ${choice.connector}`,
          );
        }
      } else if (!accounts.some((a) => a.connectorName === choice.connector && a.mode === mode)) {
        throw semanticError(path, `no ${mode} mode ${choice.connector} connector account in profile ${profileId}`);
      }
    }
  }

  private modes(scope: RoutingScope): readonly KeyMode[] {
    return scope.mode ? [scope.mode] : MODES;
  }

  private singleMode(scope: RoutingScope, asked?: KeyMode): KeyMode {
    if (scope.mode && asked && asked !== scope.mode) {
      throw new DomainError(
        'AccessForbidden',
        `Access forbidden. A ${scope.mode} key cannot configure ${asked} routing`,
      );
    }
    return scope.mode ?? asked ?? 'test';
  }
}
