import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SecretBox } from '@switchyard/common';
import { createDataSource } from '@switchyard/database';

const CLI = join(process.cwd(), 'dist/libs/merchants/src/cli/rotate-master-key.js');
const key = () => randomBytes(32).toString('base64');

/**
 * The master-key CLI, run as operators run it (the compiled entry point), against a database of its own: re-encrypting
 * the shared test database would pull the keys from under the other suites.
 */
describe('master key rotation CLI', () => {
  const [oldKey, newKey] = [key(), key()];
  const dbName = `sy_mk_${randomBytes(4).toString('hex')}`;
  let admin: DataSource;
  let db: DataSource;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm test builds before jest)`);
    admin = createDataSource(process.env.DATABASE_URL!);
    await admin.initialize();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const target = new URL(process.env.DATABASE_URL!);
    target.pathname = `/${dbName}`;
    url = target.toString();
    db = createDataSource(url);
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    await seed(db, new SecretBox(oldKey), 23);
  });

  afterAll(async () => {
    await db?.destroy();
    await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin?.destroy();
  });

  const run = (env: Record<string, string>, args: string[] = []) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['-r', './scripts/register-aliases.cjs', CLI, ...args],
        { env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('re-encrypts every stored secret under the new key in batches, printing progress and no secret', async () => {
    const dry = await run({ MASTER_KEY: newKey, MASTER_KEY_PREVIOUS: oldKey }, ['--dry-run', '--batch-size=10']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('connector_accounts: 23 rows scanned, 69 secrets to re-encrypt');
    expect(await readable(db, new SecretBox(newKey))).toBe(0);

    const res = await run({ MASTER_KEY: newKey, MASTER_KEY_PREVIOUS: oldKey }, ['--batch-size=10']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('connector_accounts: 10 rows scanned');
    expect(res.stdout).toContain('connector_accounts: 20 rows scanned');
    expect(res.stdout).toContain('done connector_accounts: 23 rows, 69 re-encrypted, 0 already current');
    expect(res.stdout).toContain('done business_profiles: 23 rows, 23 re-encrypted');
    expect(`${res.stdout}${res.stderr}`).not.toMatch(/secret-value|hash-key-value/);
    // 23 accounts × 3 secrets + 23 profiles, all readable with the new key alone, with the same plaintexts.
    expect(await readable(db, new SecretBox(newKey))).toBe(92);
  });

  it('is idempotent: a second run finds everything current', async () => {
    const res = await run({ MASTER_KEY: newKey, MASTER_KEY_PREVIOUS: oldKey });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('done connector_accounts: 23 rows, 0 re-encrypted, 69 already current');
  });

  it('names rows sealed with an unknown key and exits 1, leaving them untouched', async () => {
    const stranger = new SecretBox(key()).encrypt('{"api_key":"secret-value"}');
    await db.query(`UPDATE connector_accounts SET credentials_enc = $1 WHERE merchant_connector_id = 'mca_00005'`, [
      stranger,
    ]);
    const res = await run({ MASTER_KEY: newKey, MASTER_KEY_PREVIOUS: oldKey });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('mca_00005.credentials_enc');
    expect(res.stderr).not.toContain('secret-value');
    const [row] = (await db.query(
      `SELECT credentials_enc FROM connector_accounts WHERE merchant_connector_id = 'mca_00005'`,
    )) as Array<{
      credentials_enc: string;
    }>;
    expect(row.credentials_enc).toBe(stranger);
  });

  it('refuses to run without its inputs', async () => {
    expect((await run({})).code).toBe(2);
    expect((await run({ MASTER_KEY: newKey, MASTER_KEY_PREVIOUS: newKey })).code).toBe(2);
    expect((await run({ MASTER_KEY: newKey }, ['--force'])).stderr).toContain('unknown argument --force');
  });
});

async function seed(db: DataSource, box: SecretBox, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(5, '0');
    await db.query(`INSERT INTO merchants (merchant_id, publishable_key) VALUES ($1, $2)`, [`m_${n}`, `pk_snd_${n}`]);
    await db.query(
      `INSERT INTO business_profiles (profile_id, merchant_id, profile_name, payment_response_hash_key_enc) VALUES ($1, $2, 'default', $3)`,
      [`pro_${n}`, `m_${n}`, box.encrypt(`hash-key-value-${n}`)],
    );
    await db.query(
      `INSERT INTO connector_accounts (merchant_connector_id, merchant_id, profile_id, connector_name, connector_label, connector_type,
         mode, credentials_enc, webhook_secret_enc, previous_credentials_enc)
       VALUES ($1, $2, $3, 'generic', 'generic_default', 'payment_processor', 'test', $4, $5, $6)`,
      [
        `mca_${n}`,
        `m_${n}`,
        `pro_${n}`,
        box.encrypt(`{"api_key":"secret-value-${n}"}`),
        box.encrypt(`webhook-secret-value-${n}`),
        box.encrypt(`{"api_key":"old-secret-value-${n}"}`),
      ],
    );
  }
}

/** How many envelopes the box can open, checking each plaintext is the seeded one. */
async function readable(db: DataSource, box: SecretBox): Promise<number> {
  let ok = 0;
  const open = (sealed: string | null, expected: RegExp) => {
    if (!sealed) return;
    try {
      if (expected.test(box.decrypt(sealed))) ok += 1;
    } catch {
      // sealed with another key
    }
  };
  const accounts = (await db.query(
    'SELECT credentials_enc, webhook_secret_enc, previous_credentials_enc FROM connector_accounts',
  )) as Array<Record<string, string | null>>;
  for (const a of accounts) {
    open(a.credentials_enc, /^\{"api_key":"secret-value-\d{5}"\}$/);
    open(a.webhook_secret_enc, /^webhook-secret-value-\d{5}$/);
    open(a.previous_credentials_enc, /^\{"api_key":"old-secret-value-\d{5}"\}$/);
  }
  const profiles = (await db.query('SELECT payment_response_hash_key_enc FROM business_profiles')) as Array<
    Record<string, string>
  >;
  for (const p of profiles) open(p.payment_response_hash_key_enc, /^hash-key-value-\d{5}$/);
  return ok;
}
