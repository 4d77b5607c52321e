import type { Selectable } from 'kysely';
import { type Clock, iso } from '../clock';
import { checkWebhookUrl } from '../domain/webhook-url';
import { GatewayError } from '../errors';
import { randomToken } from '../ids';
import type { WebhookSettingsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import type { Sealer } from './sealer';

/** What an admin sees of an account's webhook settings. */
export interface WebhookSettingsView {
  url: string | null;
  bearer_auth: boolean;
  signing_secret: string;
  /** Until then, requests are signed with the secret before the last rotation as well. */
  previous_secret_valid_until: string | null;
}

/** A change of webhook settings: a field left out is kept. */
export interface WebhookChange {
  /** The default URL; null: none. */
  url?: string | null;
  bearer_auth?: boolean;
}

export const newSigningSecret = () => `whsec_${randomToken(32)}`;
const secretContext = (accountId: string) => `webhook-signing:${accountId}`;

/** Longest grace period of a rotated signing secret: a week. */
export const MAX_GRACE_SECONDS = 7 * 86_400;

/**
 * An account's webhook settings: its default URL, whether events carry the sending key as Bearer, and
 * its signing secrets (sealed at rest). The row is made, with a first secret, when first needed.
 */
export function createWebhookSettings(deps: {
  store: Store;
  clock: Clock;
  sealer: Sealer;
  allowPrivateNetworks: boolean;
}) {
  const { store, clock, sealer } = deps;
  const { db } = store;

  async function row(accountId: string): Promise<Selectable<WebhookSettingsTable>> {
    const found = await db
      .selectFrom('webhook_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (found) return found;
    const at = iso(clock.now());
    const sealed = await sealer.seal(newSigningSecret(), secretContext(accountId));
    // Only where the account exists; a concurrent first use made the same row: keep theirs.
    await db
      .insertInto('webhook_settings')
      .columns(['account_id', 'signing_secret', 'created_at', 'updated_at'])
      .expression((eb) =>
        eb
          .selectFrom('accounts')
          .select([
            'id as account_id',
            eb.val(sealed).as('signing_secret'),
            eb.val(at).as('created_at'),
            eb.val(at).as('updated_at'),
          ])
          .where('id', '=', accountId),
      )
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    const made = await db
      .selectFrom('webhook_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!made) throw new GatewayError('NOT_FOUND', `No account ${accountId}`);
    return made;
  }

  async function open(sealed: string, accountId: string) {
    const plain = await sealer.open(sealed, secretContext(accountId));
    if (plain === null)
      throw new GatewayError(
        'INTERNAL_ERROR',
        `The webhook signing secret of ${accountId} does not open with this server secret (was MIFUMO_SECRET changed?)`,
      );
    return plain;
  }

  async function view(r: Selectable<WebhookSettingsTable>): Promise<WebhookSettingsView> {
    const graceLeft = r.previous_valid_until !== null && Date.parse(r.previous_valid_until) > clock.now();
    return {
      url: r.url,
      bearer_auth: Number(r.bearer_auth) === 1,
      signing_secret: await open(r.signing_secret, r.account_id),
      previous_secret_valid_until: graceLeft ? r.previous_valid_until : null,
    };
  }

  /** Refuses (VALIDATION_ERROR naming `url`) a change to a URL the gateway will not call. */
  function check(change: WebhookChange) {
    if (change.url != null) checkWebhookUrl(change.url, deps.allowPrivateNetworks, 'url');
  }

  return {
    get: async (accountId: string) => view(await row(accountId)),

    check,

    /** Sets the default URL (null: none) and/or the Bearer header; refuses a URL the gateway will not call. */
    async update(accountId: string, change: WebhookChange) {
      check(change);
      await row(accountId);
      const updated = await db
        .updateTable('webhook_settings')
        .set({
          ...(change.url === undefined ? {} : { url: change.url }),
          ...(change.bearer_auth === undefined ? {} : { bearer_auth: change.bearer_auth ? 1 : 0 }),
          updated_at: iso(clock.now()),
        })
        .where('account_id', '=', accountId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return view(updated);
    },

    /** A new signing secret; the current one keeps signing too for `graceSeconds`. */
    async rotate(accountId: string, graceSeconds: number) {
      const current = await row(accountId);
      const now = clock.now();
      const updated = await db
        .updateTable('webhook_settings')
        .set({
          signing_secret: await sealer.seal(newSigningSecret(), secretContext(accountId)),
          previous_signing_secret: graceSeconds > 0 ? current.signing_secret : null,
          previous_valid_until: graceSeconds > 0 ? iso(now + graceSeconds * 1000) : null,
          updated_at: iso(now),
        })
        .where('account_id', '=', accountId)
        // Guarded: of two rotations at once, the second fails instead of dropping the first's secret.
        .where('signing_secret', '=', current.signing_secret)
        .returningAll()
        .executeTakeFirst();
      if (!updated)
        throw new GatewayError('CONFLICT', 'The signing secret was rotated meanwhile; try again', {
          reason: 'secret_rotated',
        });
      return view(updated);
    },

    /** What a delivery needs: the target, Bearer on or off, and the secrets to sign with (current first). */
    async forDelivery(accountId: string) {
      const r = await row(accountId);
      const secrets = [await open(r.signing_secret, accountId)];
      if (
        r.previous_signing_secret &&
        r.previous_valid_until &&
        Date.parse(r.previous_valid_until) > clock.now()
      )
        secrets.push(await open(r.previous_signing_secret, accountId));
      return { url: r.url, bearerAuth: Number(r.bearer_auth) === 1, secrets };
    },
  };
}

export type WebhookSettings = ReturnType<typeof createWebhookSettings>;
