import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import { createApiApp, errorResponse, notFound } from './api/app';
import { clientAddressReader } from './api/client-address';
import type { BodyReader } from './api/middleware/body-size';
import { requestLog } from './api/middleware/request-log';
import { readinessOf } from './api/readiness';
import { healthRoutes } from './api/routes/health';
import { landing, landmarksUnder } from './api/routes/landing';
import {
  contactSchema,
  reportsQuery,
  searchQuery,
  segmentSchema,
  segmentsQuery,
  sendSchema,
} from './api/schemas';
import type { Services } from './api/services';
import { parseInput } from './api/validate';
import { API_KEY_FORM, isApiKeyForm } from './auth/api-key';
import { createAuthenticator } from './auth/authenticator';
import { loadPrincipal } from './auth/principal';
import type { CarrierAdapter } from './carriers/contract';
import { type Clock, systemClock } from './clock';
import { configSchema, describeConfigIssues, type MifumoConfigInput } from './config';
import { createDashboardSessions } from './dashboard/sessions';
import type { CarrierView } from './dispatch/carrier-states';
import { createDispatcher } from './dispatch/dispatcher';
import { createReports } from './dispatch/reports';
import { createTransitions } from './dispatch/transitions';
import { GatewayError } from './errors';
import { consoleLogger, type Logger } from './logger';
import { kyselyRateLimitStore } from './ratelimit/kysely-store';
import { createLimiter } from './ratelimit/limiter';
import { memoryRateLimitStore } from './ratelimit/memory-store';
import type { RateLimitStore } from './ratelimit/store';
import { createAccountActions } from './services/account-actions';
import { createAccountSenderIds } from './services/account-sender-ids';
import { createActivity } from './services/activity';
import { adminOn, operatorOn } from './services/admin';
import { createCallbacks } from './services/callbacks';
import { createAudiences } from './services/campaigns/audience';
import { createCampaigns } from './services/campaigns/campaigns';
import { createStaging } from './services/campaigns/staging';
import { createCompliance } from './services/compliance';
import { createConsent } from './services/consent';
import { createContactImport } from './services/contact-import';
import { createContacts } from './services/contacts';
import { createConversations } from './services/conversations';
import { createExports } from './services/exports';
import { createInbound } from './services/inbound';
import { createInboundQueries } from './services/inbound-messages';
import { createKeywords } from './services/keywords';
import { createMessageQueries } from './services/messages';
import { createPreferences } from './services/preferences';
import { createPrivacy } from './services/privacy';
import { createRetention } from './services/retention';
import { createSegments } from './services/segments';
import { createDrafter } from './services/send/draft';
import { createSender } from './services/send/send';
import type { SendInput } from './services/send/types';
import { senderIdRules } from './services/sender-id-views';
import { createUsage } from './services/usage';
import { createUsageReports } from './services/usage-report';
import { sha256Hex } from './sha256';
import type { StorageDriver } from './storage/driver';
import { migrationNames } from './storage/migrations';
import { createStore } from './storage/store';
import { createWebhookDeliveries } from './webhooks/deliveries';
import { createWebhookDelivery } from './webhooks/delivery';
import { createOutbox } from './webhooks/outbox';
import { createSealer } from './webhooks/sealer';
import { createWebhookSettings } from './webhooks/settings';
import { fetchTransport, type WebhookTransport } from './webhooks/transport';

export interface MifumoOptions {
  /** The database, from the runtime (`openDatabase` on Node, D1 on Workers); run `migrateToLatest` on its `db` first. */
  storage: StorageDriver;
  /** The carrier adapters, by their ids; routes refer to these ids. */
  carriers: CarrierAdapter[];
  config?: MifumoConfigInput;
  clock?: Clock;
  logger?: Logger;
  /** Where `fetch` serves the API; `app` itself is relative, for `host.route(prefix, app)`. */
  basePath?: string;
  /**
   * Called with the message's id when a send is due now, so the runtime can dispatch at once (Node
   * kicks its loop; Workers dispatch that message in `waitUntil` or through a Queue).
   */
  onQueued?: (messageId: string) => void;
  /** Rate-limit state; defaults to the database (`limits.store: "database"`) or this process's memory. */
  rateLimitStore?: RateLimitStore;
  /** The client's address, for the failed-authentication throttle (the runtime knows its sockets). */
  clientAddress?: (c: Context) => string | undefined;
  /**
   * The runtime's own way to read request bodies (Node reads its IncomingMessage directly, without a
   * web stream); default: the Fetch API's `Request`.
   */
  readBody?: BodyReader;
  /**
   * The server secret: 32 random bytes as 64 hex digits or base64 (`openssl rand -base64 32`). It
   * encrypts what webhooks need at rest (API keys for their Bearer header, signing secrets); keep it
   * with the database's backups, and the same on every process of one database.
   */
  secret: string;
  /**
   * How webhooks are POSTed; defaults to `fetch` with the URL checks (no redirects, a timeout, capped
   * bodies). The Node runtime passes one that also checks every address it connects to.
   */
  webhookTransport?: WebhookTransport;
  /** Randomness for retry jitter (tests make it fixed). */
  random?: () => number;
  /**
   * The operator's key, of the API keys' form: with it as Bearer, `POST {basePath}/operator/commands/`
   * runs the `mifumo` commands (accounts, keys, sender IDs, numbers, compliance…) on this gateway, as
   * `mifumo --remote` does. Unset: that endpoint answers 404.
   */
  operatorKey?: string;
  /**
   * Each carrier's state when the carriers run elsewhere (the Node runtime's work thread binds and
   * submits; this instance answers the API): what `GET /v1/carriers/` and the dashboard show. Default:
   * this instance's own carriers and dispatcher.
   */
  carrierViews?: () => Promise<CarrierView[]>;
}

