/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Document, Notices, type PageContext } from '../layout';
import type { Refusal } from '../refusal';

/** The sign-in form: an admin API key, nothing else. */
export function SignInPage({ ctx, error, notice }: { ctx: PageContext; error?: Refusal; notice?: string }) {
  const { t } = ctx;
  return (
    <Document ctx={ctx} title={t('signIn.title')}>
      <main class="signin" id="main">
        <h1>{t('signIn.heading')}</h1>
        <Notices error={error} notice={notice} />
        <form method="post" action={`${ctx.root}/sign-in`}>
          <label for="api_key">{t('signIn.key')}</label>
          <input type="password" id="api_key" name="api_key" autocomplete="off" required autofocus />
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
