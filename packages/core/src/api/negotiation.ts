import type { Context } from 'hono';

/** A client that asks for JSON is answered in the API's envelope (a dashboard client is never sent to sign in). */
export const asksForJson = (c: Context) => c.req.header('accept')?.includes('application/json') ?? false;

/** A browser: asks for HTML and not for JSON. Anything else (curl's `*\/*`, API clients) is answered JSON. */
export const wantsHtml = (c: Context) =>
  !asksForJson(c) && (c.req.header('accept')?.includes('text/html') ?? false);
