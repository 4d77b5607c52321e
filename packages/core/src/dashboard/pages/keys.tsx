/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { PERMISSIONS } from '../../auth/api-key';
import type { ApiKeyView } from '../../services/api-keys';
import { Field, FieldError, type FormState, invalid, stateFor, ticked } from '../fields';
import { Csrf, Notice, Notices, Page, type PageContext, PostButton, Table, Time } from '../layout';
import type { Refusal } from '../refusal';

export interface KeysPageProps {
  ctx: PageContext;
  keys: ApiKeyView[];
  /** The key just created: shown this once. */
  created?: { key: string; record: ApiKeyView } | undefined;
  notice?: string | undefined;
  error?: Refusal | undefined;
  /** The create form as it was refused. */
  form?: FormState | undefined;
  /** Now, as an ISO instant: keys past their `expires_at` are shown expired. */
  now: string;
}

/** The account's keys: create one (shown once), revoke one, see when each was last used. */
export function KeysPage({ ctx, keys, created, notice, error, now, form: refused }: KeysPageProps) {
  const { t, fmt } = ctx;
  const action = `${ctx.root}/keys`;
  const form = stateFor(refused, action);
  const columns = [
    t('common.name'),
    t('keys.permissions'),
    t('common.created'),
    t('keys.lastUsed'),
    t('keys.expires'),
    t('keys.state'),
  ] as const;
  const permissions = ticked(
    form,
    'permissions',
    PERMISSIONS.filter((p) => p !== 'admin'),
  );
  return (
    <Page ctx={ctx} title={t('nav.keys')} current="/keys">
      <Notices error={error} notice={notice} />
      {created ? (
        <Notice kind="ok">
          <p style="margin-top:0">
            <strong>{t('keys.created', { name: created.record.name })}</strong> {t('keys.copyNow')}
          </p>
          <label for="new-key">{t('keys.newKey')}</label>
          <input type="text" id="new-key" class="mono" readonly value={created.key} />
          <p style="margin-bottom:0">
            <button type="button" data-copy="new-key" data-copied={t('common.copied')}>
              {t('keys.copyKey')}
            </button>
          </p>
        </Notice>
      ) : null}
      <Table columns={[...columns]} stack>
        {keys.map((k) => (
          <tr data-key={k.id}>
            <td data-label={columns[0]}>
              <span>
                {k.name} <code class="muted" title={t('keys.prefix')}>{`${k.prefix}…`}</code>
              </span>
            </td>
            <td data-label={columns[1]}>{k.permissions.join(', ')}</td>
            <td data-label={columns[2]} class="time">
              <Time ctx={ctx} at={k.created_at} />
            </td>
            <td data-label={columns[3]} class="time">
              <Time ctx={ctx} at={k.last_used_at} />
            </td>
            <td data-label={columns[4]} class="time">
              {k.expires_at ? <Time ctx={ctx} at={k.expires_at} /> : t('keys.never')}
            </td>
            <td data-label={columns[5]} class="time">
              {k.revoked_at ? (
                t('keys.revokedAt', { when: fmt.when(k.revoked_at) })
              ) : k.expires_at !== null && k.expires_at <= now ? (
                t('keys.expiredAt', { when: fmt.when(k.expires_at) })
              ) : (
                <PostButton
                  ctx={ctx}
                  action={`${ctx.root}/keys/${encodeURIComponent(k.id)}/revoke`}
                  label={t('keys.revoke')}
                  describedAs={t('keys.revokeNamed', { name: k.name })}
                  kind="danger"
                />
              )}
            </td>
          </tr>
        ))}
      </Table>
      <h2>{t('keys.create')}</h2>
      <section class="panel">
        <form method="post" action={action}>
          <Csrf ctx={ctx} />
          <Field
            form={form}
            name="name"
            id="key-name"
            label={t('common.name')}
            attributes={{ required: true, maxlength: 100, placeholder: t('keys.namePlaceholder') }}
          />
          <fieldset {...invalid(form, 'permissions', 'permissions')}>
            <legend>{t('keys.permissions')}</legend>
            {PERMISSIONS.map((p) => (
              <label>
                <input type="checkbox" name="permissions" value={p} checked={permissions.includes(p)} /> {p}
              </label>
            ))}
            <FieldError form={form} name="permissions" id="permissions" />
          </fieldset>
          <p>
            <button type="submit">{t('keys.createButton')}</button>
          </p>
        </form>
      </section>
    </Page>
  );
}
