import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { consoleLogger, createMifumo, type Logger, migrateToLatest } from '@mifumo/core';
import { bootstrap } from './bootstrap';
import { nodeCarriers } from './carriers';
import { answerClientError } from './client-errors';
import { openDatabase } from './database';
import { startDispatchLoop } from './dispatch-loop';
import type { Settings } from './settings';

/** The whole standalone gateway: database, migrations, carriers, bootstrap, HTTP server and dispatcher. */
export async function startGateway(
  settings: Settings,
  options: { logger?: Logger; dispatchIntervalMs?: number } = {},
) {
  const log = options.logger ?? consoleLogger;
  const carriers = nodeCarriers(settings.config);
  const database = openDatabase(settings.databaseUrl);
  await migrateToLatest(database.db);
  let kick = () => {};
  const mifumo = createMifumo({
    storage: database,
    carriers,
    config: settings.config,
    logger: log,
    onQueued: () => kick(),
    clientAddress: (c) => getConnInfo(c).remote.address,
  });
  await mifumo.start();
  const bootstrapped = await bootstrap(mifumo.admin, settings);
  const loop = startDispatchLoop(mifumo, {
    intervalMs: options.dispatchIntervalMs ?? 1000,
    onError: (e) => log.error('dispatch failed', e),
  });
  kick = loop.kick;
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
    /** Stops taking requests, lets in-flight ones and the current dispatch finish, then closes everything. */
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        clearInterval(prune);
        await loop.stop();
        await mifumo.close();
        await database.close();
      })();
      return closing;
    },
  };
}
