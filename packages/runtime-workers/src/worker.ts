import type {
  D1Database,
  ExecutionContext,
  MessageBatch,
  ScheduledController,
} from '@cloudflare/workers-types';
import type { CarrierDefinition } from '@mifumo/adapters';
import {
  bootstrap,
  type Clock,
  consoleLogger,
  createMifumo,
  GatewayError,
  type Logger,
  type Mifumo,
  type MifumoConfigInput,
  migrateToLatest,
} from '@mifumo/core';
import { WORKER_CARRIERS, workerCarriers } from './carriers';
import { d1Driver } from './d1';
import { type DispatchJob, readWorkerSettings, type WorkerEnv } from './env';
import { storedSecret } from './secret';

export interface WorkerOptions {
  /** The carrier types this Worker may build from its configuration (default: fake and the HTTP ones). */
  carriers?: readonly CarrierDefinition[];
  /** Configuration laid over `MIFUMO_CONFIG` (the same fields, validated the same way). */
  config?: MifumoConfigInput;
  /** The D1 binding's name (`DB`). */
  binding?: string;
  logger?: Logger;
  /** The gateway's time (the system clock by default). */
  clock?: Clock;
}

/** How many migrations are recorded as applied (none before the first has made its table). */
async function appliedMigrations(storage: ReturnType<typeof d1Driver>): Promise<number> {
  try {
    const row = await storage.db
      .selectFrom('mifumo_migrations' as never)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  } catch {
    return 0;
  }
}

/** A warning on `log` (wrangler shows it as one), or an error on a logger without `warn`. */
function warn(log: Logger, message: string, detail?: unknown) {
  if (log.warn) log.warn(message, detail);
  else log.error(message, detail);
}

/**
 * Applies the in-code migrations without transactions (D1 has none to offer Kysely). Another isolate
 * applying them at the same moment makes ours fail part-way (a table it just made); looking again
 * finds its work done. Tries go on as long as the migrations applied keep growing between them, so a
 * busy host only makes this take longer; eight failed tries in a row without progress give up.
 */
async function migrateD1(storage: ReturnType<typeof d1Driver>, log: Logger) {
  let applied = -1;
  for (let attempt = 1, stalled = 0; ; attempt++) {
    try {
      return await migrateToLatest(storage.db, { transactions: false });
    } catch (e) {
      const now = await appliedMigrations(storage);
      stalled = now > applied ? 0 : stalled + 1;
      applied = now;
      if (stalled >= 8) throw e;
      warn(log, `migration attempt ${attempt} failed (another isolate migrating?); retrying`, e);
      await new Promise((r) => setTimeout(r, 100 * Math.min(attempt, 8)));
    }
  }
}

/**
 * The Workers module object `{ fetch, scheduled, queue }` around one gateway per isolate: D1 through
 * Kysely (the binding resolved on every invocation), migrations applied once per isolate,
 * bootstrap from `MIFUMO_ADMIN_KEY`. A send that is due now is dispatched right after the response
 * (`waitUntil`), or through `MIFUMO_QUEUE` when bound; the cron trigger dispatches what is scheduled,
 * retried or left by a dead invocation, and delivers webhooks.
 */
