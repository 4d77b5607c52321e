import type { Admin } from './admin';

/**
 * On a database with no API keys: a default account with the initial balance and an admin key
 * (the given one, or a new random one). Returns the key to show once, or null when keys exist. Both
 * runtimes run it at start (Node from its environment, Workers from its variables).
 */
export async function bootstrap(
  admin: Admin,
  options: { adminKey: string | undefined; initialBalance: number },
) {
  if ((await admin.countKeys()) > 0) return null;
  const account = await admin.createAccount({ name: 'Default', balance: options.initialBalance });
  const { key } = await admin.createKey({
    accountId: account.id,
    name: 'bootstrap admin',
    permissions: ['admin'],
    ...(options.adminKey ? { key: options.adminKey } : {}),
  });
  return { account, key };
}
