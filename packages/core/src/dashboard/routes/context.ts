import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { asksForJson, wantsHtml } from '../../api/negotiation';
import type { Services } from '../../api/services';
import { timingSafeEqual } from '../../auth/api-key';
import { DEFAULT_QUIET_HOURS } from '../../domain/quiet-hours';
import { GatewayError } from '../../errors';
import type { PageContext } from '../layout';
import type { DashboardSession } from '../sessions';

export const COOKIE = 'mifumo_session';

/** What a redirect after a change tells the next page (a fixed text per code: nothing from the URL is shown). */
export const NOTICES = {
  'key-revoked': 'Key revoked: it is refused from now on.',
  'webhook-saved': 'Webhook settings saved.',
  'secret-rotated': 'Signing secret rotated.',
  'delivery-resent': 'Delivery queued to be sent again.',
  'contact-added': 'Contact added.',
  'reply-sent': 'Reply sent.',
  'opted-out': 'Number opted out.',
  'already-opted-out': 'That number was already opted out.',
  'opted-in': 'Number opted in again.',
  'signed-out': 'Signed out.',
} as const;
export type NoticeCode = keyof typeof NOTICES;
export const noticeOf = (code: string | undefined) =>
  code !== undefined && code in NOTICES ? NOTICES[code as NoticeCode] : undefined;

export interface DashboardEnv {
  Variables: { session: DashboardSession; nonce: string; form: Record<string, unknown> };
}
export type Ctx = Context<DashboardEnv>;

/** The dashboard's first path segments (the overview's is empty). */
const SECTIONS = new Set([
  '',
  'messages',
  'keys',
  'webhooks',
  'inbox',
  'contacts',
  'opt-outs',
  'activity',
  'sign-in',
  'sign-out',
]);

/**
 * Where the dashboard is mounted (`/api/integration/dashboard` by default, wherever a host app put the
 * gateway): the path up to the first `dashboard` segment followed by one of its sections (on a path it
 * does not serve, up to the last `dashboard` segment).
 */
export function rootOf(c: Ctx): string {
  const parts = c.req.path.split('/');
  const at = parts.findIndex((p, i) => p === 'dashboard' && SECTIONS.has(parts[i + 1] ?? ''));
  return parts.slice(0, (at === -1 ? parts.lastIndexOf('dashboard') : at) + 1).join('/');
}

export const pageContext = (c: Ctx): PageContext => ({
  root: rootOf(c),
  csrf: c.get('session')?.csrf ?? '',
  nonce: c.get('nonce'),
});

export async function html(c: Ctx, page: Child, status: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 429 = 200) {
  return c.html(`<!doctype html>${await page}`, status);
}

/** A refusal's text for a page: the message, then the code. */
export const refusal = (e: GatewayError) => `${e.message} (${e.code})`;

/**
 * Renders a 4xx refusal on the page the form came from; anything else, and any refusal to a client
 * that asks for JSON, goes to the error handler.
 */
export async function refused(c: Ctx, e: unknown, page: (error: string) => Child | Promise<Child>) {
  if (!(e instanceof GatewayError) || e.status >= 500 || !wantsHtml(c)) throw e;
  return html(c, await page(refusal(e)), e.status as 400);
}

/** A dashboard path with and without its trailing slash. */
export const both = (path: string) => [path, `${path}/`];

export const isHttps = (c: Ctx) =>
  new URL(c.req.url).protocol === 'https:' ||
  c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';

/** A POST from another site is refused whatever it carries (on top of SameSite cookies and the form token). */
export function sameOrigin(c: Ctx) {
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  let from: string | null = null;
  try {
    from = new URL(origin).host;
  } catch {}
  if (from !== host) throw new GatewayError('PERMISSION_DENIED', 'This form was posted from another site');
}

export const principalOf = (c: Ctx) => c.get('session').principal;
export const accountOf = (c: Ctx) => principalOf(c).accountId;
/** The API key a change is logged with (none for the in-process principal). */
export const keyOf = (c: Ctx) => principalOf(c).keyId || undefined;

/** Back to a page after a change, with the notice saying it was done. */
export const back = (c: Ctx, path: string, done: NoticeCode) =>
  c.redirect(`${rootOf(c)}${path}?done=${done}`, 303);

/** A page's query without the notice code, which only picks a fixed text. */
export const listing = (c: Ctx) => {
  const { done, ...rest } = c.req.query();
  return { values: rest, notice: noticeOf(done) };
};

/** The middlewares of signed-in pages, and what pages read of the account, over the gateway's services. */
export function dashboardGuards(s: Services) {
  /** The request's session (a browser without one is sent to sign in), and its form's token checked. */
  const signedIn: MiddlewareHandler<DashboardEnv> = async (c, next) => {
    const token = getCookie(c, COOKIE);
    const session = token ? await s.dashboardSessions.find(token) : null;
    if (!session) {
      if ((c.req.method === 'GET' || c.req.method === 'HEAD') && !asksForJson(c))
        return c.redirect(`${rootOf(c)}/sign-in`, 303);
      const hint = `Sign in at ${rootOf(c)}/sign-in`;
      throw new GatewayError(
        'INVALID_CREDENTIALS',
        'Not signed in, or the session has ended: sign in again',
        {
          hint,
        },
      );
    }
    c.set('session', session);
    if (c.req.method === 'POST') {
      sameOrigin(c);
      const { _csrf, ...form } = await c.req.parseBody({ all: true });
      if (typeof _csrf !== 'string' || !timingSafeEqual(_csrf, session.csrf))
        throw new GatewayError(
          'PERMISSION_DENIED',
          'This form is out of date or was not made here: reload the page',
        );
      c.set('form', form);
    }
    await next();
  };
  /**
   * A page or form counts against the account's limits as its API counterpart does: each one API
   * call, and those on contacts a contact operation too. Past a limit it is refused with 429.
   */
  const apiCall: MiddlewareHandler<DashboardEnv> = async (c, next) => {
    const principal = principalOf(c);
    await s.limiter.apiCall(principal.accountId, principal.limits);
    await next();
  };
  const contactOp: MiddlewareHandler<DashboardEnv> = async (c, next) => {
    const principal = principalOf(c);
    await s.limiter.contactOp(principal.accountId, principal.limits);
    await next();
  };
  return {
    signedIn,
    counted: [signedIn, apiCall] as const,
    contactCounted: [signedIn, apiCall, contactOp] as const,
    /** The time zone the account's pages show times in: its quiet hours' (its own or the configuration's). */
    zoneOf: async (c: Ctx) =>
      (await s.compliance.settings(accountOf(c))).quietHours?.timeZone ??
      s.config.compliance.quietHours?.timeZone ??
      DEFAULT_QUIET_HOURS.timeZone,
  };
}

export type DashboardGuards = ReturnType<typeof dashboardGuards>;
