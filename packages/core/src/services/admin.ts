import { type Clock, systemClock } from '../clock';
import type { StorageDriver } from '../storage/driver';
import { createStore, type Store } from '../storage/store';
import { createAccounts } from './accounts';
import { createApiKeys } from './api-keys';
import { createSenderIds } from './sender-ids';

/** Accounts, API keys and sender IDs together: what the CLI, the bootstrap and `mifumo.admin` manage. */
export function adminOn(deps: { store: Store; clock: Clock; currency: string }) {
  return { ...createAccounts(deps), ...createApiKeys(deps), ...createSenderIds(deps) };
}

/** The admin operations straight on a database, without a gateway (the `mifumo` CLI). */
export function createAdmin(options: { storage: StorageDriver; clock?: Clock; currency: string }) {
  return adminOn({
    store: createStore(options.storage),
    clock: options.clock ?? systemClock,
    currency: options.currency,
  });
}

export type Admin = ReturnType<typeof adminOn>;
