// Check 7: secrets in logs. Every file the run wrote (API, worker and sandbox stdout/stderr, and the LOG_FILE copies) is
// searched for every secret the run handled: API keys (secret and publishable), the admin key, MASTER_KEY,
// API_KEY_HASH_SECRET, the Postgres password, payments' client secrets, connector credentials, processor access tokens
// (listed by the sandbox's control routes) and hash keys; and for card numbers: Luhn-valid runs of 13–19 digits starting
// with 2–6 (card brands), except processor reference fields known to be digit strings and digits inside identifiers. The search uses `grep -F -f`
// (Aho-Corasick: thousands of secrets over the whole log in seconds); the secrets file lives outside the log folder and
// is deleted afterwards, and the results name kinds and places, never values.

import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { secretBook } from '../lib/setup.mjs';

/** Digit runs that are processor references or timestamps, by the field they are the value of. */
const REFERENCE_FIELD =
  /"(payment|gateway|created|time|updated|timestamp|trx_id|acquirer_reference|authorization|x_created)"\s*:\s*"?$/;

export function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card-number candidates in one line: `[{ digits, excluded }]`. */
export function cardCandidates(line) {
  const found = [];
  for (const match of line.matchAll(/[0-9]{13,}/g)) {
    const digits = match[0];
    if (digits.length > 19 || !/^[2-6]/.test(digits) || !luhnValid(digits)) continue;
    const before = line.slice(Math.max(0, match.index - 40), match.index);
    const after = line.slice(match.index + digits.length, match.index + digits.length + 1);
    const reference = REFERENCE_FIELD.test(before);
    // Digits inside an identifier (a hex token such as gpt_6667c07c2371298…, TRX… ids) are not a card number.
    const inToken = /[A-Za-z]$/.test(before) || /^[A-Za-z]/.test(after);
    found.push({
      digits,
      excluded: reference ? 'processor reference or timestamp field' : inToken ? 'inside an identifier' : null,
    });
  }
  return found;
}

const mask = (value) => (value.length <= 8 ? '***' : `${value.slice(0, 4)}…${value.slice(-2)} (${value.length} chars)`);

function logFiles(dir) {
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

/** `grep -F -o -n -f patterns` over the files: `[{ file, line, match }]`. */
function grepFixed(patterns, files, scratchDir) {
  const patternFile = path.join(scratchDir, 'secrets.patterns');
  writeFileSync(patternFile, `${patterns.join('\n')}\n`, { mode: 0o600 });
  try {
    const out = spawnSync('grep', ['-F', '-o', '-n', '-H', '-f', patternFile, ...files], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    if (out.status !== 0 && out.status !== 1) throw new Error(`grep failed: ${out.stderr}`);
    return out.stdout
      .split('\n')
      .filter(Boolean)
      .map((row) => {
        const [, file, line, match] = /^(.*?):(\d+):(.*)$/.exec(row) ?? [];
        return { file, line: Number(line), match };
      });
  } finally {
    rmSync(patternFile, { force: true });
  }
}

function grepCards(files) {
  const out = spawnSync('grep', ['-E', '-n', '-H', '[2-6][0-9]{12,18}', ...files], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (out.status !== 0 && out.status !== 1) throw new Error(`grep failed: ${out.stderr}`);
  const hits = [];
  for (const row of out.stdout.split('\n')) {
    const m = /^(.*?):(\d+):(.*)$/.exec(row);
    if (!m) continue;
    for (const candidate of cardCandidates(m[3])) hits.push({ file: m[1], line: Number(m[2]), ...candidate });
  }
  return hits;
}

/** `extra`: `{ kind, value }` collected before the apps stopped (access tokens, the apps' own secrets). */
export async function secretsCheck(stack, logDir, { extra = [], scratchDir }) {
  const files = logFiles(logDir);
  const lines = files.reduce(
    (n, f) => n + Number(spawnSync('wc', ['-l', f], { encoding: 'utf8' }).stdout.split(' ')[0]),
    0,
  );
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const secrets = [
    { kind: 'admin API key', value: stack.secrets.ADMIN_API_KEY },
    { kind: 'MASTER_KEY', value: stack.secrets.MASTER_KEY },
    { kind: 'API_KEY_HASH_SECRET', value: stack.secrets.API_KEY_HASH_SECRET },
    { kind: 'Postgres password', value: stack.secrets.PG_PASSWORD },
    ...secretBook,
    ...extra,
  ].filter((s) => typeof s.value === 'string' && s.value.length >= 8);
  const byValue = new Map(secrets.map((s) => [s.value, s.kind]));
  const found = grepFixed([...byValue.keys()], files, scratchDir).map((hit) => ({
    file: path.basename(hit.file),
    line: hit.line,
    kind: byValue.get(hit.match) ?? 'secret',
    value: mask(hit.match),
  }));
  const cards = grepCards(files);
  const cardHits = cards
    .filter((c) => !c.excluded)
    .map((c) => ({ ...c, file: path.basename(c.file), digits: mask(c.digits) }));
  const selfTest =
    cardCandidates('{"note":"4111111111111111"}').some((c) => !c.excluded) && !luhnValid('4111111111111112');
  const kinds = {};
  for (const s of secrets) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
  return {
    figures: [
      { name: `log lines scanned (${files.length} files)`, value: lines, mark: '> 0', pass: lines > 0 },
      {
        name: `secrets found (${secrets.length} searched)`,
        value: found.length,
        mark: '= 0',
        pass: found.length === 0,
      },
      {
        name: 'card numbers found (Luhn-valid 13–19 digits)',
        value: cardHits.length,
        mark: '= 0',
        pass: cardHits.length === 0 && selfTest,
      },
    ],
    details: {
      files: files.map((f) => path.basename(f)),
      bytes,
      searchedKinds: kinds,
      found: found.slice(0, 100),
      cards: cardHits.slice(0, 100),
      excludedDigitRuns: cards.filter((c) => c.excluded).length,
      scannerSelfTest: selfTest,
    },
  };
}
