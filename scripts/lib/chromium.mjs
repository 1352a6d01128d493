// Debian's chromium for the dashboard's browser test (driven by playwright-core, which never downloads a browser).
// Installed with apt when missing and we are root, as redis-server is; anyone else is told how to install it, and the
// browser test then fails naming what is missing (it never skips).

import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { info, warn } from './output.mjs';
import { run } from './processes.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Path of Debian's chromium, or null. */
export function findChromium(candidates = CANDIDATES) {
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function hasAptGet() {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin']) {
    try {
      accessSync(path.join(dir, 'apt-get'), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/**
 * Returns chromium's path, installing the Debian package `chromium` first when it is missing and we are root.
 * Returns null (with a warning saying how to install it) when that cannot be done: the browser test reports it.
 */
export async function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  if (process.getuid?.() !== 0 || !hasAptGet()) {
    warn(
      'chromium is not installed and cannot be installed here (not root, or no apt-get): the dashboard browser ' +
        'test will fail. Install it with `sudo apt-get install -y chromium`.',
    );
    return null;
  }
  info('chromium is not installed: installing the Debian package `chromium` (apt-get update + install)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['update'], { env })) !== 0) {
    warn('`apt-get update` failed (see above): the dashboard browser test will fail.');
    return null;
  }
  if ((await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env })) !== 0) {
    warn('`apt-get install -y chromium` failed (see above): the dashboard browser test will fail.');
    return null;
  }
  return findChromium();
}
