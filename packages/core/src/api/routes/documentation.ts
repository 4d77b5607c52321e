import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { type OpenApiDocument, openApiDocument } from '../openapi/document';
import { Documentation } from '../openapi/documentation';

/** The API's own description, public like the seed's documentation page: OpenAPI 3.1 and a readable page. */
export function documentationRoutes() {
  let document: OpenApiDocument | undefined;
  const describe = () => {
    document ??= openApiDocument();
    return document;
  };
  return new Hono<GatewayEnv>()
    .get('/openapi.json', (c) => c.json(describe()))
    .on('GET', ['/documentation', '/documentation/'], (c) => {
      const base = new URL(c.req.url).origin + c.req.path.replace(/\/documentation\/?$/, '');
      return c.html(`<!doctype html>${Documentation({ base })}`);
    });
}
