import type { MifumoConfig } from '../../config';
import type { CommandGroup } from './command';
import { need } from './values';

/** `mifumo numbers …`: the inbound numbers (and keywords) that belong to accounts. */
export const numbers: CommandGroup = {
  async add(admin, { values }, config) {
    const added = await admin.addNumber(
      {
        accountId: need(values.account, '--account'),
        number: need(values.number, '--number'),
        keyword: values.keyword,
        carrierId: values.carrier,
        webhookUrl: values['webhook-url'],
      },
      numberRules(config),
    );
    await admin.activity.record(added.account_id, 'cli', 'number.added', added.id, {
      number: added.number,
      keyword: added.keyword,
      carrier_id: added.carrier_id,
      webhook_url: added.webhook_url,
    });
    return { data: added, lines: [`Added ${numberLine(added)}`] };
  },
  async list(admin, { values }) {
    const numbers = await admin.listNumbers(values.account);
    return { data: numbers, lines: numbers.map(numberLine) };
  },
  async remove(admin, { positionals: [number], values }, config) {
    const removed = await admin.removeNumber(need(number, '<number>'), values.keyword, config.defaultRegion);
    await admin.activity.record(removed.account_id, 'cli', 'number.removed', removed.id, {
      number: removed.number,
      keyword: removed.keyword,
    });
    return { data: removed, lines: [`Removed ${numberLine(removed)}`] };
  },
};

/** `mifumo inbound list`: the newest inbound messages, assigned or not. */
export const inbound: CommandGroup = {
  async list(admin, { values }) {
    const messages = await admin.listInbound({ accountId: values.account, unassigned: values.unassigned });
    return {
      data: messages,
      lines: messages.map(
        (m) =>
          `${m.received_at}\t${m.id}\t${m.from} -> ${m.to}\t${m.account_id ?? '(unassigned)'}\t${JSON.stringify(m.text)}`,
      ),
    };
  },
};

/** What `numbers add` checks a number against: the configuration's region, carriers and webhook rules. */
const numberRules = (config: MifumoConfig) => ({
  defaultRegion: config.defaultRegion,
  carrierIds: config.carriers.map((c) => c.id),
  allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
});

const numberLine = (n: {
  id: string;
  number: string;
  keyword: string | null;
  carrier_id: string | null;
  webhook_url: string | null;
  account_id: string;
}) =>
  `${n.id}\t${n.number}\t${n.keyword ?? '(no keyword)'}\t${n.account_id}\t${n.carrier_id ?? 'any carrier'}\t${n.webhook_url ?? '(account webhook)'}`;
