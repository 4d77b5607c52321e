import type { CommandGroup } from './command';
import { amount, need, UsageError } from './values';

/** `mifumo accounts …`: create, list, set limits and smart encoding, top up. */
export const accounts: CommandGroup = {
  async create(admin, { values }) {
    const account = await admin.createAccount({
      name: need(values.name, '--name'),
      balance: values.balance === undefined ? 0 : amount(values.balance, '--balance'),
    });
    return {
      data: account,
      lines: [
        `Created account ${account.id} (${account.name}), balance ${account.balance} ${account.currency}`,
      ],
    };
  },
  async list(admin) {
    const accounts = await admin.listAccounts();
    return { data: accounts, lines: accounts.map((a) => `${a.id}\t${a.balance} ${a.currency}\t${a.name}`) };
  },
  async set(admin, { positionals: [id], values }) {
    const accountId = need(id, '<account_id>');
    const limit = (flag: 'sms-per-minute' | 'api-calls-per-hour' | 'contact-ops-per-hour') => {
      const v = values[flag];
      return v === undefined ? undefined : v === 'default' ? null : amount(v, `--${flag}`);
    };
    const limits = {
      smsPerMinute: limit('sms-per-minute'),
      apiCallsPerHour: limit('api-calls-per-hour'),
      contactOpsPerHour: limit('contact-ops-per-hour'),
    };
    const choice = values['smart-encoding'];
    if (choice === undefined && Object.values(limits).every((v) => v === undefined))
      throw new UsageError('nothing to set');
    let account = await admin.setLimits(accountId, limits);
    if (choice !== undefined) {
      const on = ({ on: true, off: false, default: null } as Record<string, boolean | null>)[choice];
      if (on === undefined) throw new UsageError('--smart-encoding takes on, off or default');
      account = await admin.setSmartEncoding(accountId, on);
    }
    await admin.activity.record(accountId, 'cli', 'account.settings_changed', accountId, {
      ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
      ...(choice === undefined ? {} : { smart_encoding: choice }),
    });
    return {
      data: account,
      lines: [
        `${account.id}: smart encoding ${account.smart_encoding ?? 'default'}, sms/minute ${account.sms_per_minute ?? 'default'}, api calls/hour ${account.api_calls_per_hour ?? 'default'}, contact ops/hour ${account.contact_ops_per_hour ?? 'default'}`,
      ],
    };
  },
  async topup(admin, { positionals: [id, value] }) {
    const account = await admin.topUp(need(id, '<account_id>'), amount(value, '<amount>'));
    return {
      data: account,
      lines: [`${account.id} balance is now ${account.balance} ${account.currency}`],
    };
  },
};
