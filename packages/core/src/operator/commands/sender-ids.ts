import type { MifumoConfig } from '../../config';
import type { OperatorAdmin } from '../../services/admin';
import type { CommandGroup } from './command';
import { need } from './values';

/**
 * The sender IDs an account may use: its own, then the configured gateway-wide ones (each once, marked
 * `(gateway-wide)`); the JSON keeps the two lists apart.
 */
async function senderIdsOf(admin: OperatorAdmin, account: string, config: MifumoConfig) {
  const own = await admin.listSenderIds(account);
  const gateway = config.senderIds;
  const shown = [
    ...own.filter((id) => !gateway.includes(id)),
    ...gateway.map((id) => `${id} (gateway-wide)`),
  ];
  return { data: { account_id: account, sender_ids: own, gateway_sender_ids: gateway }, shown };
}

/** `mifumo sender-ids …`: the sender IDs an account may use. */
export const senderIds: CommandGroup = {
  async add(admin, { positionals: [account, senderId] }, config) {
    await admin.addSenderId(need(account, '<account_id>'), need(senderId, '<sender_id>'));
    await admin.activity.record(account!, 'cli', 'sender_id.added', senderId!);
    const { data, shown } = await senderIdsOf(admin, account!, config);
    return { data, lines: [`${account} may send as: ${shown.join(', ')}`] };
  },
  async list(admin, { positionals: [account] }, config) {
    const { data, shown } = await senderIdsOf(admin, need(account, '<account_id>'), config);
    return { data, lines: shown };
  },
};
