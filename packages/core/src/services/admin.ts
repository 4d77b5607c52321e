import { type Clock, systemClock } from '../clock';
import { configSchema, type MifumoConfig } from '../config';
import type { StorageDriver } from '../storage/driver';
import { createStore, type Store } from '../storage/store';
import { createSealer } from '../webhooks/sealer';
import { createWebhookSettings, type WebhookSettings } from '../webhooks/settings';
import { createAccounts } from './accounts';
import { createActivity } from './activity';
import { createApiKeys } from './api-keys';
import { type Compliance, createCompliance } from './compliance';
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
 * What an operator manages (the `mifumo` commands, on a database or through a gateway): the admin
 * operations, the audit logs they record in, the compliance switches, and the accounts' webhook settings.
 */
export function operatorOn(deps: {
  store: Store;
  clock: Clock;
  currency: string;
  compliance: Compliance;
  /** The accounts' webhook settings; absent where the server secret is not at hand. */
  webhookSettings?: WebhookSettings;
}) {
  const { webhookSettings } = deps;
  return {
    ...adminOn(deps),
    /** The accounts' audit logs, for what an operator changes here. */
    activity: createActivity(deps),
    /** Quiet hours, opt-out texts and the pause switch of promotional messages. */
    compliance: deps.compliance,
    /** Each account's webhook settings (needs the server secret). */
    webhookSettings(): WebhookSettings {
      if (!webhookSettings) throw new Error('createAdmin needs webhooks.secret for webhook settings');
      return webhookSettings;
    },
  };
}

export type OperatorAdmin = ReturnType<typeof operatorOn>;

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
}): OperatorAdmin {
  const store = createStore(options.storage);
  const clock = options.clock ?? systemClock;
  const { webhooks } = options;
  return operatorOn({
    store,
    clock,
    currency: options.currency,
    compliance: createCompliance({
      store,
      clock,
      config: options.compliance ?? configSchema.parse({}).compliance,
    }),
    ...(webhooks
      ? {
          webhookSettings: createWebhookSettings({
            store,
            clock,
            sealer: createSealer(webhooks.secret),
            allowPrivateNetworks: webhooks.allowPrivateNetworks,
          }),
        }
      : {}),
  });
}

export type Admin = ReturnType<typeof adminOn>;
