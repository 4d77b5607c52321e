import type { CommandGroup } from './command';
import { graceSeconds, need, UsageError } from './values';

function webhookLines(
  account: string,
  v: {
    url: string | null;
    bearer_auth: boolean;
    signing_secret: string;
    previous_secret_valid_until: string | null;
  },
) {
  return [
    `${account}: webhook URL ${v.url ?? '(none: only sends with webhook_url)'}, Bearer ${v.bearer_auth ? 'on' : 'off'}`,
    `Signing secret: ${v.signing_secret}${v.previous_secret_valid_until ? ` (the previous one signs too until ${v.previous_secret_valid_until})` : ''}`,
  ];
}

/** `mifumo webhooks …`: an account's webhook URL, Bearer and signing secret. */
export const webhooks: CommandGroup = {
  async show(admin, { positionals: [account] }) {
    const view = await admin.webhookSettings().get(need(account, '<account_id>'));
    return { data: view, lines: webhookLines(account!, view) };
  },
  async set(admin, { positionals: [account], values }) {
    if (values.url === undefined && values.bearer === undefined) throw new UsageError('nothing to set');
    const bearer =
      values.bearer === undefined
        ? undefined
        : ({ on: true, off: false } as Record<string, boolean>)[values.bearer];
    if (values.bearer !== undefined && bearer === undefined) throw new UsageError('--bearer takes on or off');
    const change = {
      ...(values.url === undefined ? {} : { url: values.url === 'none' ? null : values.url }),
      ...(bearer === undefined ? {} : { bearer_auth: bearer }),
    };
    const view = await admin.webhookSettings().update(need(account, '<account_id>'), change);
    await admin.activity.record(account!, 'cli', 'webhook.updated', null, change);
    return { data: view, lines: webhookLines(account!, view) };
  },
  async rotate(admin, { positionals: [account], values }) {
    const grace = graceSeconds(values['grace-seconds'], 86_400);
    const view = await admin.webhookSettings().rotate(need(account, '<account_id>'), grace);
    await admin.activity.record(account!, 'cli', 'webhook.secret_rotated', null, {
      grace_period_seconds: grace,
    });
    return { data: view, lines: webhookLines(account!, view) };
  },
};
