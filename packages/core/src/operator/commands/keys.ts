import type { CommandGroup } from './command';
import { graceSeconds, need } from './values';

const keyState = (k: { revoked_at: string | null; expires_at: string | null }) =>
  k.revoked_at ? 'revoked' : k.expires_at && k.expires_at <= new Date().toISOString() ? 'expired' : 'active';

/** `mifumo keys …`: create, list, rotate and revoke an account's API keys. */
export const keys: CommandGroup = {
  async create(admin, { values }) {
    const permissions = (values.permissions ?? 'read,write').split(',').map((p) => p.trim());
    const { key, record } = await admin.createKey({
      accountId: need(values.account, '--account'),
      name: values.name ?? 'cli',
      permissions,
      expiresAt: values['expires-at'] ?? null,
    });
    await admin.activity.record(record.account_id, 'cli', 'key.created', record.id, {
      name: record.name,
      permissions: record.permissions,
      expires_at: record.expires_at,
    });
    return {
      data: { ...record, key },
      lines: [
        `Created key ${record.id} (${record.permissions.join(',')}) for ${record.account_id}`,
        `API key: ${key}`,
      ],
    };
  },
  async list(admin, { values }) {
    const keys = await admin.listKeys(values.account);
    return {
      data: keys,
      lines: keys.map(
        (k) =>
          `${k.id}\t${k.prefix}…\t${k.permissions.join(',')}\t${keyState(k)}\t${k.account_id}\t${k.name}`,
      ),
    };
  },
  async rotate(admin, { positionals: [id], values }) {
    const grace = graceSeconds(values['grace-seconds'], 0);
    const { key, record, replaced } = await admin.rotateKey(need(id, '<key_id>'), {
      graceSeconds: grace,
      expiresAt: values['expires-at'],
    });
    await admin.activity.record(record.account_id, 'cli', 'key.rotated', record.id, {
      replaced: replaced.id,
      grace_period_seconds: grace,
      expires_at: record.expires_at,
    });
    return {
      data: { ...record, key, replaced },
      lines: [
        `Rotated ${replaced.id} into ${record.id}; the old key ${grace ? `works until ${replaced.expires_at}` : 'is revoked'}`,
        `API key: ${key}`,
      ],
    };
  },
  async revoke(admin, { positionals: [id] }) {
    const { key_hash: _, ...record } = await admin.revokeKey(need(id, '<key_id>'));
    await admin.activity.record(record.account_id, 'cli', 'key.revoked', record.id, { name: record.name });
    return { data: record, lines: [`Revoked ${record.id}`] };
  },
};
