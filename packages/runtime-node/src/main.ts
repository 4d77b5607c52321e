import { setFlagsFromString } from 'node:v8';
import { startGateway } from './gateway';
import { readSettings, SettingsError } from './settings';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again (default: a factor of up to 4 when it can, which under 50 connections of sends let
 * ~30 MB of live objects take ~130 MB). Full collections mark concurrently, so they are cheap at this
 * size. Read by V8 at each collection, so setting it here works however the process was started; a
 * value given on the command line or in NODE_OPTIONS wins. The young generation can only be sized on
 * the command line (`npm start` passes --max-semi-space-size; docs/operations.md).
 */
const HEAP_GROWING_PERCENT = 30;

function limitHeapGrowth() {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) =>
    a.includes('--heap-growing-percent'),
  );
  if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** `npm start`: the gateway on the embedded default, configured by environment variables. */
async function main() {
  limitHeapGrowth();
  const settings = readSettings();
  const gateway = await startGateway(settings);
  const base = `${gateway.url}/api/integration`;
  console.log(`Mifumo SMS gateway listening on ${gateway.url} (database ${settings.databaseUrl})`);
  if (gateway.secretCreated)
    console.log(
      `Made the server secret in ${gateway.secretCreated} (it seals webhook keys; back it up with the database).`,
    );
  if (gateway.bootstrapped) {
    console.log(
      `Created account ${gateway.bootstrapped.account.id} with ${settings.initialBalance} ${settings.config.pricing.currency}.`,
    );
    console.log(`Admin API key: ${gateway.bootstrapped.key}`);
    console.log('Store this key now: it is not shown again. Try:');
    console.log(`  curl -H "Authorization: Bearer ${gateway.bootstrapped.key}" ${base}/v1/sms/balance/`);
    console.log(`or sign in with it at ${base}/dashboard/`);
  } else {
    console.log(
      'Using the existing API keys. Make another with: npm run mifumo -- keys create --account <id>',
    );
  }
  console.log(`Dashboard: ${base}/dashboard/ · API documentation: ${base}/documentation/`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof SettingsError ? e.message : e);
  process.exit(1);
});
