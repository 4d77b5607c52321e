import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';

let g: TestGateway | undefined;
afterEach(() => g?.close());

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'; // as a browser asks
const get = (path: string, accept?: string) =>
  g!.mifumo.fetch(new Request(`http://127.0.0.1:8001${path}`, accept ? { headers: { accept } } : {}));

describe('the root and the mount point', () => {
  it('answer a JSON client the envelope with the dashboard, documentation and OpenAPI paths', async () => {
    g = await createTestGateway();
    for (const path of ['/', '/api/integration', '/api/integration/'])
      for (const accept of [undefined, '*/*', 'application/json', `application/json, ${HTML}`]) {
        const res = await get(path, accept);
        expect(res.status, `${path} ${accept}`).toBe(200);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(await res.json()).toEqual({
          success: true,
          message: 'Mifumo SMS gateway: the API is documented at /api/integration/documentation/',
          data: {
            dashboard: '/api/integration/dashboard/',
            documentation: '/api/integration/documentation/',
            openapi: '/api/integration/openapi.json',
          },
          error_code: null,
          details: null,
        });
      }
  });

  it('answer a browser a small page linking them, under the strict Content-Security-Policy', async () => {
    g = await createTestGateway();
    for (const path of ['/', '/api/integration/']) {
      const res = await get(path, HTML);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      const nonce = /style-src 'nonce-(\w+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
      expect(html).toContain(`<style nonce="${nonce}">`);
      expect(html).not.toMatch(/<script|<link|<img|\sstyle="/i);
      const links = [...html.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
      expect(links).toEqual([
        ['/api/integration/dashboard/', 'Dashboard'],
        ['/api/integration/documentation/', 'API documentation'],
        ['/api/integration/openapi.json', 'OpenAPI document'],
      ]);
    }
  });

  it('link pages that answer', async () => {
    g = await createTestGateway();
    const { data } = await (await get('/')).json();
    expect((await get(data.documentation, HTML)).status).toBe(200);
    expect((await get(data.openapi)).status).toBe(200);
    const dashboard = await get(data.dashboard, HTML); // not signed in: the sign-in page
    expect([200, 302, 303]).toContain(dashboard.status);
  });

  it('follow basePath, and leave the dashboard out when it is off', async () => {
    g = await createTestGateway({ basePath: '/sms', config: { dashboard: { enabled: false } } });
    for (const path of ['/', '/sms', '/sms/']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect((await res.json()).data).toEqual({
        dashboard: null,
        documentation: '/sms/documentation/',
        openapi: '/sms/openapi.json',
      });
    }
    const html = await (await get('/', HTML)).text();
    expect(html).toContain('<a href="/sms/documentation/">');
    expect(html).not.toContain('dashboard');
    expect((await get('/api/integration/')).status).toBe(404);
  });

  it('at the root of a gateway mounted at the root, the mount point answers', async () => {
    g = await createTestGateway({ basePath: '/' });
    const res = await get('/');
    expect(res.status).toBe(200);
    expect((await res.json()).data.documentation).toBe('/documentation/');
  });

  it('in a host app, the mount point links under where it is mounted', async () => {
    g = await createTestGateway();
    const host = new Hono();
    host.route('/sms', g.mifumo.app);
    for (const path of ['/sms', '/sms/']) {
      const res = await host.request(path);
      expect((await res.json()).data.openapi, path).toBe('/sms/openapi.json');
    }
  });

  it('leave unknown paths and other methods to answer as before', async () => {
    g = await createTestGateway();
    for (const path of ['/elsewhere', '/api/integration/nope', '/api/integrationx', '/index.html']) {
      const res = await get(path, HTML);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ success: false, error_code: 'NOT_FOUND' });
    }
    const post = await g.mifumo.fetch(new Request('http://127.0.0.1:8001/', { method: 'POST' }));
    expect(post.status).toBe(404);
    const mount = await g.mifumo.fetch(
      new Request('http://127.0.0.1:8001/api/integration/', { method: 'POST' }),
    );
    expect(mount.status).toBe(405);
    expect(mount.headers.get('allow')).toBe('GET');
  });
});
