/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { ActivityEntry } from '../../services/activity';
import { en, type MessageKey } from '../i18n/en';
import { FilterForm, Page, type PageContext, Pager, query, ShortId, Table, Time } from '../layout';

/** The actions the log names in words (`action.<action>` in the catalogue), in the catalogue's order. */
const ACTIONS = Object.keys(en)
  .filter((k) => k.startsWith('action.'))
  .map((k) => k.slice('action.'.length));

export interface ActivityPageProps {
  ctx: PageContext;
  entries: ActivityEntry[];
  pagination: { page: number; total: number; total_pages: number };
  action: string | undefined;
  /** The account's keys' names by id, to say which key did something. */
  keyNames: ReadonlyMap<string, string>;
  /** The account's currency: money moves are in it. */
  currency: string;
}

type Details = Record<string, unknown>;

/** A setting's new value in words: the default, yes/no, quiet hours as `22:00–06:00 Africa/Dar_es_Salaam`. */
function valueText({ t }: PageContext, v: unknown): string {
  if (v === null || v === undefined) return t('activity.default');
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'object') {
    const q = v as { start?: unknown; end?: unknown; timeZone?: unknown };
    return typeof q.start === 'string' && typeof q.end === 'string'
      ? `${q.start}–${q.end} ${String(q.timeZone ?? '')}`.trim()
      : JSON.stringify(v);
  }
  return String(v);
}

/** Changed settings as `Time zone: Africa/Nairobi, Language: sw`. */
const changes = (ctx: PageContext, details: Details) =>
  Object.entries(details)
    .map(([name, v]) => `${ctx.t.maybe(`setting.${name}`) ?? name}: ${valueText(ctx, v)}`)
    .join(', ');

/** Who did it: a key by its name, the CLI, the host application, or the gateway (a money move of its own). */
function actorText({ t }: PageContext, actor: string | null, names: ReadonlyMap<string, string>) {
  if (actor === null) return t('actor.gateway');
  if (actor === 'cli') return t('actor.cli');
  if (actor === 'in-process') return t('actor.inProcess');
  const keyId = actor.startsWith('key:') ? actor.slice(4) : null;
  return keyId === null ? actor : t('actor.key', { name: names.get(keyId) ?? keyId });
}

/** What an entry says happened, as a sentence of the catalogue with its values (ids shortened, money written). */
function Sentence({ ctx, entry, p }: { ctx: PageContext; entry: ActivityEntry; p: ActivityPageProps }) {
  const { t, fmt } = ctx;
  const d: Details = entry.details ?? {};
  const subject = entry.subject;
  const id = (href?: string) =>
    subject ? <ShortId ctx={ctx} id={subject} {...(href ? { href } : {})} /> : '—';
  const message = () => id(subject ? `${ctx.root}/messages/${encodeURIComponent(subject)}/` : undefined);
  const money = (v: unknown) => fmt.money(Math.abs(Number(v ?? 0)), p.currency);
  const count = (v: unknown) => Number(v ?? 0);
  /** The operators a decision named, or every operator (none named). */
  const operators = (v: unknown) => (Array.isArray(v) ? v.join(', ') : t('activity.everyOperator'));
  const keyName = () => String(d.name ?? (subject ? (p.keyNames.get(subject) ?? subject) : '—'));
  const params: Record<string, () => Record<string, Child | string | number>> = {
    'key.created': () => ({ name: keyName(), permissions: [d.permissions ?? []].flat().join(', ') }),
    'key.revoked': () => ({ name: keyName() }),
    'key.rotated': () => ({ name: keyName(), seconds: count(d.grace_period_seconds) }),
    'account.settings_changed': () => ({ changes: changes(ctx, d) }),
    'sender_id.added': () => ({ sender: subject ?? '—' }),
    'sender_id.requested': () => ({
      sender: subject ?? '—',
      use: t.maybe(`senderIds.use.${String(d.use)}`) ?? String(d.use ?? '—'),
    }),
    'sender_id.approved': () => ({ sender: subject ?? '—', operators: operators(d.operators) }),
    'sender_id.rejected': () => ({
      sender: subject ?? '—',
      operators: operators(d.operators),
      reason: String(d.reason ?? '—'),
    }),
    'number.added': () => ({ number: String(d.number ?? subject ?? '—') }),
    'number.removed': () => ({ number: String(d.number ?? subject ?? '—') }),
    'webhook.updated': () => ({ changes: changes(ctx, d) }),
    'webhook.secret_rotated': () => ({ seconds: count(d.grace_period_seconds) }),
    'webhook.resent': () => ({ delivery: id() }),
    'contacts.imported': () => ({
      received: count(d.received),
      created: count(d.created),
      updated: count(d.updated),
      skipped: count(d.skipped),
      failed: count(d.failed),
    }),
    'campaign.cancelled': () => ({
      campaign: id(),
      cancelled: count(d.cancelled),
      refunded: money(d.refunded),
    }),
    'compliance.settings_changed': () => ({ changes: changes(ctx, d) }),
    'compliance.paused': () => ({
      until: typeof d.until === 'string' ? fmt.when(d.until) : t('activity.untilResumed'),
    }),
    'sms.sent': () => ({ message: message(), amount: money(d.amount) }),
    'sms.refunded': () => ({ message: message(), amount: money(d.amount) }),
    'balance.topup': () => ({ amount: money(d.amount) }),
    'account.opened': () => ({ amount: money(d.amount) }),
  };
  const key = `did.${entry.action}`;
  const parts =
    key in en
      ? t.parts(key as MessageKey, params[entry.action]?.() ?? {})
      : t.parts('did.other', { action: <code>{entry.action}</code> });
  return <>{parts}</>;
}

/** The audit log in sentences: what was changed, by which key (or the CLI), and the money moves. */
export function ActivityPage(p: ActivityPageProps) {
  const { ctx, entries, pagination, action } = p;
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('nav.activity')} current="/activity">
      <FilterForm ctx={ctx} label={t('activity.filter')} button="filter">
        <div>
          <label for="action">{t('common.action')}</label>
          <select id="action" name="action">
            <option value="">{t('common.any')}</option>
            {ACTIONS.map((a) => (
              <option value={a} selected={action === a}>
                {t(`action.${a}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
      </FilterForm>
      {entries.length === 0 ? (
        <p class="muted">{t('activity.none')}</p>
      ) : (
        <div style="margin-top:.75rem">
          <Table columns={[t('common.when'), t('activity.what'), t('activity.by')]}>
            {entries.map((e) => (
              <tr data-action={e.action}>
                <td>
                  <Time ctx={ctx} at={e.created_at} />
                </td>
                <td class="wrap">
                  <Sentence ctx={ctx} entry={e} p={p} />
                </td>
                <td class="wrap">{actorText(ctx, e.actor, p.keyNames)}</td>
              </tr>
            ))}
          </Table>
        </div>
      )}
      <Pager ctx={ctx} of={pagination} href={(page) => query({ action, page })} />
    </Page>
  );
}
