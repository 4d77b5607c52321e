import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the server secret comes from: `MIFUMO_SECRET`, else a key file. */
export interface SecretSettings {
  value: string | undefined;
  file: string;
}

const FORM = /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/;
export const SECRET_FORM = '32 bytes as 64 hex digits or base64 (openssl rand -base64 32)';

/** Whether `text` has the form of a server secret. */
export const isSecret = (text: string) => FORM.test(text.trim());

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
    if (!isSecret(text)) throw new Error(`${path} does not hold a server secret (${SECRET_FORM})`);
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
