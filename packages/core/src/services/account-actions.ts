import type { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import { canonicalTimeZone } from '../domain/time-zone';
import type { WebhookDeliveries } from '../webhooks/deliveries';
import type { WebhookSettings } from '../webhooks/settings';
import { type Activity, actorOf } from './activity';
import type { Admin } from './admin';
import type { Campaigns } from './campaigns/campaigns';
import { type Compliance, type ComplianceChange, complianceColumns } from './compliance';
import type { ContactImport, ImportSource, OnConflict } from './contact-import';
import { checkedPreferences, type PreferencesService } from './preferences';

/** What an account's settings page changes; a field left out is kept, null goes back to the default. */
export interface SettingsChange {
  language?: string | null;
  timeZone?: string | null;
  /** The webhook URL (null: none). */
  webhookUrl?: string | null;
  /** Quiet hours and the opt-out footer, as the compliance settings take them. */
  compliance?: Pick<ComplianceChange, 'quietHours' | 'optOutFooter'>;
}

/** The fields of `next` given with another value than in `now` (compared as JSON). */
function differing<T extends object>(next: T, now: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(next).filter(
      ([k, v]) =>
        v !== undefined && JSON.stringify(v) !== JSON.stringify((now as Record<string, unknown>)[k]),
    ),
  ) as Partial<T>;
}
const given = (o: object) => Object.keys(o).length > 0;

/**
 * The changes a key holder makes to an account, each recorded in its activity log: the one place the
 * API routes and the dashboard both call, so the two cannot record differently.
 */
