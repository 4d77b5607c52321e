/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */

import { Field, type FormState, stateFor } from '../fields';
import { Document, Notices, type PageContext } from '../layout';
import type { Refusal } from '../refusal';

/** The sign-in form: an admin API key, nothing else. */
export function SignInPage({
  ctx,
  error,
  form: refused,
  notice,
}: {
  ctx: PageContext;
  error?: Refusal;
  form?: FormState;
  notice?: string;
}) {
  const { t } = ctx;
  const action = `${ctx.root}/sign-in`;
  // Only the reason comes back: a key typed is never written into the page.
  const form = { ...stateFor(refused, action), values: {} };
  return (
    <Document ctx={ctx} title={t('signIn.title')}>
      <main class="signin" id="main">
        <h1>{t('signIn.heading')}</h1>
        <Notices error={error} notice={notice} />
        <form method="post" action={action}>
          <Field
            form={form}
            name="api_key"
            id="api_key"
            label={t('signIn.key')}
            attributes={{ type: 'password', autocomplete: 'off', required: true, autofocus: true }}
          />
          <p class="muted">
            {t('signIn.help')}{' '}
            <code>npm run mifumo -- keys create --account &lt;id&gt; --permissions admin</code>
          </p>
          <button type="submit">{t('signIn.button')}</button>
        </form>
      </main>
    </Document>
  );
}
