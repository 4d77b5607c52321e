/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Document, Notice } from '../layout';

/** The sign-in form: an admin API key, nothing else. */
export function SignInPage({
  action,
  nonce,
  error,
  notice,
}: {
  action: string;
  nonce: string;
  error?: string;
  notice?: string;
}) {
  return (
    <Document title="Sign in" nonce={nonce}>
      <main class="signin" id="main">
        <h1>Mifumo dashboard</h1>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        <form method="post" action={action}>
          <label for="api_key">Admin API key</label>
          <input type="password" id="api_key" name="api_key" autocomplete="off" required autofocus />
          <p class="muted">
            Any key with the admin permission. The first one is printed when the gateway starts; make more
            with <code>npm run mifumo -- keys create --account &lt;id&gt; --permissions admin</code>.
          </p>
          <button type="submit">Sign in</button>
        </form>
      </main>
    </Document>
  );
}
