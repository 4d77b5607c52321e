/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { sizeLimit } from '../api/middleware/body-size';
import { asksForJson, wantsHtml } from '../api/negotiation';
import { sendSchema } from '../api/schemas';
import type { Services } from '../api/services';
import { grants, timingSafeEqual } from '../auth/api-key';
import type { Principal } from '../auth/principal';
import { iso } from '../clock';
import { DEFAULT_QUIET_HOURS } from '../domain/quiet-hours';
import { GatewayError } from '../errors';
import { randomToken } from '../ids';
import { forms, parseForm } from './forms';
import { Document, type PageContext } from './layout';
import { ActivityPage } from './pages/activity';
import { ContactsPage } from './pages/contacts';
import { ConversationPage, InboxPage } from './pages/inbox';
import { KeysPage } from './pages/keys';
import { MessagePage } from './pages/message';
import { MessagesPage } from './pages/messages';
import { OptOutHistoryPage, OptOutsPage } from './pages/opt-outs';
import { OverviewPage } from './pages/overview';
import { SignInPage } from './pages/sign-in';
import { WebhooksPage } from './pages/webhooks';
import type { DashboardSession } from './sessions';

const COOKIE = 'mifumo_session';

/** What a redirect after a change tells the next page (a fixed text per code: nothing from the URL is shown). */
const NOTICES = {
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
type NoticeCode = keyof typeof NOTICES;
const noticeOf = (code: string | undefined) =>
  code !== undefined && code in NOTICES ? NOTICES[code as NoticeCode] : undefined;

interface DashboardEnv {
  Variables: { session: DashboardSession; nonce: string; form: Record<string, unknown> };
}
type Ctx = Context<DashboardEnv>;

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
function rootOf(c: Ctx): string {
  const parts = c.req.path.split('/');
  const at = parts.findIndex((p, i) => p === 'dashboard' && SECTIONS.has(parts[i + 1] ?? ''));
  return parts.slice(0, (at === -1 ? parts.lastIndexOf('dashboard') : at) + 1).join('/');
}

/** The sign-in form holds one key: a larger body is refused unread. */
const SIGN_IN_MAX_BYTES = 4096;

const pageContext = (c: Ctx): PageContext => ({
  root: rootOf(c),
  csrf: c.get('session')?.csrf ?? '',
  nonce: c.get('nonce'),
});

async function html(c: Ctx, page: Child, status: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 429 = 200) {
  return c.html(`<!doctype html>${await page}`, status);
}

/** A refusal's text for a page: the message, then the code. */
const refusal = (e: GatewayError) => `${e.message} (${e.code})`;

/**
 * Renders a 4xx refusal on the page the form came from; anything else, and any refusal to a client
 * that asks for JSON, goes to the error handler.
 */
async function refused(c: Ctx, e: unknown, page: (error: string) => Child | Promise<Child>) {
  if (!(e instanceof GatewayError) || e.status >= 500 || !wantsHtml(c)) throw e;
  return html(c, await page(refusal(e)), e.status as 400);
}

const both = (path: string) => [path, `${path}/`];
const isHttps = (c: Ctx) =>
  new URL(c.req.url).protocol === 'https:' ||
  c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';

/** A POST from another site is refused whatever it carries (on top of SameSite cookies and the form token). */
function sameOrigin(c: Ctx) {
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  let from: string | null = null;
  try {
    from = new URL(origin).host;
  } catch {}
  if (from !== host) throw new GatewayError('PERMISSION_DENIED', 'This form was posted from another site');
}

/**
 * The dashboard: server-rendered pages (hono/jsx) over the same services as the API, behind a sign-in
 * with an admin API key. Sessions are HttpOnly, SameSite=Strict cookies (Secure on https) checked on
 * every request; every form carries the session's token; pages send a strict Content-Security-Policy.
 */
export function dashboardRoutes(s: Services) {
  const app = new Hono<DashboardEnv>();

  app.use('/dashboard/*', async (c, next) => {
    const nonce = randomToken(22);
    c.set('nonce', nonce);
    await next();
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; style-src-attr 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
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
    const nonce = c.get('nonce') ?? randomToken(22);
    const retryAfter = e.headers['Retry-After'];
    return c.html(
      `<!doctype html>${await (
        <Document title="Refused" nonce={nonce}>
          <main id="main" class="signin">
            <h1>{e.status === 404 ? 'Not found' : 'Refused'}</h1>
            <p role="alert">{refusal(e)}</p>
            {retryAfter !== undefined && <p>Try again in {retryAfter} s.</p>}
            <p>
              <a href={`${rootOf(c as Ctx)}/`}>Back to the dashboard</a>
            </p>
          </main>
        </Document>
      )}`,
      e.status as 400,
    );
  });

  // ---- signing in and out -------------------------------------------------------------------------
  const signInPage = (c: Ctx, extra: { error?: string; notice?: string | undefined }) => (
    <SignInPage action={`${rootOf(c)}/sign-in`} nonce={c.get('nonce')} {...extra} />
  );

  app.on('GET', both('/dashboard/sign-in'), async (c) => {
    const token = getCookie(c, COOKIE);
    if (token && (await s.dashboardSessions.find(token))) return c.redirect(`${rootOf(c)}/`, 303);
    return html(c, signInPage(c, { notice: noticeOf(c.req.query('done')) }));
  });

  /** Counts a failed sign-in against its address; past the limit it is refused with 429 instead. */
  const signInFailed = (c: Context) => s.limiter.authFailure(s.clientAddress(c));

  /** The principal of the sign-in form's key. A malformed form fails the sign-in as a wrong key does. */
  async function signInPrincipal(c: Ctx): Promise<Principal> {
    const hint = 'Paste an API key that has the admin permission';
    let why: GatewayError = new GatewayError(
      'INVALID_CREDENTIALS',
      'That API key is not valid (or was revoked)',
      {
        hint,
      },
    );
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

  app.on('POST', both('/dashboard/sign-in'), sizeLimit(SIGN_IN_MAX_BYTES, signInFailed), async (c) => {
    sameOrigin(c);
    try {
      const principal = await signInPrincipal(c);
      if (!grants(principal.permissions, 'admin'))
        throw new GatewayError('PERMISSION_DENIED', 'Sign in with a key that has the admin permission', {
          required: 'admin',
          granted: principal.permissions,
        });
      const { token, expiresAt } = await s.dashboardSessions.open(principal);
      setCookie(c, COOKIE, token, {
        path: rootOf(c),
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c),
        expires: new Date(expiresAt),
      });
      await s.activity.record(
        principal.accountId,
        `key:${principal.keyId}`,
        'dashboard.signed_in',
        principal.keyId,
      );
      return c.redirect(`${rootOf(c)}/`, 303);
    } catch (e) {
      return refused(c, e, (error) => signInPage(c, { error }));
    }
  });

  // ---- everything else needs a session ------------------------------------------------------------
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
  const principalOf = (c: Ctx) => c.get('session').principal;
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
  const counted = [signedIn, apiCall] as const;
  const contactCounted = [signedIn, apiCall, contactOp] as const;

  const accountOf = (c: Ctx) => principalOf(c).accountId;
  /** The time zone the account's pages show times in: its quiet hours' (its own or the configuration's). */
  const zoneOf = async (c: Ctx) =>
    (await s.compliance.settings(accountOf(c))).quietHours?.timeZone ??
    s.config.compliance.quietHours?.timeZone ??
    DEFAULT_QUIET_HOURS.timeZone;
  /** The API key a change is logged with (none for the in-process principal). */
  const keyOf = (c: Ctx) => principalOf(c).keyId || undefined;
  const back = (c: Ctx, path: string, done: NoticeCode) =>
    c.redirect(`${rootOf(c)}${path}?done=${done}`, 303);
  /** A page's query without the notice code, which only picks a fixed text. */
  const listing = (c: Ctx) => {
    const { done, ...rest } = c.req.query();
    return { values: rest, notice: noticeOf(done) };
  };

  // Signing out is never refused for a spent limit.
  app.on('POST', both('/dashboard/sign-out'), signedIn, async (c) => {
    const principal = principalOf(c);
    await s.dashboardSessions.close(getCookie(c, COOKIE)!);
    deleteCookie(c, COOKIE, { path: rootOf(c), httpOnly: true, sameSite: 'Strict', secure: isHttps(c) });
    await s.activity.record(
      principal.accountId,
      `key:${principal.keyId}`,
      'dashboard.signed_out',
      principal.keyId,
    );
    return c.redirect(`${rootOf(c)}/sign-in?done=signed-out`, 303);
  });

  // ---- pages ---------------------------------------------------------------------------------------
  app.on('GET', ['/dashboard', '/dashboard/'], ...counted, async (c) => {
    parseForm(forms.empty, listing(c).values);
    const usage = await s.usage.overview(accountOf(c));
    return html(c, <OverviewPage ctx={pageContext(c)} usage={usage} carriers={s.carriers()} />);
  });

  app.on('GET', both('/dashboard/messages'), ...counted, async (c) => {
    const { page, ...filters } = parseForm(forms.messages, listing(c).values);
    const data = await s.messages.deliveryReports(accountOf(c), { ...filters, page, per_page: 50 });
    return html(c, <MessagesPage ctx={pageContext(c)} filters={filters} data={data} />);
  });

  app.on('GET', both('/dashboard/messages/:id'), ...counted, async (c) => {
    const timeline = await s.messages.timeline(accountOf(c), c.req.param('id') ?? '');
    return html(c, <MessagePage ctx={pageContext(c)} timeline={timeline} />);
  });

  const keysPage = async (c: Ctx, extra: Partial<Parameters<typeof KeysPage>[0]> = {}) => {
    const { page } = parseForm(forms.paged, listing(c).values);
    const { keys } = await s.admin.pageKeys(accountOf(c), { page, per_page: 100 });
    return <KeysPage ctx={pageContext(c)} keys={keys} now={iso(s.clock.now())} {...extra} />;
  };
  app.on('GET', both('/dashboard/keys'), ...counted, async (c) =>
    html(c, await keysPage(c, { notice: listing(c).notice })),
  );
  app.on('POST', both('/dashboard/keys'), ...counted, async (c) => {
    try {
      const input = parseForm(forms.createKey, c.get('form'));
      const created = await s.actions.createKey(principalOf(c), input);
      return html(c, await keysPage(c, { created }), 201);
    } catch (e) {
      return refused(c, e, (error) => keysPage(c, { error }));
    }
  });
  app.on('POST', both('/dashboard/keys/:id/revoke'), ...counted, async (c) => {
    try {
      parseForm(forms.empty, c.get('form'));
      const revoked = await s.actions.revokeKey(principalOf(c), c.req.param('id') ?? '');
      // Revoking the key this session was opened with ends the session too.
      if (revoked.id === principalOf(c).keyId)
        return c.redirect(`${rootOf(c)}/sign-in?done=key-revoked`, 303);
      return back(c, '/keys/', 'key-revoked');
    } catch (e) {
      return refused(c, e, (error) => keysPage(c, { error }));
    }
  });

  const webhooksPage = async (c: Ctx, extra: { notice?: string | undefined; error?: string } = {}) => {
    const { status, page } = parseForm(forms.deliveries, listing(c).values);
    const accountId = accountOf(c);
    const [settings, deliveries] = await Promise.all([
      s.webhooks.settings.get(accountId),
      s.webhooks.deliveries.list(accountId, { status, page, per_page: 25 }),
    ]);
    return (
      <WebhooksPage
        ctx={pageContext(c)}
        settings={settings}
        deliveries={deliveries}
        status={status}
        {...extra}
      />
    );
  };
  app.on('GET', both('/dashboard/webhooks'), ...counted, async (c) =>
    html(c, await webhooksPage(c, { notice: listing(c).notice })),
  );
  app.on('POST', both('/dashboard/webhooks'), ...counted, async (c) => {
    try {
      await s.actions.updateWebhook(principalOf(c), parseForm(forms.webhook, c.get('form')));
      return back(c, '/webhooks/', 'webhook-saved');
    } catch (e) {
      return refused(c, e, (error) => webhooksPage(c, { error }));
    }
  });
  app.on('POST', both('/dashboard/webhooks/rotate'), ...counted, async (c) => {
    try {
      const { grace_hours } = parseForm(forms.rotate, c.get('form'));
      await s.actions.rotateWebhookSecret(principalOf(c), grace_hours * 3600);
      return back(c, '/webhooks/', 'secret-rotated');
    } catch (e) {
      return refused(c, e, (error) => webhooksPage(c, { error }));
    }
  });
  app.on('POST', both('/dashboard/webhooks/deliveries/:id/resend'), ...counted, async (c) => {
    try {
      parseForm(forms.empty, c.get('form'));
      await s.actions.resendWebhook(principalOf(c), c.req.param('id') ?? '');
      return back(c, '/webhooks/', 'delivery-resent');
    } catch (e) {
      return refused(c, e, (error) => webhooksPage(c, { error }));
    }
  });

  app.on('GET', both('/dashboard/inbox'), ...counted, async (c) => {
    const { page } = parseForm(forms.paged, listing(c).values);
    const [zone, data] = await Promise.all([
      zoneOf(c),
      s.conversations.list(accountOf(c), { page, per_page: 50 }),
    ]);
    return html(c, <InboxPage ctx={pageContext(c)} zone={zone} data={data} />);
  });

  const fromOf = (c: Ctx) => c.req.param('from') ?? '';
  const conversationPage = async (c: Ctx, extra: { notice?: string | undefined; error?: string } = {}) => {
    const [zone, conversation] = await Promise.all([zoneOf(c), s.conversations.get(accountOf(c), fromOf(c))]);
    return <ConversationPage ctx={pageContext(c)} zone={zone} conversation={conversation} {...extra} />;
  };
  app.on('GET', both('/dashboard/inbox/:from'), ...counted, async (c) => {
    const { values, notice } = listing(c);
    parseForm(forms.empty, values);
    return html(c, await conversationPage(c, { notice }));
  });
  // A reply goes through the sender as the API's does: priced, charged, limited and suppressed alike.
  app.on('POST', both('/dashboard/inbox/:from/reply'), ...counted, async (c) => {
    try {
      const { message } = parseForm(forms.reply, c.get('form'));
      const { from, latestInbound } = await s.conversations.get(accountOf(c), fromOf(c));
      await s.sender.send(
        principalOf(c),
        parseForm(sendSchema, { message, reply_to: latestInbound, traffic_class: 'transactional' }),
      );
      return back(c, `/inbox/${encodeURIComponent(from)}/`, 'reply-sent');
    } catch (e) {
      return refused(c, e, (error) => conversationPage(c, { error }));
    }
  });

  const contactsPage = async (c: Ctx, extra: Partial<Parameters<typeof ContactsPage>[0]> = {}) => {
    const { q, page } = parseForm(forms.contacts, listing(c).values);
    const accountId = accountOf(c);
    const perPage = 50;
    const [found, segments] = await Promise.all([
      s.contacts.search(accountId, { q, limit: perPage, offset: (page - 1) * perPage }),
      s.segments.listSegments(accountId, { page: 1, per_page: 100 }),
    ]);
    return (
      <ContactsPage
        ctx={pageContext(c)}
        q={q}
        page={page}
        found={found}
        segments={segments}
        maxImportRows={s.contactImport.maxRows}
        {...extra}
      />
    );
  };
  app.on('GET', both('/dashboard/contacts'), ...contactCounted, async (c) =>
    html(c, await contactsPage(c, { notice: listing(c).notice })),
  );
  app.on('POST', both('/dashboard/contacts'), ...contactCounted, async (c) => {
    try {
      const { email, ...input } = parseForm(forms.contact, c.get('form'));
      await s.contacts.create(accountOf(c), parseForm(forms.newContact, { ...input, email: email ?? null }));
      return back(c, '/contacts/', 'contact-added');
    } catch (e) {
      return refused(c, e, (error) => contactsPage(c, { error }));
    }
  });
  app.on('POST', both('/dashboard/contacts/import'), ...contactCounted, async (c) => {
    try {
      const { file, on_conflict } = parseForm(forms.import, c.get('form'));
      const report = await s.actions.importContacts(principalOf(c), { csv: await file.text() }, on_conflict);
      return html(c, await contactsPage(c, { report }));
    } catch (e) {
      return refused(c, e, (error) => contactsPage(c, { error }));
    }
  });

  /** The opt-outs page; `search` false lists them all (the search itself was refused). */
  const optOutsPage = async (
    c: Ctx,
    extra: { notice?: string | undefined; error?: string } = {},
    search = true,
  ) => {
    const { phone_number, page } = parseForm(forms.optOuts, listing(c).values);
    const phone = search ? phone_number : undefined;
    const [zone, data] = await Promise.all([
      zoneOf(c),
      s.consent.list(accountOf(c), { phone_number: phone, page: search ? page : 1, per_page: 50 }),
    ]);
    return <OptOutsPage ctx={pageContext(c)} zone={zone} phone={phone_number} data={data} {...extra} />;
  };
  app.on('GET', both('/dashboard/opt-outs'), ...contactCounted, async (c) => {
    try {
      return html(c, await optOutsPage(c, { notice: listing(c).notice }));
    } catch (e) {
      return refused(c, e, (error) => optOutsPage(c, { error }, false));
    }
  });
  app.on('POST', both('/dashboard/opt-outs'), ...contactCounted, async (c) => {
    try {
      const input = parseForm(forms.optOut, c.get('form'));
      const { status } = await s.consent.add(accountOf(c), input, {
        source: 'dashboard',
        apiKeyId: keyOf(c),
      });
      return back(c, '/opt-outs/', status === 'opted_out' ? 'opted-out' : 'already-opted-out');
    } catch (e) {
      return refused(c, e, (error) => optOutsPage(c, { error }, false));
    }
  });

  const phoneOf = (c: Ctx) => c.req.param('phone') ?? '';
  const historyPage = async (c: Ctx, extra: { notice?: string | undefined; error?: string } = {}) => {
    const { page } = parseForm(forms.paged, listing(c).values);
    const accountId = accountOf(c);
    const [zone, history, current] = await Promise.all([
      zoneOf(c),
      s.consent.history(accountId, phoneOf(c), { page, per_page: 50 }),
      s.consent.list(accountId, { phone_number: phoneOf(c), page: 1, per_page: 1 }),
    ]);
    return (
      <OptOutHistoryPage
        ctx={pageContext(c)}
        zone={zone}
        history={history}
        optedOut={current.opt_outs.length > 0}
        {...extra}
      />
    );
  };
  app.on('GET', both('/dashboard/opt-outs/:phone'), ...contactCounted, async (c) =>
    html(c, await historyPage(c, { notice: listing(c).notice })),
  );
  app.on('POST', both('/dashboard/opt-outs/:phone/opt-in'), ...contactCounted, async (c) => {
    try {
      const { evidence } = parseForm(forms.optIn, c.get('form'));
      const { phone_number } = await s.consent.remove(accountOf(c), phoneOf(c), {
        source: 'dashboard',
        evidence,
        apiKeyId: keyOf(c),
      });
      return back(c, `/opt-outs/${encodeURIComponent(phone_number)}/`, 'opted-in');
    } catch (e) {
      return refused(c, e, (error) => historyPage(c, { error }));
    }
  });

  app.on('GET', both('/dashboard/activity'), ...counted, async (c) => {
    const { action, page } = parseForm(forms.activity, listing(c).values);
    const { activity, pagination } = await s.activity.list(accountOf(c), { action, page, per_page: 50 });
    return html(
      c,
      <ActivityPage ctx={pageContext(c)} entries={activity} pagination={pagination} action={action} />,
    );
  });

  app.all('/dashboard/*', () => {
    throw new GatewayError('NOT_FOUND', 'No such dashboard page');
  });
  return app;
}
