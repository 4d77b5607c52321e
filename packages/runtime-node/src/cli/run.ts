import {
  commandOf,
  createAdmin,
  GatewayError,
  migrateToLatest,
  type Outcome,
  type Parsed,
  parseCommandLine,
  runCommand,
  UsageError,
} from '@mifumo/core';
import { openDatabase } from '../database';
import { loadSecret } from '../secret';
import { readSettings, SettingsError } from '../settings';
import { BACKUP_USAGE, runBackup, runRestore } from './backup';
import { RemoteError, runRemote } from './remote';
import { runSmscSim, SMSC_USAGE } from './smsc-sim';
import { USAGE } from './usage';

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
  if (argv[0] === 'backup' || argv[0] === 'restore') {
    if (argv[1] === '--help' || argv[1] === '-h') {
      io.out(BACKUP_USAGE);
      return 0;
    }
    try {
      return await (argv[0] === 'backup' ? runBackup : runRestore)(argv.slice(1), io);
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (e instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
        io.err(`${(e as Error).message}\n${BACKUP_USAGE}`);
        return 2;
      }
      // Any other failure (a file that cannot be written, a damaged one): one line, not a stack.
      io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  }
  let parsed: Parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (!commandOf(parsed.positionals) || parsed.values.help) {
    (parsed.values.help ? io.out : io.err)(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const json = parsed.values.json === true;
  try {
    const outcome =
      parsed.values.remote === undefined
        ? await runLocal(parsed, io.env)
        : await runRemote(parsed.values.remote, parsed, io.env.MIFUMO_OPERATOR_KEY);
    if (json) io.out(JSON.stringify(outcome.data, null, 2));
    else for (const line of outcome.lines) io.out(line);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof GatewayError || e instanceof SettingsError || e instanceof RemoteError) {
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
  }
}

/** Runs a command on the database of DATABASE_URL (migrated first), as the gateway there would. */
async function runLocal(parsed: Parsed, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const settings = readSettings(env);
  const { config } = settings;
  const database = openDatabase(settings.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const admin = createAdmin({
      storage: database,
      currency: config.pricing.currency,
      compliance: config.compliance,
      ...(parsed.positionals[0] === 'webhooks'
        ? {
            webhooks: {
              secret: loadSecret(settings.secret).value,
              allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
            },
          }
        : {}),
    });
    return await runCommand(admin, parsed, config);
  } finally {
    await database.close();
  }
}
