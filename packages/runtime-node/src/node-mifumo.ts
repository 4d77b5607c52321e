import { getConnInfo } from '@hono/node-server/conninfo';
import {
  type CarrierView,
  type Clock,
  createMifumo,
  type Logger,
  type Mifumo,
  type MifumoConfig,
  type StorageDriver,
} from '@mifumo/core';
import { nodeBodyReader } from './body-reader';
import { nodeCarriers } from './carriers';
import { nodeWebhookTransport } from './webhook-transport';

/** What the API's instance and the work thread's both are made from (all of it can cross to a thread). */
export interface NodeMifumoSettings {
  secret: string;
  config: MifumoConfig;
  operatorKey?: string | undefined;
}

/** A Mifumo on Node: the configured carriers, webhooks POSTed with every address checked, client addresses from the socket. */
export function nodeMifumo(
  storage: StorageDriver,
  settings: NodeMifumoSettings,
  options: {
    logger: Logger;
    onQueued: () => void;
    clock?: Clock | undefined;
    carrierViews?: (() => Promise<CarrierView[]>) | undefined;
  },
): Mifumo {
  const { config } = settings;
  return createMifumo({
    secret: settings.secret,
    webhookTransport: nodeWebhookTransport({ allowPrivateNetworks: config.webhooks.allowPrivateNetworks }),
    storage,
    carriers: nodeCarriers(config),
    config,
    logger: options.logger,
    onQueued: options.onQueued,
    clientAddress: (c) => getConnInfo(c).remote.address,
    readBody: nodeBodyReader,
    ...(settings.operatorKey ? { operatorKey: settings.operatorKey } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.carrierViews ? { carrierViews: options.carrierViews } : {}),
  });
}
