import { readFileSync } from 'node:fs';
import {
  API_KEY_FORM,
  configSchema,
  describeConfigIssues,
  isApiKeyForm,
  isServerSecret,
  MAX_MAJOR,
  type MifumoConfig,
  SERVER_SECRET_FORM,
} from '@mifumo/core';
import type { LogFormat, LogLevel } from './logger';
import { defaultSecretFile, type SecretSettings } from './secret';

/** What `npm start` and the CLI read from the environment (DESIGN.md). */
export interface Settings {
  port: number;
  host: string;
  databaseUrl: string;
  adminKey: string | undefined;
  /** `MIFUMO_OPERATOR_KEY`: the operator's key for `mifumo --remote` (unset: operator commands off over HTTP). */
  operatorKey?: string | undefined;
  initialBalance: number;
  config: MifumoConfig;
  /** `MIFUMO_LOG_FORMAT` (pretty, json) and `MIFUMO_LOG_LEVEL` (error, warn, info: a line per request). */
  log: { format: LogFormat; level: LogLevel };
  /** The server secret (`MIFUMO_SECRET`) or the key file it is kept in. */
  secret: SecretSettings;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Reads and validates a `MIFUMO_CONFIG` file; errors name the file and each bad field. */
export function loadConfigFile(path: string | undefined): MifumoConfig {
  if (!path) return configSchema.parse({});
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SettingsError(`MIFUMO_CONFIG: cannot read ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SettingsError(`MIFUMO_CONFIG: ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success)
    throw new SettingsError(
      `MIFUMO_CONFIG: ${path} is invalid:\n  ${describeConfigIssues(parsed.error).join('\n  ')}`,
    );
  return parsed.data;
}

function number(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!check(n)) throw new SettingsError(`${name} must be a valid number, got ${JSON.stringify(raw)}`);
  return n;
}

function oneOf<const T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  values: readonly T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw))
    throw new SettingsError(`${name} must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const databaseUrl = env.DATABASE_URL || 'file:./data/mifumo.db';
  const secret = env.MIFUMO_SECRET || undefined;
  if (secret !== undefined && !isServerSecret(secret))
    throw new SettingsError(`MIFUMO_SECRET must be ${SERVER_SECRET_FORM}`);
  const adminKey = env.MIFUMO_ADMIN_KEY || undefined;
  if (adminKey !== undefined && !isApiKeyForm(adminKey))
    throw new SettingsError(`MIFUMO_ADMIN_KEY must be ${API_KEY_FORM} (or leave it unset to have one made)`);
  const operatorKey = env.MIFUMO_OPERATOR_KEY || undefined;
  if (operatorKey !== undefined && !isApiKeyForm(operatorKey))
    throw new SettingsError(`MIFUMO_OPERATOR_KEY must be ${API_KEY_FORM} (or leave it unset)`);
  return {
    port: number(env, 'PORT', 8001, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    adminKey,
    operatorKey,
    initialBalance: number(
      env,
      'MIFUMO_INITIAL_BALANCE',
      5000,
      (n) => Number.isFinite(n) && n >= 0 && n <= MAX_MAJOR,
    ),
    config: loadConfigFile(env.MIFUMO_CONFIG),
    secret: { value: secret, file: defaultSecretFile(env, databaseUrl) },
    log: {
      format: oneOf(env, 'MIFUMO_LOG_FORMAT', ['pretty', 'json'] as const, 'pretty'),
      level: oneOf(env, 'MIFUMO_LOG_LEVEL', ['error', 'warn', 'info'] as const, 'warn'),
    },
  };
}
