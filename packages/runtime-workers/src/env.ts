import type { D1Database, Queue } from '@cloudflare/workers-types';
import {
  API_KEY_FORM,
  configSchema,
  describeConfigIssues,
  isApiKeyForm,
  MAX_MAJOR,
  type MifumoConfig,
  type MifumoConfigInput,
} from '@mifumo/core';

/** A message of the dispatch queue: which message to dispatch; the database stays the truth. */
export interface DispatchJob {
  messageId: string;
}

/** The bindings and variables the Worker reads (`wrangler.toml`, `wrangler secret put`). */
export interface WorkerEnv {
  /** The D1 database (binding name `DB` unless `createWorker({ binding })` says otherwise). */
  [binding: string]: unknown;
  /** When the database has no API keys yet: the first admin key. */
  MIFUMO_ADMIN_KEY?: string;
  /** The operator's key: `mifumo --remote <this Worker's URL> …` runs operator commands with it. */
  MIFUMO_OPERATOR_KEY?: string;
  /** The bootstrap account's balance in TZS (5000). */
  MIFUMO_INITIAL_BALANCE?: string;
  /** The configuration as JSON (as the Node runtime's config file). */
  MIFUMO_CONFIG?: string;
  /** The server secret (32 bytes, hex or base64) that seals what webhooks need. */
  MIFUMO_SECRET?: string;
  /** Optional: a Queue that fans dispatch out across invocations. */
  MIFUMO_QUEUE?: Queue<DispatchJob>;
}

/** Something the Worker's configuration gets wrong; the message names the variable and the field. */
export class WorkerConfigError extends Error {
  override name = 'WorkerConfigError';
}

export interface WorkerSettings {
  database: D1Database;
  config: MifumoConfig;
  adminKey: string | undefined;
  operatorKey: string | undefined;
  initialBalance: number;
  secret: string | undefined;
}

/** Reads the environment like the Node runtime reads its own: each problem named. */
export function readWorkerSettings(
  env: WorkerEnv,
  binding: string,
  overrides: MifumoConfigInput | undefined,
): WorkerSettings {
  const database = env[binding] as D1Database | undefined;
  if (!database || typeof (database as { prepare?: unknown }).prepare !== 'function')
    throw new WorkerConfigError(
      `No D1 binding ${binding}: add [[d1_databases]] binding = "${binding}" to wrangler.toml`,
    );
  let json: unknown = {};
  if (env.MIFUMO_CONFIG) {
    try {
      json = JSON.parse(env.MIFUMO_CONFIG);
    } catch (e) {
      throw new WorkerConfigError(`MIFUMO_CONFIG is not valid JSON: ${(e as Error).message}`);
    }
  }
  const parsed = configSchema.safeParse({ ...(json as object), ...overrides });
  if (!parsed.success)
    throw new WorkerConfigError(
      `MIFUMO_CONFIG is invalid:\n  ${describeConfigIssues(parsed.error).join('\n  ')}`,
    );
  const balance =
    env.MIFUMO_INITIAL_BALANCE === undefined || env.MIFUMO_INITIAL_BALANCE === ''
      ? 5000
      : Number(env.MIFUMO_INITIAL_BALANCE);
  if (!Number.isFinite(balance) || balance < 0 || balance > MAX_MAJOR)
    throw new WorkerConfigError(
      `MIFUMO_INITIAL_BALANCE must be a valid number, got ${JSON.stringify(env.MIFUMO_INITIAL_BALANCE)}`,
    );
  const adminKey = env.MIFUMO_ADMIN_KEY || undefined;
  if (adminKey !== undefined && !isApiKeyForm(adminKey))
    throw new WorkerConfigError(`MIFUMO_ADMIN_KEY must be ${API_KEY_FORM}`);
  const operatorKey = env.MIFUMO_OPERATOR_KEY || undefined;
  if (operatorKey !== undefined && !isApiKeyForm(operatorKey))
    throw new WorkerConfigError(`MIFUMO_OPERATOR_KEY must be ${API_KEY_FORM}`);
  return {
    database,
    config: parsed.data,
    adminKey,
    operatorKey,
    initialBalance: balance,
    secret: env.MIFUMO_SECRET || undefined,
  };
}
