import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import {
  bootstrap,
  consoleLogger,
  createMifumo,
  type Logger,
  type Mifumo,
  migrateToLatest,
} from '@mifumo/core';
import { nodeCarriers } from './carriers';
import { answerClientError } from './client-errors';
import { openDatabase } from './database';
import { loadSecret } from './secret';
import type { Settings } from './settings';
import { nodeWebhookTransport } from './webhook-transport';
import { startWorkLoop } from './work-loop';

/** A running standalone gateway. */
export interface Gateway {
  mifumo: Mifumo;
  /** Where it listens, e.g. `http://127.0.0.1:8001`. */
  url: string;
  /** The account and key made on the first start (the key printed once), or null. */
  bootstrapped: Awaited<ReturnType<typeof bootstrap>>;
  /** The key file the server secret was just made in (first start), or null. */
  secretCreated: string | null;
  /** Stops taking requests, lets in-flight ones and the current dispatch finish, then closes everything. */
  close(): Promise<void>;
}

/**
 * The whole standalone gateway: database, migrations, carriers, bootstrap, HTTP server, dispatcher and
 * webhook delivery.
 */
export async function startGateway(
  settings: Settings,
  options: { logger?: Logger; dispatchIntervalMs?: number; webhookIntervalMs?: number } = {},
): Promise<Gateway> {
  const log = options.logger ?? consoleLogger;
  const carriers = nodeCarriers(settings.config);
  const secret = loadSecret(settings.secret);
  const database = openDatabase(settings.databaseUrl, {
    checkpointInBackground: { onError: (m) => log.error(`WAL checkpoint failed: ${m}`) },
  });
  await migrateToLatest(database.db);
  let kick = () => {};
  const mifumo = createMifumo({
    secret: secret.value,
    webhookTransport: nodeWebhookTransport({
      allowPrivateNetworks: settings.config.webhooks.allowPrivateNetworks,
    }),
    storage: database,
    carriers,
    config: settings.config,
    logger: log,
    onQueued: () => kick(),
    clientAddress: (c) => getConnInfo(c).remote.address,
  });
  await mifumo.start();
  const bootstrapped = await bootstrap(mifumo.admin, settings);
  const loop = startWorkLoop(() => mifumo.dispatchDue(), {
    intervalMs: options.dispatchIntervalMs ?? 1000,
    onError: (e) => log.error('dispatch failed', e),
  });
  kick = loop.kick;
  const webhookLoop = startWorkLoop(() => mifumo.deliverWebhooksDue(), {
    intervalMs: options.webhookIntervalMs ?? 250,
    onError: (e) => log.error('webhook delivery failed', e),
  });
  const prune = setInterval(
    () => mifumo.pruneRateLimits().catch((e) => log.error('rate-limit prune failed', e)),
    60_000,
  );
  prune.unref();

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: mifumo.fetch, port: settings.port, hostname: settings.host }, () => resolve(s));
    s.on('clientError', answerClientError);
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;

  let closing: Promise<void> | null = null;
  return {
    mifumo,
    url: `http://${settings.host}:${port}`,
    bootstrapped,
    secretCreated: secret.created,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        clearInterval(prune);
        await loop.stop();
        await webhookLoop.stop();
        await mifumo.close();
        await database.close();
      })();
      return closing;
    },
  };
}
