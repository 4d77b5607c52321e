import { parseArgs } from 'node:util';
import { createAdmin, GatewayError, migrateToLatest } from '@mifumo/core';
import { openDatabase } from '../database';
import { loadSecret } from '../secret';
import { readSettings, SettingsError } from '../settings';
import { commands, USAGE, UsageError } from './commands';
import { runSmscSim, SMSC_USAGE } from './smsc-sim';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 refused, 2 usage). */
export async function runCli(
  argv: string[],
  io: CliIo,
  stop: Promise<void> = new Promise(() => {}),
): Promise<number> {
  if (argv[0] === 'smsc-sim') {
    try {
      return await runSmscSim(argv.slice(1), io, stop);
    } catch (e) {
      if (!(e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw e;
      io.err(`${(e as Error).message}\n${SMSC_USAGE}`);
      return 2;
    }
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const [group, action, ...rest] = parsed.positionals;
  const command = group && action ? commands[group]?.[action] : undefined;
  if (!command || parsed.values.help) {
    (parsed.values.help ? io.out : io.err)(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const json = parsed.values.json === true;
  let database: ReturnType<typeof openDatabase> | null = null;
  try {
    const settings = readSettings(io.env);
    const { config } = settings;
    database = openDatabase(settings.databaseUrl);
    await migrateToLatest(database.db);
    const admin = createAdmin({
      storage: database,
      currency: config.pricing.currency,
      compliance: config.compliance,
      ...(group === 'webhooks'
        ? {
            webhooks: {
              secret: loadSecret(settings.secret).value,
              allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
            },
          }
        : {}),
    });
    const outcome = await command(admin, { positionals: rest, values: parsed.values }, config);
    if (json) io.out(JSON.stringify(outcome.data, null, 2));
    else for (const line of outcome.lines) io.out(line);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof GatewayError || e instanceof SettingsError) {
      if (json)
        io.out(
          JSON.stringify(e instanceof GatewayError ? e.toEnvelope() : { success: false, message: e.message }),
        );
      io.err(
        `error: ${e.message}${e instanceof GatewayError && e.details ? ` ${JSON.stringify(e.details)}` : ''}`,
      );
      return 1;
    }
    throw e;
  } finally {
    await database?.close();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      name: { type: 'string' },
      balance: { type: 'string' },
      account: { type: 'string' },
      permissions: { type: 'string' },
      'smart-encoding': { type: 'string' },
      'sms-per-minute': { type: 'string' },
      'api-calls-per-hour': { type: 'string' },
      'contact-ops-per-hour': { type: 'string' },
      url: { type: 'string' },
      bearer: { type: 'string' },
      'grace-seconds': { type: 'string' },
      'expires-at': { type: 'string' },
      class: { type: 'string' },
      until: { type: 'string' },
      'quiet-hours': { type: 'string' },
      'time-zone': { type: 'string' },
      footer: { type: 'string' },
      'opt-out-reply': { type: 'string' },
      'opt-in-reply': { type: 'string' },
      'help-reply': { type: 'string' },
      number: { type: 'string' },
      keyword: { type: 'string' },
      carrier: { type: 'string' },
      'webhook-url': { type: 'string' },
      unassigned: { type: 'boolean' },
    },
  });
}
