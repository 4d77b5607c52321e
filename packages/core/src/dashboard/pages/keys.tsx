/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { PERMISSIONS } from '../../auth/api-key';
import type { ApiKeyView } from '../../services/api-keys';
import { Csrf, Notice, Page, type PageContext, PostButton, Table, when } from '../layout';

export interface KeysPageProps {
  ctx: PageContext;
  keys: ApiKeyView[];
  /** The key just created: shown this once. */
  created?: { key: string; record: ApiKeyView } | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  /** Now, as an ISO instant: keys past their `expires_at` are shown expired. */
  now: string;
}

/** The account's keys: create one (shown once), revoke one, see when each was last used. */
export function KeysPage({ ctx, keys, created, notice, error, now }: KeysPageProps) {
  return (
    <Page ctx={ctx} title="API keys" current="/keys">
      {error ? <Notice kind="error">{error}</Notice> : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      {created ? (
        <Notice kind="ok">
          <p style="margin-top:0">
            <strong>{`Key “${created.record.name}” created.`}</strong> Copy it now: it is not shown again.
          </p>
          <label for="new-key">New API key</label>
          <input type="text" id="new-key" class="mono" readonly value={created.key} />
          <p style="margin-bottom:0">
            <button type="button" data-copy="new-key">
              Copy key
            </button>
          </p>
        </Notice>
      ) : null}
      <Table columns={['Name', 'Key starts', 'Permissions', 'Created', 'Last used', 'Expires', 'State']}>
        {keys.map((k) => (
          <tr data-key={k.id}>
            <td>{k.name}</td>
            <td class="mono">{`${k.prefix}…`}</td>
            <td>{k.permissions.join(', ')}</td>
            <td>{when(k.created_at)}</td>
            <td>{when(k.last_used_at)}</td>
            <td>{k.expires_at ? when(k.expires_at) : 'never'}</td>
            <td>
              {k.revoked_at ? (
                `Revoked ${when(k.revoked_at)}`
              ) : k.expires_at !== null && k.expires_at <= now ? (
                `Expired ${when(k.expires_at)}`
              ) : (
                <PostButton
                  ctx={ctx}
                  action={`${ctx.root}/keys/${encodeURIComponent(k.id)}/revoke`}
                  label="Revoke"
                  describedAs={`Revoke ${k.name}`}
                  kind="danger"
                />
              )}
            </td>
          </tr>
        ))}
      </Table>
      <h2>Create a key</h2>
      <section class="panel">
        <form method="post" action={`${ctx.root}/keys`}>
          <Csrf ctx={ctx} />
          <label for="key-name">Name</label>
          <input
            type="text"
            id="key-name"
            name="name"
            required
            maxlength={100}
            placeholder="e.g. shop backend"
          />
          <fieldset>
            <legend>Permissions</legend>
            {PERMISSIONS.map((p) => (
              <label>
                <input type="checkbox" name="permissions" value={p} checked={p !== 'admin'} /> {p}
              </label>
            ))}
          </fieldset>
          <p>
            <button type="submit">Create key</button>
          </p>
        </form>
      </section>
    </Page>
  );
}