export function createAccountActions(deps: {
  admin: Admin;
  auth: Authenticator;
  activity: Activity;
  webhooks: { settings: WebhookSettings; deliveries: WebhookDeliveries };
  contactImport: ContactImport;
  campaigns: Campaigns;
  preferences: PreferencesService;
  compliance: Compliance;
}) {
  const { admin, auth, activity, webhooks, contactImport, campaigns, preferences, compliance } = deps;
  return {
    async createKey(
      principal: Principal,
      input: { name: string; permissions: readonly string[]; expires_at?: string | null | undefined },
    ) {
      const created = await admin.createKey({
        accountId: principal.accountId,
        name: input.name,
        permissions: input.permissions,
        expiresAt: input.expires_at ?? null,
      });
      await activity.record(principal.accountId, actorOf(principal), 'key.created', created.record.id, {
        name: input.name,
        permissions: created.record.permissions,
        expires_at: created.record.expires_at,
      });
      return created;
    },

    /** Revokes a key of the principal's account (never its last admin key) and drops it from the cache at once. */
    async revokeKey(principal: Principal, keyId: string) {
      const { key_hash, ...record } = await admin.revokeKey(keyId, {
        accountId: principal.accountId,
        keepOneAdmin: true,
      });
      auth.forget(key_hash);
      await activity.record(principal.accountId, actorOf(principal), 'key.revoked', record.id, {
        name: record.name,
      });
      return record;
    },

    /**
     * A new key for an old one (same name and permissions); the old one ends now or after `graceSeconds`.
     * The new key expires at `expiresAt` (null: never), or without it keeps the old key's lifetime.
     */
    async rotateKey(
      principal: Principal,
      keyId: string,
      input: { graceSeconds: number; expiresAt?: string | null | undefined },
    ) {
      const { graceSeconds } = input;
      const { replacedHash, ...rotated } = await admin.rotateKey(keyId, {
        accountId: principal.accountId,
        graceSeconds,
        expiresAt: input.expiresAt,
      });
      if (graceSeconds === 0) auth.forget(replacedHash);
      await activity.record(principal.accountId, actorOf(principal), 'key.rotated', rotated.record.id, {
        replaced: keyId,
        grace_period_seconds: graceSeconds,
        expires_at: rotated.record.expires_at,
      });
      return rotated;
    },

    async updateWebhook(principal: Principal, change: { url?: string | null; bearer_auth?: boolean }) {
      const settings = await webhooks.settings.update(principal.accountId, change);
      await activity.record(principal.accountId, actorOf(principal), 'webhook.updated', null, change);
      return settings;
    },

    async rotateWebhookSecret(principal: Principal, graceSeconds: number) {
      const settings = await webhooks.settings.rotate(principal.accountId, graceSeconds);
      await activity.record(principal.accountId, actorOf(principal), 'webhook.secret_rotated', null, {
        grace_period_seconds: graceSeconds,
      });
      return settings;
    },

    async resendWebhook(principal: Principal, deliveryId: string) {
      const delivery = await webhooks.deliveries.resend(principal.accountId, deliveryId);
      await activity.record(principal.accountId, actorOf(principal), 'webhook.resent', delivery.id);
      return delivery;
    },

    /** Imports contacts (CSV text, or the text of a JSON array); the counts go to the log. */
    async importContacts(principal: Principal, source: ImportSource, onConflict: OnConflict) {
      const report =
        'csv' in source
          ? await contactImport.importCsv(principal.accountId, source.csv, onConflict)
          : await contactImport.importJson(principal.accountId, source.json, onConflict);
      const { errors: _, ...counts } = report;
      await activity.record(principal.accountId, actorOf(principal), 'contacts.imported', null, {
        ...counts,
        on_conflict: onConflict,
      });
      return report;
    },

    /**
     * Changes an account's language, time zone, webhook URL, quiet hours and opt-out footer. All is
     * checked before anything is stored (a refused change stores nothing); only what differs from
     * now is stored, each part recorded as its own services record it. Answers what changed.
     */
    async updateSettings(principal: Principal, change: SettingsChange) {
      const { accountId } = principal;
      const actor = actorOf(principal);
      const prefs = checkedPreferences({ language: change.language, timeZone: change.timeZone });
      webhooks.settings.check({ url: change.webhookUrl });
      const rules = { ...change.compliance };
      complianceColumns(rules);
      const quiet = rules.quietHours;
      if (quiet && quiet !== 'none')
        rules.quietHours = { ...quiet, timeZone: canonicalTimeZone(quiet.timeZone)! };

      const [prefsNow, hookNow, rulesNow] = await Promise.all([
        preferences.get(accountId),
        webhooks.settings.get(accountId),
        compliance.settings(accountId),
      ]);
      const own = (name: 'quietHours' | 'optOutFooter') => rulesNow.overrides.includes(name);
      const changed = {
        preferences: differing(prefs, prefsNow),
        webhook: differing({ url: change.webhookUrl }, { url: hookNow.url }),
        compliance: differing(rules, {
          quietHours: own('quietHours') ? (rulesNow.quietHours ?? 'none') : null,
          optOutFooter: own('optOutFooter') ? rulesNow.optOutFooter : null,
        }),
      };
      if (given(changed.preferences)) {
        await preferences.set(accountId, changed.preferences);
        await activity.record(accountId, actor, 'account.settings_changed', accountId, changed.preferences);
      }
      if (given(changed.webhook)) {
        await webhooks.settings.update(accountId, changed.webhook);
        await activity.record(accountId, actor, 'webhook.updated', null, changed.webhook);
      }
      if (given(changed.compliance)) {
        await compliance.setSettings(accountId, changed.compliance);
        await activity.record(accountId, actor, 'compliance.settings_changed', accountId, changed.compliance);
      }
      return changed;
    },

    /** Cancels what of a campaign no dispatcher has taken yet, refunding it; recorded with the refund. */
    async cancelCampaign(principal: Principal, campaignId: string) {
      const result = await campaigns.cancel(principal, campaignId);
      await activity.record(principal.accountId, actorOf(principal), 'campaign.cancelled', campaignId, {
        cancelled: result.cancelled_now,
        refunded: result.refunded_now,
      });
      return result;
    },
  };
}

export type AccountActions = ReturnType<typeof createAccountActions>;