export function createWorker(options: WorkerOptions = {}) {
  const binding = options.binding ?? 'DB';
  const log = options.logger ?? consoleLogger;
  /** The binding of the invocation running now; the isolate's Kysely instance reaches D1 through it. */
  let current: D1Database | null = null;
  const database = new Proxy({} as D1Database, {
    get(_target, property) {
      if (!current) throw new Error('No D1 binding: the gateway was used outside an invocation');
      const value = Reflect.get(current, property);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  /** Messages stored as due now since the last response: dispatched after it. */
  const due: string[] = [];
  let gateway: Promise<Mifumo> | null = null;

  async function start(env: WorkerEnv): Promise<Mifumo> {
    const settings = readWorkerSettings(env, binding, options.config);
    current = settings.database;
    const storage = d1Driver(database);
    await migrateD1(storage, log);
    const secret = settings.secret ?? (await storedSecret(storage.db));
    if (!settings.secret)
      warn(
        log,
        'MIFUMO_SECRET is not set: webhook keys are sealed with a secret kept in D1. Set one for production: openssl rand -base64 32 | npx wrangler secret put MIFUMO_SECRET',
      );
    const mifumo = createMifumo({
      secret,
      storage,
      carriers: workerCarriers(settings.config, options.carriers ?? WORKER_CARRIERS),
      config: settings.config,
      logger: log,
      ...(options.clock ? { clock: options.clock } : {}),
      onQueued: (messageId) => due.push(messageId),
      clientAddress: (c) => c.req.header('cf-connecting-ip'),
      ...(settings.operatorKey ? { operatorKey: settings.operatorKey } : {}),
    });
    await mifumo.start();
    if (settings.adminKey)
      await bootstrap(mifumo.admin, {
        adminKey: settings.adminKey,
        initialBalance: settings.initialBalance,
      }).catch((e) => {
        // Another isolate bootstrapped at the same moment and stored the key first: it exists, go on.
        if (!(e instanceof GatewayError && e.code === 'CONFLICT')) throw e;
      });
    return mifumo;
  }

  /** The isolate's gateway, made on its first invocation; a failed start is tried again on the next. */
  function gatewayFor(env: WorkerEnv): Promise<Mifumo> {
    const bound = env[binding] as D1Database | undefined;
    if (bound) current = bound;
    gateway ??= start(env).catch((e) => {
      gateway = null;
      throw e;
    });
    return gateway;
  }

  /** Dispatches (all that is due, or these messages), waits for the carriers' receipts, then sends webhooks. */
  async function work(mifumo: Mifumo, messageIds?: readonly string[]) {
    if (messageIds) for (const messageId of messageIds) await mifumo.dispatchDue({ messageId });
    else await mifumo.dispatchDue();
    await mifumo.settled();
    await mifumo.deliverWebhooksDue();
  }

  const misconfigured = (e: unknown) => {
    log.error('the gateway could not start', e);
    return new GatewayError(
      'INTERNAL_ERROR',
      'The gateway could not start: its configuration is wrong (see the Worker logs)',
    ).getResponse();
  };

  return {
    async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
      let mifumo: Mifumo;
      try {
        mifumo = await gatewayFor(env);
      } catch (e) {
        return misconfigured(e);
      }
      const response = await mifumo.fetch(request);
      const messageIds = due.splice(0);
      const queue = env.MIFUMO_QUEUE;
      if (messageIds.length && queue)
        ctx.waitUntil(queue.sendBatch(messageIds.map((messageId) => ({ body: { messageId } }))));
      else if (messageIds.length)
        ctx.waitUntil(work(mifumo, messageIds).catch((e) => log.error('dispatch failed', e)));
      else if (request.method === 'POST' && new URL(request.url).pathname.includes('/carriers/'))
        // A carrier's callback may have made webhook events.
        ctx.waitUntil(mifumo.deliverWebhooksDue().catch((e) => log.error('webhook delivery failed', e)));
      return response;
    },

    /** The cron trigger: everything due (scheduled, retries, dead invocations' claims), webhooks, rate-limit upkeep, retention. */
    async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
      const mifumo = await gatewayFor(env);
      ctx.waitUntil(
        (async () => {
          await work(mifumo);
          await mifumo.pruneRateLimits();
          await mifumo.pruneRetention();
        })().catch((e) => log.error('scheduled work failed', e)),
      );
    },

    /**
     * The queue consumer: each job names a message; its due recipients are claimed and submitted as on
     * any dispatch, so a job delivered twice finds nothing left to submit. A job that fails is retried.
     */
    async queue(batch: MessageBatch<DispatchJob>, env: WorkerEnv, _ctx: ExecutionContext): Promise<void> {
      const mifumo = await gatewayFor(env);
      for (const message of batch.messages) {
        try {
          await mifumo.dispatchDue({ messageId: message.body.messageId });
          message.ack();
        } catch (e) {
          log.error(`dispatch of ${message.body.messageId} failed`, e);
          message.retry();
        }
      }
      await mifumo.settled();
      await mifumo.deliverWebhooksDue();
    },
  };
}
