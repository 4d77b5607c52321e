import { configSchema } from '@mifumo/core';
import { type ApiTarget, SUITE_CONFIG, SUITE_OPERATOR_KEY } from '@mifumo/core/testing';
import { startGateway } from '../gateway';

/** The Node gateway as `npm start` runs it (real HTTP, its own loops), on the given database. */
export async function nodeTarget(
  databaseUrl: string,
  drop: () => Promise<void> = async () => {},
): Promise<ApiTarget> {
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl,
      adminKey: undefined,
      operatorKey: SUITE_OPERATOR_KEY,
      initialBalance: 0,
      config: configSchema.parse(SUITE_CONFIG),
      secret: { value: 'ab'.repeat(32), file: '' },
    },
    { logger: { error: () => {} }, dispatchIntervalMs: 100 },
  );
  return {
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.key) headers.Authorization = `Bearer ${init.key}`;
      const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
      if (body !== undefined) headers['Content-Type'] ??= 'application/json';
      const res = await fetch(`${gw.url}/api/integration${path}`, { method, headers, body });
      const text = await res.text();
      return {
        status: res.status,
        json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
        text,
        headers: Object.fromEntries(res.headers),
      };
    },
    async settle() {
      await gw.work.dispatchDue();
      await gw.work.settled();
    },
    async close() {
      await gw.close();
      await drop();
    },
  };
}
