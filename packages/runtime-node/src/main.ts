import { startGateway } from './gateway';
import { limitHeapGrowth } from './heap-growth';
import { readSettings, SettingsError } from './settings';

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
