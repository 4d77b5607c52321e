import type { MifumoConfig } from '../../config';
import type { OperatorAdmin } from '../../services/admin';
import { knownOperators, type SenderIdView, senderIdRules } from '../../services/sender-id-views';
import type { SenderIdDecision } from '../../services/sender-ids';
import type { Parsed } from '../command-line';
import type { Command, CommandGroup } from './command';
import { badValue, need, UsageError } from './values';

/** Longest reason a rejection keeps, in characters. */
const MAX_REASON_LENGTH = 500;

/** A sender ID on one line: its name, its status, and each operator's decision (with a rejection's reason). */
function senderIdLine(v: SenderIdView): string {
  if (v.gateway_wide) return `${v.sender_id} (gateway-wide)\t${v.status}`;
  const operators = v.operators.map(
    (o) => `${o.operator} ${o.status}${o.reason === null ? '' : ` (${o.reason})`}`,
  );
  return `${v.sender_id}\t${v.status}\t${operators.join(', ')}`;
}

/**
 * The sender IDs an account may use: its own by name, then the configured gateway-wide ones (each
 * once, marked `(gateway-wide)`); the JSON keeps the two lists of names apart, and `states` shows each
 * one with every operator's decision.
 */
async function senderIdsOf(admin: OperatorAdmin, account: string, config: MifumoConfig) {
  const { sender_ids: states } = await admin.listSenderIds(account, senderIdRules(config));
  const own = states.filter((s) => !s.gateway_wide);
  return {
    data: {
      account_id: account,
      sender_ids: own.map((s) => s.sender_id),
      gateway_sender_ids: config.senderIds,
      states,
    },
    states,
  };
}

/** `--operators a,b`: the operators named (null: not given, every operator). */
function operatorsOf(values: Parsed['values']): string[] | null {
  if (values.operators === undefined) return null;
  const named = values.operators
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (named.length === 0) throw new UsageError('--operators must name at least one operator (a,b)');
  return named;
}

/** `approve` or `reject`: the decision, for the operators named or every one, recorded in the activity log. */
function decide(status: SenderIdDecision['status']): Command {
  return async (admin, { positionals: [name], values }, config) => {
    const senderId = need(name, '<sender_id>');
    const accountId = need(values.account, '--account');
    let reason: string | null = null;
    if (status === 'approved' && values.reason !== undefined) throw new UsageError('--reason is for reject');
    if (status === 'rejected') {
      reason = need(values.reason?.trim(), '--reason "…"');
      if (reason.length > MAX_REASON_LENGTH)
        throw badValue('--reason', `must be at most ${MAX_REASON_LENGTH} characters`);
    }
    const rules = senderIdRules(config);
    const given = operatorsOf(values);
    const operators = given && knownOperators(given, rules);
    const decided = await admin.decideSenderId(accountId, senderId, { status, reason, operators }, rules);
    await admin.activity.record(accountId, 'cli', `sender_id.${status}`, senderId, { operators, reason });
    return {
      data: decided,
      lines: [
        `${senderId} of ${accountId}: ${status} for ${operators?.join(', ') ?? 'every operator'}`,
        senderIdLine(decided),
      ],
    };
  };
}

/** `mifumo sender-ids …`: the sender IDs an account may use, and each operator's decision on them. */
export const senderIds: CommandGroup = {
  async add(admin, { positionals: [account, senderId] }, config) {
    await admin.addSenderId(need(account, '<account_id>'), need(senderId, '<sender_id>'));
    await admin.activity.record(account!, 'cli', 'sender_id.added', senderId!);
    const { data, states } = await senderIdsOf(admin, account!, config);
    const shown = states.map((s) =>
      s.gateway_wide
        ? `${s.sender_id} (gateway-wide)`
        : s.status === 'approved'
          ? s.sender_id
          : `${s.sender_id} (${s.status})`,
    );
    return { data, lines: [`${account} may send as: ${shown.join(', ')}`] };
  },
  async list(admin, { positionals: [account] }, config) {
    const { data, states } = await senderIdsOf(admin, need(account, '<account_id>'), config);
    return { data, lines: states.map(senderIdLine) };
  },
  approve: decide('approved'),
  reject: decide('rejected'),
};
