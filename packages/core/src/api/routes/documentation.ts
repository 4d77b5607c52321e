import { Hono } from 'hono';
import { escapeToBuffer } from 'hono/utils/html';
import type { GatewayEnv } from '../env';
import { type OpenApiDocument, openApiDocument } from '../openapi/document';
import { Documentation } from '../openapi/documentation';
import { securePage } from '../secure-page';

/** Stand-ins the page is rendered with once, replaced by each request's base URL and nonce. */
const BASE = 'MIFUMO-DOCUMENTATION-BASE';
const NONCE = 'MIFUMO-DOCUMENTATION-NONCE';

const escaped = (text: string) => {
  const buffer: [string] = [''];
  escapeToBuffer(text, buffer);
  return buffer[0];
};

/** The API's own description, public like the seed's documentation page: OpenAPI 3.1 and a readable page. */
export function documentationRoutes() {
  let document: OpenApiDocument | undefined;
  let page: string | undefined;
  const describe = () => {
    document ??= openApiDocument();
    return document;
  };
  return new Hono<GatewayEnv>()
    .get('/openapi.json', (c) => c.json(describe()))
    .on('GET', ['/documentation', '/documentation/'], (c) => {
      const base = new URL(c.req.url).origin + c.req.path.replace(/\/documentation\/?$/, '');
      const nonce = securePage(c);
      // Rendering the whole reference takes tens of milliseconds: done once, not on every request.
      page ??= `<!doctype html>${Documentation({ base: BASE, document: describe(), nonce: NONCE })}`;
      return c.html(page.replaceAll(BASE, () => escaped(base)).replace(NONCE, () => nonce));
    });
}
