import { createServer } from 'node:http';
import { getRequestListener, type ServerType } from '@hono/node-server';
import {
  bootstrap,
  type Clock,
  consoleLogger,
  type Logger,
  type Mifumo,
  migrateToLatest,
} from '@mifumo/core';
import { answerClientError, refusedRequest } from './client-errors';
import { openDatabase } from './database';
import { nodeMifumo } from './node-mifumo';
import { loadSecret } from './secret';
import type { Settings } from './settings';
import { databaseError, listenError } from './start-errors';
import { startWorkThread } from './start-work-thread';
import { runWork, type Work } from './work';

/** How long `close` waits for handlers still running after their clients left. */
const IN_FLIGHT_GRACE_MS = 30_000;

/** Counts the requests `fetch` is handling, so a shutdown can wait for them. */
function trackInFlight<A extends unknown[]>(fetch: (...args: A) => Response | Promise<Response>) {
  let running = 0;
  let idle: (() => void) | null = null;
  return {
    async fetch(...args: A): Promise<Response> {
      running++;
      try {
        return await fetch(...args);
      } finally {
        if (--running === 0) idle?.();
      }
    },
    /** Resolves when no request is being handled, or after `graceMs` at most. */
    settled(graceMs: number) {
      if (running === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}

/** A running standalone gateway. */
export interface Gateway {
  /** The API's instance (in process: `api`, `admin`, `webhooks`…). */
  mifumo: Mifumo;
  /** The background work (carriers, dispatch, receipts, webhooks), on its own thread unless `workThread: false`. */
  work: Work;
  /** Where it listens, e.g. `http://127.0.0.1:8001`. */
  url: string;
  /** The account and key made on the first start (the key printed once), or null. */
  bootstrapped: Awaited<ReturnType<typeof bootstrap>>;
  /** The key file the server secret was just made in (first start), or null. */
  secretCreated: string | null;
  /** Stops taking requests, lets in-flight ones and the current dispatch finish, then closes everything. */
  close(): Promise<void>;
}

/** Listens on `port` of `hostname`; resolves with the server once it does. */
function listen(fetch: (request: Request) => Promise<Response>, port: number, hostname: string) {
  return new Promise<ServerType>((resolve, reject) => {
    const s = createServer(
      getRequestListener(fetch, {
        hostname,
        // Only a request the adapter could not make lands here: the app answers everything else.
        errorHandler: async (e) => refusedRequest(e),
      }),
    );
    s.on('clientError', answerClientError);
    s.once('error', reject);
    s.listen(port, hostname, () => resolve(s));
  });
}

/**
 * The whole standalone gateway: database, migrations, carriers, bootstrap, HTTP server, dispatcher and
 * webhook delivery. A database it cannot open or a port it cannot listen on fails it with a
 * SettingsError naming the variable to change, having closed what it opened.
 */
export async function startGateway(
  // How it logs is the logger's (`options.logger`): `log` is what `main` makes one from.
  settings: Omit<Settings, 'log'>,
  options: {
    logger?: Logger;
    dispatchIntervalMs?: number;
    webhookIntervalMs?: number;
    /**
     * The gateway's time (tests move it over days); the system clock by default. A clock of its own
     * keeps the work in the API's thread, which can read it.
     */
    clock?: Clock;
    /**
     * Whether the work runs on a thread of its own (default), with its own connection to the database;
     * an in-memory SQLite database, which one connection alone sees, keeps it in the API's thread.
     */
    workThread?: boolean;
  } = {},
): Promise<Gateway> {
  const log = options.logger ?? consoleLogger;
  const secret = loadSecret(settings.secret);
  const threaded =
    (options.workThread ?? true) && !options.clock && !/^(file:)?:memory:$/.test(settings.databaseUrl);
  let database: ReturnType<typeof openDatabase>;
  try {
    // With a work thread, its connection checkpoints the WAL; this one's commits never do.
    database = openDatabase(settings.databaseUrl, {
      checkpoints: threaded ? 'elsewhere' : 'commits',
      onError: (what, e) => log.error(what, e),
    });
  } catch (e) {
    throw databaseError(e, settings.databaseUrl);
  }
  try {
    await migrateToLatest(database.db);
  } catch (e) {
    await database.close().catch(() => {});
    throw databaseError(e, settings.databaseUrl);
  }
  const shared = {
    secret: secret.value,
    config: settings.config,
    operatorKey: settings.operatorKey,
  };
  const timing = {
    dispatchIntervalMs: options.dispatchIntervalMs ?? 1000,
    webhookIntervalMs: options.webhookIntervalMs ?? 250,
  };
  let work: Work | null = null;
  const mifumo = nodeMifumo(database, shared, {
    logger: log,
    onQueued: () => work?.kick(),
    clock: options.clock,
    carrierViews: threaded ? async () => (await work?.carriers()) ?? [] : undefined,
  });
  try {
    work = threaded
      ? await startWorkThread(
          { databaseUrl: settings.databaseUrl, settings: shared, timing, reportIntervalMs: 250 },
          log,
        )
      : await runWork(mifumo, timing, log);
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
  const inFlight = trackInFlight(mifumo.fetch);
  // Listening before the first start's bootstrap, so a port that is taken cannot cost the admin key
  // made then (shown once, after a start that succeeded).
  let server: ServerType;
  try {
    server = await listen(inFlight.fetch, settings.port, settings.host);
  } catch (e) {
    await work.stop();
    await database.close();
    throw listenError(e, settings.host, settings.port);
  }
  const bootstrapped = await bootstrap(mifumo.admin, settings);
  const prune = setInterval(
    () => mifumo.pruneRateLimits().catch((e) => log.error('rate-limit prune failed', e)),
    60_000,
  );
  prune.unref();

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;

  const running = work;
  let closing: Promise<void> | null = null;
  return {
    mifumo,
    work: running,
    url: `http://${settings.host}:${port}`,
    bootstrapped,
    secretCreated: secret.created,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        // A client that hung up leaves its request's handler running: it finishes before the database closes.
        await inFlight.settled(IN_FLIGHT_GRACE_MS);
        clearInterval(prune);
        await running.stop();
        await database.close();
      })();
      return closing;
    },
  };
}
