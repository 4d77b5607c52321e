import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { asksForJson, wantsHtml } from '../../api/negotiation';
import type { Services } from '../../api/services';
import { timingSafeEqual } from '../../auth/api-key';
import { DEFAULT_LANGUAGE, type Language, preferredLanguage } from '../../domain/language';
import { DEFAULT_QUIET_HOURS } from '../../domain/quiet-hours';
import { type ErrorCode, GatewayError } from '../../errors';
import { randomToken } from '../../ids';
import type { FormState } from '../fields';
import { en } from '../i18n/en';
import { formatsFor } from '../i18n/format';
import { translator } from '../i18n/translate';
import { NAV, type PageContext } from '../layout';
import { type Refusal, refusalOf } from '../refusal';
import type { DashboardSession } from '../sessions';

export const COOKIE = 'mifumo_session';

/** What a redirect after a change tells the next page (a fixed text per code: nothing from the URL is shown). */
export const NOTICES = [
  'key-revoked',
  'webhook-saved',
  'secret-rotated',
  'delivery-resent',
  'contact-added',
  'reply-sent',
  'opted-out',
  'already-opted-out',
  'opted-in',
  'signed-out',
  'settings-saved',
  'settings-unchanged',
  'message-sent',
  'message-scheduled',
  'sender-id-requested',
  'campaign-created',
  'campaign-cancelled',
  'segment-created',
  'segment-saved',
  'segment-deleted',
] as const;
export type NoticeCode = (typeof NOTICES)[number];
const isNotice = (code: string | undefined): code is NoticeCode =>
  (NOTICES as readonly (string | undefined)[]).includes(code);

/** What a page is shown in: the language, and the time zone of its times. */
export interface View {
  lang: Language;
  zone: string;
}

export interface DashboardEnv {
  Variables: { session: DashboardSession; nonce: string; form: Record<string, unknown>; view: View };
}
export type Ctx = Context<DashboardEnv>;

/** The dashboard's first path segments: each page's in the navigation (the overview's is empty), and the session's. */
const SECTIONS = new Set([...NAV.map((n) => n.path.slice(1)), 'sign-in', 'sign-out', 'language']);

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

/** Before a session is found: the language the browser prefers, times in the gateway's quiet-hours zone. */
export const defaultView = (c: Context, zone: string): View => ({
  lang: preferredLanguage(c.req.header('accept-language')) ?? DEFAULT_LANGUAGE,
  zone,
});

/** What a page of this request is rendered with. */
export function pageContext(c: Ctx): PageContext {
  const { lang, zone } = c.get('view') ?? { lang: DEFAULT_LANGUAGE, zone: DEFAULT_QUIET_HOURS.timeZone };
  const fmt = formatsFor(lang, zone);
  return {
    root: rootOf(c),
    csrf: c.get('session')?.csrf ?? '',
    nonce: c.get('nonce') ?? randomToken(22),
    path: c.req.path,
    t: translator(lang, fmt.number),
    fmt,
  };
}

export async function html(c: Ctx, page: Child, status: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 429 = 200) {
  return c.html(`<!doctype html>${await page}`, status);
}

/**
 * Renders a 4xx refusal on the page the form came from; anything else, and any refusal to a client
 * that asks for JSON, goes to the error handler.
 */
export async function refused(
  c: Ctx,
  e: unknown,
  page: (error: Refusal, form: FormState) => Child | Promise<Child>,
  /** The field a refusal names by its code alone (an INVALID_PHONE: the number field). */
  fieldOf: Partial<Record<ErrorCode, string>> = {},
) {
  if (!(e instanceof GatewayError) || e.status >= 500 || !wantsHtml(c)) throw e;
  const error = refusalOf(e, pageContext(c).t);
  const field = fieldOf[e.code as ErrorCode];
  const errors = field === undefined ? error.fields : { [field]: error.message, ...error.fields };
  return html(c, await page(error, { ...typedForm(c), errors }), e.status as 400);
}