/**
 * The gateway: a Hono `app` (mount it), a `fetch` handler (serve it), the same operations in process
 * (`api`, `admin`, `webhooks`), and the background work units the runtime schedules (`dispatchDue`,
 * `deliverWebhooksDue`, `start`, `close`).
 */
export function createMifumo(options: MifumoOptions) {
  const parsed = configSchema.safeParse(options.config ?? {});
  if (!parsed.success)
    throw new Error(`Invalid Mifumo configuration:\n${describeConfigIssues(parsed.error).join('\n')}`);
  const config = parsed.data;
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? consoleLogger;
  const store = createStore(options.storage);

  const carriers = new Map(options.carriers.map((c) => [c.id, c]));
  for (const route of config.routes)
    for (const id of route.carriers)
      if (!carriers.has(id))
        throw new Error(`Invalid Mifumo configuration: route names carrier ${id}, which has no adapter`);
  if (carriers.size === 0) throw new Error('Mifumo needs at least one carrier adapter');

  if (options.operatorKey !== undefined && !isApiKeyForm(options.operatorKey))
    throw new Error(`The operator key must be ${API_KEY_FORM}`);
  const sealer = createSealer(options.secret);
  const outbox = createOutbox(store, config.webhooks.retryForMs);
  const transitions = createTransitions(store, outbox);
  const consent = createConsent({ store, clock, config });
  const optedOutByCarrier = (accountId: string, phone: string, evidence: string) =>
    consent.optOut(accountId, phone, { source: 'carrier', evidence });
  const reports = createReports({
    store,
    transitions,
    clock,
    log,
    carrierIds: new Set(carriers.keys()),
    holdMs: config.dispatch.reportHoldMs,
    maxHeld: config.dispatch.maxHeldReports,
    optedOut: optedOutByCarrier,
  });
  const compliance = createCompliance({ store, clock, config: config.compliance });
  const dispatcher = createDispatcher({
    store,
    clock,
    config,
    carriers,
    transitions,
    reports,
    log,
    optedOut: optedOutByCarrier,
    suppressedPairs: consent.suppressedPairs,
    promotionalWindow: compliance.promotionalWindow,
  });
  const { store: limitStore, authFailuresPerMinute, ...defaultLimits } = config.limits;
  const principals = { limits: defaultLimits };
  const auth = createAuthenticator({
    store,
    clock,
    ttlMs: config.auth.cacheTtlMs,
    defaults: principals,
    sealer,
  });
  const limiter = createLimiter({
    store:
      options.rateLimitStore ??
      (limitStore === 'memory' ? memoryRateLimitStore() : kyselyRateLimitStore(store)),
    clock,
    authFailuresPerMinute,
  });
  const segments = createSegments({ store, clock });
  const inbound = createInbound({ store, clock, outbox, defaultRegion: config.defaultRegion });
  const webhooks = {
    settings: createWebhookSettings({
      store,
      clock,
      sealer,
      allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
    }),
    deliveries: createWebhookDeliveries({ store, clock, retryForMs: config.webhooks.retryForMs }),
  };
  const webhookDelivery = createWebhookDelivery({
    store,
    clock,
    config: config.webhooks,
    sealer,
    settings: webhooks.settings,
    transport:
      options.webhookTransport ??
      fetchTransport({ allowPrivateNetworks: config.webhooks.allowPrivateNetworks }),
    log,
    ...(options.random ? { random: options.random } : {}),
  });
  const admin = adminOn({ store, clock, currency: config.pricing.currency });
  const activity = createActivity({ store, clock });
  const drafter = createDrafter(config, carriers, {
    optedOut: consent.suppressed,
    promotionRules: async (accountId, dueAt) => ({
      footer: await compliance.footerFor(accountId, await admin.optOutRoute(accountId)),
      window: await compliance.promotionalWindow(accountId, dueAt),
    }),
    ownSenderIds: admin.ownSenderIds,
  });
  const contactImport = createContactImport({ store, clock, config });
  const staging = createStaging({ store, clock });
  const audiences = createAudiences({
    store,
    config,
    criteriaOf: segments.criteriaOf,
    optedOut: consent.suppressed,
  });
  const campaigns = createCampaigns({
    store,
    clock,
    currency: config.pricing.currency,
    draft: drafter,
    audience: audiences,
    staging,
    maxRecipients: config.campaigns.maxRecipients,
    outbox,
    onQueued: options.onQueued ?? (() => {}),
  });

  const sender = createSender({
    store,
    clock,
    currency: config.pricing.currency,
    draft: drafter,
    limiter,
    onQueued: options.onQueued ?? (() => {}),
  });
  /** The account acting in process (with every permission), and its balance. */
  async function principalOf(accountId: string) {
    const loaded = await loadPrincipal(store, principals, { accountId });
    if (!loaded) throw new GatewayError('NOT_FOUND', `No account ${accountId}`);
    return loaded;
  }
  const keywords = createKeywords({
    store,
    config,
    inbound,
    consent,
    compliance,
    sendAs: async (accountId, input, sendOptions) =>
      sender.send((await principalOf(accountId)).principal, input, sendOptions),
    log,
  });

  const preferences = createPreferences({ store, clock });
  const retention = createRetention({ store, clock, config: config.retention });
  const services: Services = {
    config,
    clock,
    auth,
    limiter,
    clientAddress: clientAddressReader(
      { header: config.auth.clientAddressHeader, trustedProxies: config.auth.trustedProxies },
      options.clientAddress,
    ),
    readBody: options.readBody,
    admin,
    sender,
    messages: createMessageQueries({ store }),
    inbound: createInboundQueries({ store, defaultRegion: config.defaultRegion }),
    conversations: createConversations({ store }),
    contacts: createContacts({ store, clock, config, criteriaOf: segments.criteriaOf }),
    segments,
    audiences,
    callbacks: createCallbacks({ carriers, reports, receive: keywords.receive }),
    carriers: options.carrierViews ?? dispatcher.carriers,
    webhooks,
    activity,
    actions: createAccountActions({
      admin,
      auth,
      activity,
      webhooks,
      contactImport,
      campaigns,
      preferences,
      compliance,
    }),
    dashboardSessions: createDashboardSessions({
      store,
      clock,
      ttlMs: config.dashboard.sessionTtlMs,
      defaults: principals,
    }),
    privacy: createPrivacy({ store, config }),
    usage: createUsage({ store, clock }),
    usageReports: createUsageReports({ store }),
    exports: createExports({ store, log }),
    contactImport,
    campaigns,
    consent,
    senderIds: createAccountSenderIds({ admin, activity, rules: senderIdRules(config) }),
    compliance,
    preferences,
    operator: {
      keyHash: options.operatorKey === undefined ? Promise.resolve(null) : sha256Hex(options.operatorKey),
      admin: operatorOn({
        store,
        clock,
        currency: config.pricing.currency,
        compliance,
        webhookSettings: webhooks.settings,
      }),
    },
  };

  const app = createApiApp(services, log);
  const root = new Hono();
  root.use(requestLog(log));
  const basePath = options.basePath ?? '/api/integration';
  const readiness = () => readinessOf(store.db, migrationNames(), services.carriers);
  // First: an API mounted at the root (`basePath: ''`) answers every other path itself.
  root.route('/', healthRoutes(readiness));
  root.route(basePath, app);
  // The server's root, when the API is mounted below it: where to go (as the mount point answers).
  const mountPoint = basePath.replace(/\/+$/, '');
  if (mountPoint !== '')
    root.get('/', (c) => landing(c, landmarksUnder(mountPoint, config.dashboard.enabled)));
  root.notFound(notFound);
  root.onError((err, c) => errorResponse(err, c, log));

  return {
    app,
    fetch: root.fetch,
    /**
     * What `GET /readyz` answers: whether the database answers and is migrated and a carrier can take
     * traffic (a host app that serves `app` under its own routes can poll this).
     */
    readiness,
    config,
    admin: services.admin,
    /** The HTTP operations, in process, for an account. */
    api: {
      send: async (accountId: string, input: SendInput) =>
        services.sender.send(
          (await principalOf(accountId)).principal,
          parseInput(sendSchema, input, 'message'),
        ),
      quote: async (accountId: string, input: SendInput) => {
        const { principal, balance } = await principalOf(accountId);
        return services.sender.quote(principal, parseInput(sendSchema, input, 'message'), balance);
      },
      status: (accountId: string, messageId: string) => services.messages.status(accountId, messageId),
      deliveryReports: async (accountId: string, filters: z.input<typeof reportsQuery>) =>
        services.messages.deliveryReports(accountId, parseInput(reportsQuery, filters, 'query')),
      contacts: {
        create: async (accountId: string, input: z.input<typeof contactSchema>) =>
          services.contacts.create(accountId, parseInput(contactSchema, input, 'contact')),
        search: async (accountId: string, query: z.input<typeof searchQuery>) =>
          services.contacts.search(accountId, parseInput(searchQuery, query, 'query')),
      },
      segments: {
        create: async (accountId: string, input: z.input<typeof segmentSchema>) =>
          segments.createSegment(accountId, parseInput(segmentSchema, input, 'segment')),
        get: segments.getSegment,
        list: async (accountId: string, page: z.input<typeof segmentsQuery> = {}) =>
          segments.listSegments(accountId, parseInput(segmentsQuery, page, 'query')),
      },
    },
    /** An account's webhook settings and deliveries, in process (the CLI, a host app's admin pages). */
    webhooks,
    /** Accounts' opt-outs and their log, in process (`optOut`, `optIn`, `suppressed`). */
    consent,
    /** The accounts' audit logs (`record` what an operator changes in process; `list` reads them). */
    activity: services.activity,
    /**
     * Quiet hours, opt-out texts and the pause switch of promotional messages: `promotionalWindow` says
     * when one may go, `footerFor` what it must end with.
     */
    compliance,
    /**
     * Submits everything due now (of one message, with `messageId`), and moves large campaigns' staged
     * recipients in (resuming any a stopped process left), in turns: a part of the move, then what is
     * due, until both are done; returns how many recipients were taken. The Node runtime runs it in
     * its loop, Workers from the scheduled handler and after a kick.
     */
    async dispatchDue(options: Parameters<typeof dispatcher.dispatchDue>[0] = {}) {
      let taken = 0;
      for (let preparing = true; preparing; ) {
        preparing = await staging.prepareDue();
        taken += await dispatcher.dispatchDue(options);
      }
      return taken;
    },
    /**
     * Delivers the webhook events that are due (new, retries, claims of dead workers); returns how many
     * attempts it made. The Node runtime runs it in its loop, Workers from the scheduled handler.
     */
    deliverWebhooksDue: webhookDelivery.deliverDue,
    /** Each carrier's circuit across the processes on the database: `open` while it is skipped after repeated failures. */
    circuits: dispatcher.circuits,
    /** Each carrier's state (bound, connecting, down, ready; breaker_open across the fleet), load and last error. */
    carriers: dispatcher.carriers,
    /** Forgets rate-limit keys whose quota is whole again (the runtime calls it now and then). */
    pruneRateLimits: limiter.prune,
    /**
     * Applies retention (`config.retention`): old message bodies and inbound texts redacted, finished
     * webhook events and expired dashboard sessions deleted, in small batches. The Node runtime's work
     * loop runs it every minute, Workers from the scheduled handler.
     */
    pruneRetention: retention.pruneDue,
    /**
     * Stores a message a subscriber sent through the carrier `carrierId` (a host app that receives a
     * carrier's messages itself): assigned to the account of its number and keyword, with its
     * `message.received` event, and its keyword (STOP, START, HELP…) acted on and answered, as a
     * carrier's own inbound messages are.
     */
    receive: keywords.receive,
    /** Applies a carrier's delivery report (HTTP callbacks; push carriers report through `start`). */
    handleReport: reports.handle,
    /** Resolves when every carrier's background work (receipts it reports later) is done. */
    async settled() {
      await Promise.all([...carriers.values()].map((c) => c.settled?.()));
    },
    /** Starts the carriers (binds, timers). */
    async start() {
      for (const carrier of carriers.values())
        await carrier.start?.({
          report: (r) =>
            reports.handle(carrier.id, r).catch((e) => {
              log.error(`delivery report from ${carrier.id} for ${r.carrierMessageId} failed`, e);
              throw e;
            }),
          awaitingReports: (next) => reports.awaiting(carrier.id, next),
          inbound: async (message) => (await keywords.receive(carrier.id, message)).outcome,
        });
    },
    /** Stops the carriers. The database is the caller's to close. */
    async close() {
      for (const carrier of carriers.values()) await carrier.stop?.();
    },
  };
}

export type Mifumo = ReturnType<typeof createMifumo>;
