import { startGateway } from './gateway';
import { limitHeapGrowth } from './heap-growth';
import { nodeLogger } from './logger';
import { readSettings, SettingsError } from './settings';

/** `npm start`: the gateway on the embedded default, configured by environment variables. */
async function main() {
  limitHeapGrowth();
  const settings = readSettings();
  const logger = nodeLogger(settings.log);
  // What a person starting it reads: plain lines, or (json) lines a log collector parses too.
  const say =
    settings.log.format === 'json'
      ? (message: string) =>
          console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), message }))
      : (message: string) => console.log(message);
  const gateway = await startGateway(settings, { logger });
  const base = `${gateway.url}/api/integration`;
  say(`Mifumo SMS gateway listening on ${gateway.url} (database ${settings.databaseUrl})`);
  if (gateway.secretCreated)
    say(
      `Made the server secret in ${gateway.secretCreated} (it seals webhook keys; back it up with the database).`,
    );
  if (gateway.bootstrapped) {
    say(
      `Created account ${gateway.bootstrapped.account.id} with ${settings.initialBalance} ${settings.config.pricing.currency}.`,
    );
    say(`Admin API key: ${gateway.bootstrapped.key}`);
    say('Store this key now: it is not shown again. Try:');
    say(`  curl -H "Authorization: Bearer ${gateway.bootstrapped.key}" ${base}/v1/sms/balance/`);
    say(`or sign in with it at ${base}/dashboard/`);
  } else {
    say('Using the existing API keys. Make another with: npm run mifumo -- keys create --account <id>');
  }
  say(`Dashboard: ${base}/dashboard/ · API documentation: ${base}/documentation/`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      (e) => {
        logger.error('the gateway did not stop cleanly', e);
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
