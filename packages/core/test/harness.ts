import { afterAll, beforeAll } from 'vitest';
import {
  type CarrierAdapter,
  type Clock,
  consoleLogger,
  createFakeCarrier,
  createMifumo,
  type FakeCarrierOptions,
  type Logger,
  type MifumoConfigInput,
  migrateToLatest,
  type Permission,
} from '../src/index';
import { type FreshDatabase, openTestDatabase, type TestDatabase } from './databases';

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  json: any;
  headers: Headers;
}

/** The server secret of test gateways (webhooks' sealed keys and signing secrets). */
export const TEST_SECRET = 'dGVzdC1zZWNyZXQtdGVzdC1zZWNyZXQtdGVzdC0xMjM=';

/** A manual clock that tests move forward. */
export function manualClock(start = Date.UTC(2026, 0, 1, 8)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}

/** A whole gateway on in-memory SQLite with the fake carrier, one funded account and its admin key. */
export async function createTestGateway(
  options: {
    config?: MifumoConfigInput;
    balance?: number;
    carrier?: FakeCarrierOptions;
    /** Another adapter instead of the fake carrier, registered as `dev`. */
    adapter?: CarrierAdapter;
    /** Several adapters instead of the fake carrier, each under its own id (routes name them). */
    adapters?: CarrierAdapter[];
    clock?: Clock;
    /** The database; in-memory SQLite by default. Closed with the gateway. */
    storage?: TestDatabase;
    /** Retry jitter's randomness. */
    random?: () => number;
    /** Where the gateway logs; nothing by default (MIFUMO_TEST_LOG=1: the console). */
    logger?: Logger;
    /** The operator's key (operator commands over HTTP); off by default. */
    operatorKey?: string;
    /** Where `fetch` serves the API (createMifumo's `basePath`); `/api/integration` by default. */
    basePath?: string;
  } = {},
) {
  const database = options.storage ?? openTestDatabase();
  await migrateToLatest(database.db);
  const carrier = createFakeCarrier({ id: 'dev', deliveryDelayMs: 0, keepSent: true, ...options.carrier });
  const mifumo = createMifumo({
    secret: TEST_SECRET,
    storage: database,
    carriers: options.adapters ?? [options.adapter ?? carrier],
    config: {
      carriers: options.adapters?.map((a) => ({ id: a.id, type: a.type })) ?? [{ id: 'dev', type: 'fake' }],
      ...options.config,
      // Tests of other things send more than the seed's limits allow; the rate-limit tests set their own.
      limits: {
        smsPerMinute: 100_000,
        apiCallsPerHour: 1_000_000,
        contactOpsPerHour: 100_000,
        ...options.config?.limits,
      },
    },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.operatorKey ? { operatorKey: options.operatorKey } : {}),
    ...(options.basePath === undefined ? {} : { basePath: options.basePath }),
    logger: options.logger ?? (process.env.MIFUMO_TEST_LOG ? consoleLogger : { error: () => {} }),
  });
  await mifumo.start();

  async function newAccount(balance = options.balance ?? 5000, permissions: Permission[] = ['admin']) {
    const account = await mifumo.admin.createAccount({ name: 'Test', balance });
    const { key } = await mifumo.admin.createKey({ accountId: account.id, name: 'test', permissions });
    return { account, key };
  }
  const { account, key } = await newAccount();

  async function call(
    method: string,
    path: string,
    init: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    const k = init.key === undefined ? key : init.key;
    if (k !== null) headers.Authorization = `Bearer ${k}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await mifumo.app.request(path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
  }

  /** Runs the dispatcher and waits (up to 15 s) until every report for what it sent has landed. */
  async function dispatchAndSettle() {
    await mifumo.dispatchDue();
    await settle();
  }

  /** Waits until no recipient is left `sent` without its delivery report (15 s at most: CI runs loaded). */
  async function settle() {
    for (let waited = 0; waited < 15_000; waited += 5) {
      const row = await database.db
        .selectFrom('recipients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'sent')
        .executeTakeFirst();
      if (Number(row?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    const held = await database.db.selectFrom('held_reports').selectAll().execute();
    const waiting = await database.db
      .selectFrom('carrier_refs')
      .selectAll()
      .where('status', 'is', null)
      .execute();
    throw new Error(
      `delivery reports did not land within 15 s: held ${JSON.stringify(held)}, parts waiting ${JSON.stringify(waiting)}`,
    );
  }

  return {
    mifumo,
    database,
    carrier,
    account,
    key,
    call,
    newAccount,
    dispatchAndSettle,
    settle,
    async close() {
      await mifumo.close();
      await database.close();
    },
  };
}

export type TestGateway = Awaited<ReturnType<typeof createTestGateway>>;

/**
 * A gateway on a fresh database of `open` for the enclosing `describe`: made before its tests, closed
 * and the database dropped after them. Read it inside a test with the returned function.
 */
export function gatewayOn(
  open: () => Promise<FreshDatabase>,
  options: Omit<NonNullable<Parameters<typeof createTestGateway>[0]>, 'storage'> = {},
): () => TestGateway {
  let g: TestGateway | undefined;
  let drop = async () => {};
  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    g = await createTestGateway({ ...options, storage: db.storage });
  });
  afterAll(async () => {
    await g?.close();
    await drop();
  });
  return () => g!;
}
