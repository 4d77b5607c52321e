import type { TestGateway } from './harness';

export interface Page {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

/**
 * A browser as far as the dashboard can tell through `app.request()`: keeps the session cookie it is
 * given, and fills each form's `_csrf` from the last page it read.
 */
export function dashboardClient(g: TestGateway, base = 'http://127.0.0.1:8001/api/integration') {
  let cookie: string | null = null;
  let csrf = '';

  async function request(path: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'text/html');
    if (cookie) headers.set('cookie', cookie);
    const res = await g.mifumo.fetch(new Request(`${base}${path}`, { ...init, headers, redirect: 'manual' }));
    const set = res.headers.get('set-cookie');
    if (set) {
      const [pair] = set.split(';');
      cookie = /=$/.test(pair!) || /Max-Age=0/i.test(set) ? null : pair!;
    }
    const text = await res.text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? csrf;
    return { status: res.status, text, location: res.headers.get('location'), headers: res.headers };
  }

  return {
    get: (path: string) => request(path),
    /** Posts a form; `_csrf` is the last page's unless given (or `withCsrf` is false: the sign-in form). */
    post(
      path: string,
      fields: Record<string, string | string[]> = {},
      headers: Record<string, string> = {},
      withCsrf = true,
    ) {
      const body = new URLSearchParams();
      if (withCsrf && !('_csrf' in fields)) body.set('_csrf', csrf);
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
      return request(path, { method: 'POST', body, headers });
    },
    /** Posts a multipart form with a file. */
    upload(
      path: string,
      fields: Record<string, string>,
      file: { name: string; field: string; text: string },
    ) {
      const body = new FormData();
      body.set('_csrf', csrf);
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      body.set(file.field, new File([file.text], file.name, { type: 'text/csv' }));
      return request(path, { method: 'POST', body });
    },
    async signIn(key: string) {
      await request('/dashboard/sign-in');
      return this.post('/dashboard/sign-in', { api_key: key }, {}, false);
    },
    get cookie() {
      return cookie;
    },
    set cookie(value: string | null) {
      cookie = value;
    },
    get csrf() {
      return csrf;
    },
  };
}

/** What a page's input or text area of that id holds (undefined: no such field). */
export function fieldValue(html: string, id: string): string | undefined {
  const input = new RegExp(`<input[^>]*\\sid="${id}"[^>]*>`).exec(html)?.[0];
  if (input) return /\svalue="([^"]*)"/.exec(input)?.[1] ?? '';
  return new RegExp(`<textarea[^>]*\\sid="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}

/** The reason a page gives beside the field of that id (undefined: none). */
export const errorBeside = (html: string, id: string) =>
  new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(html)?.[1];
