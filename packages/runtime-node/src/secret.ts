import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isServerSecret, SERVER_SECRET_FORM } from '@mifumo/core';

/** Where the server secret comes from: `MIFUMO_SECRET`, else a key file. */
export interface SecretSettings {
  value: string | undefined;
  file: string;
}

/**
 * The key file when `MIFUMO_SECRET` is not set: `MIFUMO_SECRET_FILE`, else `mifumo.secret` beside the
 * SQLite database, else (PostgreSQL) `./data/mifumo.secret`.
 */
export function defaultSecretFile(env: NodeJS.ProcessEnv, databaseUrl: string): string {
  if (env.MIFUMO_SECRET_FILE) return env.MIFUMO_SECRET_FILE;
  if (databaseUrl.startsWith('file:') && databaseUrl !== 'file::memory:')
    return join(dirname(databaseUrl.slice('file:'.length)), 'mifumo.secret');
  return join('data', 'mifumo.secret');
}

/**
 * The server secret that seals what webhooks need: the given one, else the key file's, made with 32
 * random bytes and mode 0600 on first start (`created`). Every process of one database must share it.
 */
export function loadSecret(settings: SecretSettings): { value: string; created: string | null } {
  if (settings.value !== undefined) return { value: settings.value.trim(), created: null };
  const path = settings.file;
  const read = () => {
    const text = readFileSync(path, 'utf8').trim();
    if (!isServerSecret(text))
      throw new Error(`${path} does not hold a server secret (${SERVER_SECRET_FORM})`);
    return text;
  };
  try {
    return { value: read(), created: null };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(path), { recursive: true });
  const value = randomBytes(32).toString('base64');
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // Another process made it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { value: read(), created: null };
    throw e;
  }
  return { value, created: path };
}
