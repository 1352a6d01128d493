import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '@switchyard/config';
import {
  AccessTokenCache,
  ConnectorAccountContext,
  ConnectorHttpClient,
  ConnectorOutcomeUnknownError,
  ConnectorRequestError,
} from '@switchyard/connectors';
import { GenericConnector } from '../../libs/connectors/src/generic/generic.connector';
import { PluralConnector } from '../../libs/connectors/src/plural/plural.connector';
import { TapConnector } from '../../libs/connectors/src/tap/tap.connector';
import { startSandbox } from '../../apps/sandbox/src/sandbox.app';

/** Each adapter's verifyCredentials against its sandbox: resolves for good credentials, refuses bad ones, says "unknown" when down. */
describe('Connector.verifyCredentials', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let redis: Redis;
  let http: ConnectorHttpClient;
  let tokens: AccessTokenCache;

  beforeAll(async () => {
    Logger.overrideLogger(false); // no Nest app here: keep the adapters' debug lines off the console
    sandbox = await startSandbox({ port: 0 });
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 3 });
    http = new ConnectorHttpClient({ CONNECTOR_TIMEOUT_MS: 4000 } as AppConfig);
    tokens = new AccessTokenCache(redis);
  });
  afterAll(async () => {
    await http?.onModuleDestroy();
    await redis?.quit();
    await sandbox?.close();
  });

  const ctx = (
    connectorName: string,
    credentials: Record<string, string>,
    baseUrl: string,
  ): ConnectorAccountContext => ({
    merchantConnectorId: `mca_${randomBytes(6).toString('hex')}`,
    merchantId: 'm_verify',
    connectorName,
    mode: 'test',
    credentials,
    webhookSecret: null,
    metadata: { base_url: baseUrl },
  });

  it('generic: a token call proves the client id and secret id', async () => {
    const generic = new GenericConnector(http, tokens);
    const base = `${sandbox.url}/generic/pay/sandbox/api/v1`;
    const before = sandbox.state.generic.stats.tokenRequests;
    await expect(
      generic.verifyCredentials(ctx('generic', { api_key: 'client_ok', key1: 'secret_ok_123' }, base)),
    ).resolves.toBeUndefined();
    await expect(
      generic.verifyCredentials(ctx('generic', { api_key: 'client_ok', key1: 'secret_ok_123' }, base)),
    ).resolves.toBeUndefined();
    // Never answered from the token cache: every check asks the gateway.
    expect(sandbox.state.generic.stats.tokenRequests - before).toBe(2);
    await expect(
      generic.verifyCredentials(ctx('generic', { api_key: 'invalid_client', key1: 'secret_ok_123' }, base)),
    ).rejects.toBeInstanceOf(ConnectorRequestError);
    await expect(
      generic.verifyCredentials(ctx('generic', { api_key: 'c', key1: 'secret_ok_123' }, 'http://127.0.0.1:9')),
    ).rejects.toBeInstanceOf(ConnectorOutcomeUnknownError);
  });

  it('plural: a token call and an authenticated inquiry of a reference that cannot exist', async () => {
    const plural = new PluralConnector(http, tokens);
    const base = `${sandbox.url}/plural`;
    await expect(
      plural.verifyCredentials(ctx('plural', { api_key: 'client_ok', key1: 'client_secret_ok' }, base)),
    ).resolves.toBeUndefined();
    const refused = plural.verifyCredentials(
      ctx('plural', { api_key: 'invalid_client', key1: 'client_secret_ok' }, base),
    );
    await expect(refused).rejects.toMatchObject({ httpStatus: 401 });
  });

  it('tap: retrieving a charge that cannot exist answers 404 to a good key, 401 to a bad one', async () => {
    const tap = new TapConnector(http, { PUBLIC_BASE_URL: 'http://127.0.0.1:1' });
    const base = `${sandbox.url}/tap`;
    await expect(tap.verifyCredentials(ctx('tap', { api_key: 'sk_test_good_key' }, base))).resolves.toBeUndefined();
    await expect(tap.verifyCredentials(ctx('tap', { api_key: 'sk_test_invalid_key' }, base))).rejects.toMatchObject({
      httpStatus: 401,
    });
  });
});
