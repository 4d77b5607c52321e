/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { wantsHtml } from '../../api/negotiation';
import type { Services } from '../../api/services';
import { GatewayError } from '../../errors';
import { randomToken } from '../../ids';
import { en } from '../i18n/en';
import { Document } from '../layout';
import { refusalOf } from '../refusal';
import { activityRoutes } from './activity';
import { campaignsRoutes } from './campaigns';
import { contactsRoutes } from './contacts';
import { type DashboardEnv, dashboardGuards, defaultView, pageContext } from './context';
import { inboxRoutes } from './inbox';
import { keysRoutes } from './keys';
import { messagesRoutes } from './messages';
import { optOutsRoutes } from './opt-outs';
import { overviewRoutes } from './overview';
import { segmentsRoutes } from './segments';
import { sendRoutes } from './send';
import { senderIdsRoutes } from './sender-ids';
import { settingsRoutes } from './settings';
import { signInRoutes } from './sign-in';
import { usageRoutes } from './usage';
import { webhooksRoutes } from './webhooks';

/** Each page's routes, in the order they are matched. */
const PAGES = [
  signInRoutes,
  overviewRoutes,
  sendRoutes,
  messagesRoutes,
  usageRoutes,
  keysRoutes,
  senderIdsRoutes,
  webhooksRoutes,
  inboxRoutes,
  contactsRoutes,
  segmentsRoutes,
  campaignsRoutes,
  optOutsRoutes,
  activityRoutes,
  settingsRoutes,
];

/**
 * The dashboard: server-rendered pages (hono/jsx) over the same services as the API, behind a sign-in
 * with an admin API key. Sessions are HttpOnly, SameSite=Strict cookies (Secure on https) checked on
 * every request; every form carries the session's token; pages send a strict Content-Security-Policy.
 */
export function dashboardRoutes(s: Services) {
  const app = new Hono<DashboardEnv>();

  const guards = dashboardGuards(s);
  app.use('/dashboard/*', async (c, next) => {
    const nonce = randomToken(22);
    c.set('nonce', nonce);
    c.set('view', defaultView(c, guards.gatewayZone));
    await next();
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; style-src-attr 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cache-Control', 'no-store');
  });

  app.onError(async (err, c) => {
    const e =
      err instanceof GatewayError
        ? err
        : new GatewayError('INTERNAL_ERROR', 'Something went wrong on our side');
    if (!(err instanceof GatewayError)) console.error(`dashboard ${c.req.method} ${c.req.path} failed`, err);
    for (const [name, value] of Object.entries(e.headers)) c.header(name, value);
    if (!wantsHtml(c)) return c.json(e.toEnvelope(), e.status as 400);
    const ctx = pageContext(c);
    const { t } = ctx;
    const { summary, message } = refusalOf(e, t);
    const retryAfter = e.headers['Retry-After'];
    const title = t(e.status === 404 ? 'error.notFound' : 'error.title');
    return c.html(
      `<!doctype html>${await (
        <Document ctx={ctx} title={title}>
          <main id="main" class="signin">
            <h1>{title}</h1>
            <p role="alert">
              <strong>{summary}</strong> {`${message} (${e.code})`}
            </p>
            {retryAfter !== undefined && <p>{t('error.retryAfter', { seconds: retryAfter })}</p>}
            <p>
              <a href={`${ctx.root}/`}>{t('error.back')}</a>
            </p>
          </main>
        </Document>
      )}`,
      e.status as 400,
    );
  });

  for (const routes of PAGES) app.route('/', routes(s, guards));

  app.all('/dashboard/*', guards.viewed, () => {
    throw new GatewayError('NOT_FOUND', en['refusal.noPage']);
  });
  return app;
}
