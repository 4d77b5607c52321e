/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import { ok } from '../envelope';
import { wantsHtml } from '../negotiation';
import { securePage } from '../secure-page';

/** Where a newcomer goes next, as absolute paths; `dashboard` is null when the dashboard is off. */
export interface Landmarks {
  dashboard: string | null;
  documentation: string;
  openapi: string;
}

/** The landmarks of a gateway mounted at `base` (`/api/integration`, or `` at the root). */
export const landmarksUnder = (base: string, dashboard: boolean): Landmarks => ({
  dashboard: dashboard ? `${base}/dashboard/` : null,
  documentation: `${base}/documentation/`,
  openapi: `${base}/openapi.json`,
});

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:40rem;margin:0 auto;padding:2rem 1.25rem}
li{margin:.4rem 0}code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
a{color:#0b5cad}a:focus{outline:2px solid #0b5cad}
`;

const LandingPage: FC<{ landmarks: Landmarks; nonce: string }> = ({ landmarks, nonce }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>Mifumo SMS gateway</title>
      <style nonce={nonce}>{raw(STYLE)}</style>
    </head>
    <body>
      <main>
        <h1>Mifumo SMS gateway</h1>
        <p>This gateway answers its API under the paths below.</p>
        <ul>
          {landmarks.dashboard === null ? null : (
            <li>
              <a href={landmarks.dashboard}>Dashboard</a>: sign in with an admin API key
            </li>
          )}
          <li>
            <a href={landmarks.documentation}>API documentation</a>: every endpoint, field and error code,
            with curl examples
          </li>
          <li>
            <a href={landmarks.openapi}>OpenAPI document</a> (<code>openapi.json</code>, OpenAPI 3.1)
          </li>
        </ul>
      </main>
    </body>
  </html>
);

/**
 * What the root and the mount point answer instead of a bare 404: a browser gets a small page linking
 * the dashboard, the documentation and the OpenAPI document; any other client the same links in the
 * success envelope.
 */
export function landing(c: Context, landmarks: Landmarks) {
  if (wantsHtml(c)) {
    const nonce = securePage(c);
    return c.html(`<!doctype html>${LandingPage({ landmarks, nonce })}`);
  }
  return ok(c, `Mifumo SMS gateway: the API is documented at ${landmarks.documentation}`, landmarks);
}