/** The posted form as it was typed, to show again (a preview's). */
export const typedForm = (c: Ctx): FormState => ({
  action: c.req.path,
  values: c.get('form') ?? {},
  errors: {},
});

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
  if (from !== host) throw new GatewayError('PERMISSION_DENIED', en['refusal.otherSite']);
}

export const principalOf = (c: Ctx) => c.get('session').principal;
export const accountOf = (c: Ctx) => principalOf(c).accountId;
/** The API key a change is logged with (none for the in-process principal). */
export const keyOf = (c: Ctx) => principalOf(c).keyId || undefined;

/**
 * `path` when it is a plain path of the dashboard at `root` (where to go back to: no other site, no
 * `..`), else the overview.
 */
export const pathWithin = (root: string, path: string) =>
  (path === root || path.startsWith(`${root}/`)) &&
  /^\/[\w\-.~%/+:@]*$/.test(path) &&
  !/\/\/|\/\.\.?(\/|$)/.test(path)
    ? path
    : `${root}/`;

/** Back to a page after a change, with the notice saying it was done. */
export const back = (c: Ctx, path: string, done: NoticeCode) =>
  c.redirect(`${rootOf(c)}${path}?done=${done}`, 303);

/** The notice a page's `done` code picks, in the page's language. */
export const noticeOf = (c: Ctx, done: string | undefined) =>
  isNotice(done) ? pageContext(c).t(`notice.${done}`) : undefined;

/** A page's query without the notice code, which only picks a fixed text. */
export const listing = (c: Ctx) => {
  const { done, ...rest } = c.req.query();
  return { values: rest, notice: noticeOf(c, done) };
};

/** The middlewares of signed-in pages, and what pages read of the account, over the gateway's services. */
export function dashboardGuards(s: Services) {
  /** The gateway's quiet-hours zone: the time zone of an account that chose none. */
  const gatewayZone = s.config.compliance.quietHours?.timeZone ?? DEFAULT_QUIET_HOURS.timeZone;
  /**
   * A session's language (its own, else its account's, else the default) and its account's time zone
   * (its own, else its quiet hours' zone, else the gateway's).
   */
  async function viewOf(session: DashboardSession): Promise<View> {
    const { accountId } = session.principal;
    const own = await s.preferences.get(accountId);
    return {
      lang: session.language ?? own.language ?? DEFAULT_LANGUAGE,
      zone: own.timeZone ?? (await s.compliance.settings(accountId)).quietHours?.timeZone ?? gatewayZone,
    };
  }
  /** The request's session (a browser without one is sent to sign in), and its form's token checked. */
  const signedIn: MiddlewareHandler<DashboardEnv> = async (c, next) => {
    const token = getCookie(c, COOKIE);
    const session = token ? await s.dashboardSessions.find(token) : null;
    if (!session) {
      if ((c.req.method === 'GET' || c.req.method === 'HEAD') && !asksForJson(c))
        return c.redirect(`${rootOf(c)}/sign-in`, 303);
      const hint = `Sign in at ${rootOf(c)}/sign-in`;
      throw new GatewayError('INVALID_CREDENTIALS', en['refusal.signedOut'], { hint });
    }
    c.set('session', session);
    c.set('view', await viewOf(session));
    if (c.req.method === 'POST') {
      sameOrigin(c);
      const { _csrf, ...form } = await c.req.parseBody({ all: true });
      if (typeof _csrf !== 'string' || !timingSafeEqual(_csrf, session.csrf))
        throw new GatewayError('PERMISSION_DENIED', en['refusal.staleForm']);
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
  /** A page anyone may see (a 404) in the session's language when there is one. */
  const viewed: MiddlewareHandler<DashboardEnv> = async (c, next) => {
    const token = getCookie(c, COOKIE);
    const session = token ? await s.dashboardSessions.find(token) : null;
    if (session) c.set('view', await viewOf(session));
    await next();
  };
  return {
    signedIn,
    viewed,
    counted: [signedIn, apiCall] as const,
    contactCounted: [signedIn, apiCall, contactOp] as const,
    gatewayZone,
  };
}

export type DashboardGuards = ReturnType<typeof dashboardGuards>;
