/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sizeLimit } from '../../api/middleware/body-size';
import type { Services } from '../../api/services';
import { grants } from '../../auth/api-key';
import type { Principal } from '../../auth/principal';
import { GatewayError } from '../../errors';
import type { FormState } from '../fields';
import { forms, parseForm } from '../forms';
import { en } from '../i18n/en';
import { SignInPage } from '../pages/sign-in';
import type { Refusal } from '../refusal';
import * as dash from './context';

/** The sign-in form holds one key: a larger body is refused unread. */
const SIGN_IN_MAX_BYTES = 4096;

/** Signing in with an admin key, and out. */
export function signInRoutes(s: Services, { signedIn }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  const signInPage = (
    c: dash.Ctx,
    extra: { error?: Refusal; form?: FormState; notice?: string | undefined },
  ) => <SignInPage ctx={dash.pageContext(c)} {...extra} />;

  app.on('GET', dash.both('/dashboard/sign-in'), async (c) => {
    const token = getCookie(c, dash.COOKIE);
    if (token && (await s.dashboardSessions.find(token))) return c.redirect(`${dash.rootOf(c)}/`, 303);
    return dash.html(c, signInPage(c, { notice: dash.noticeOf(c, c.req.query('done')) }));
  });

  /** Counts a failed sign-in against its address; past the limit it is refused with 429 instead. */
  const signInFailed = (c: Context) => s.limiter.authFailure(s.clientAddress(c));

  /** The principal of the sign-in form's key. A malformed form fails the sign-in as a wrong key does. */
  async function signInPrincipal(c: dash.Ctx): Promise<Principal> {
    const hint = 'Paste an API key that has the admin permission';
    let why: GatewayError = new GatewayError('INVALID_CREDENTIALS', en['refusal.badKey'], { hint });
    try {
      const { api_key } = parseForm(forms.signIn, await c.req.parseBody());
      const principal = await s.auth.authenticate(api_key);
      if (principal) return principal;
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
      why = e;
    }
    await signInFailed(c);
    throw why;
  }

  app.on(
    'POST',
    dash.both('/dashboard/sign-in'),
    sizeLimit(SIGN_IN_MAX_BYTES, { counts: signInFailed }),
    async (c) => {
      dash.sameOrigin(c);
      try {
        const principal = await signInPrincipal(c);
        if (!grants(principal.permissions, 'admin'))
          throw new GatewayError('PERMISSION_DENIED', en['refusal.notAdmin'], {
            required: 'admin',
            granted: principal.permissions,
          });
        const { token, expiresAt } = await s.dashboardSessions.open(principal);
        setCookie(c, dash.COOKIE, token, {
          path: dash.rootOf(c),
          httpOnly: true,
          sameSite: 'Strict',
          secure: dash.isHttps(c),
          expires: new Date(expiresAt),
        });
        await s.activity.record(
          principal.accountId,
          `key:${principal.keyId}`,
          'dashboard.signed_in',
          principal.keyId,
        );
        return c.redirect(`${dash.rootOf(c)}/`, 303);
      } catch (e) {
        // The key typed is not shown again: only why it was refused, beside its field.
        return dash.refused(c, e, (error, form) => signInPage(c, { error, form }), {
          INVALID_CREDENTIALS: 'api_key',
          PERMISSION_DENIED: 'api_key',
        });
      }
    },
  );

  // Signing out is never refused for a spent limit.
  app.on('POST', dash.both('/dashboard/sign-out'), signedIn, async (c) => {
    const principal = dash.principalOf(c);
    await s.dashboardSessions.close(getCookie(c, dash.COOKIE)!);
    deleteCookie(c, dash.COOKIE, {
      path: dash.rootOf(c),
      httpOnly: true,
      sameSite: 'Strict',
      secure: dash.isHttps(c),
    });
    await s.activity.record(
      principal.accountId,
      `key:${principal.keyId}`,
      'dashboard.signed_out',
      principal.keyId,
    );
    return c.redirect(`${dash.rootOf(c)}/sign-in?done=signed-out`, 303);
  });

  // Showing the dashboard in another language: this session's choice, back on the page it was made on.
  app.on('POST', dash.both('/dashboard/language'), signedIn, async (c) => {
    const { language, next } = parseForm(forms.language, c.get('form'));
    await s.dashboardSessions.setLanguage(getCookie(c, dash.COOKIE)!, language);
    return c.redirect(dash.pathWithin(dash.rootOf(c), next), 303);
  });
  return app;
}
