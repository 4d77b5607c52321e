import { type Clock, systemClock } from '../clock';
import { configSchema, type MifumoConfig } from '../config';
import type { StorageDriver } from '../storage/driver';
import { createStore, type Store } from '../storage/store';
import { createSealer } from '../webhooks/sealer';
import { createWebhookSettings } from '../webhooks/settings';
import { createAccounts } from './accounts';
import { createActivity } from './activity';
import { createApiKeys } from './api-keys';
import { createCompliance } from './compliance';
import { createInboundAdmin } from './inbound-messages';
import { createNumbers } from './numbers';
import { createSenderIds } from './sender-ids';

/**
 * Accounts, API keys, sender IDs and inbound numbers together: what the CLI, the bootstrap and
 * `mifumo.admin` manage.
 */
export function adminOn(deps: { store: Store; clock: Clock; currency: string }) {
  return {
    ...createAccounts(deps),
    ...createApiKeys(deps),
    ...createSenderIds(deps),
    ...createNumbers(deps),
    ...createInboundAdmin(deps),
  };
}

/**
 * The admin operations straight on a database, without a gateway (the `mifumo` CLI). With the server
 * `secret`, also the accounts' webhook settings.
 */
export function createAdmin(options: {
  storage: StorageDriver;
  clock?: Clock;
  currency: string;
  webhooks?: { secret: string; allowPrivateNetworks: boolean };
  /** The configuration's `compliance` section (its defaults when not given). */
  compliance?: MifumoConfig['compliance'];
}) {
  const store = createStore(options.storage);
  const clock = options.clock ?? systemClock;
  const { webhooks } = options;
  return {
    ...adminOn({ store, clock, currency: options.currency }),
    /** The accounts' audit logs, for what an operator changes here. */
    activity: createActivity({ store, clock }),
    /** Quiet hours, opt-out texts and the pause switch of promotional messages. */
    compliance: createCompliance({
      store,
      clock,
      config: options.compliance ?? configSchema.parse({}).compliance,
    }),
    /** Each account's webhook settings (needs `webhooks` in the options). */
    webhookSettings() {
      if (!webhooks) throw new Error('createAdmin needs webhooks.secret for webhook settings');
      return createWebhookSettings({
        store,
        clock,
        sealer: createSealer(webhooks.secret),
        allowPrivateNetworks: webhooks.allowPrivateNetworks,
      });
    },
  };
}

export type Admin = ReturnType<typeof adminOn>;
