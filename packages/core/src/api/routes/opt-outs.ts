import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { countContactOp, requireKey } from '../middleware/auth';
import { readImportBody } from '../middleware/import-body';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import { optInSchema, optOutHistoryQuery, optOutSchema, optOutsQuery } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const optOutBody = jsonBody(optOutSchema);
const optInBody = jsonBody(optInSchema);
const listParams = validQuery(optOutsQuery);
const historyParams = validQuery(optOutHistoryQuery);

/** The account's opt-outs: numbers its transactional and promotional messages leave out, and their log. */
export function optOutRoutes(s: Services) {
  const reader = [requireKey(s, 'read'), countContactOp(s)] as const;
  const writer = [requireKey(s, 'write'), countContactOp(s)] as const;
  const keyOf = (c: { get(k: 'principal'): { keyId: string } }) => c.get('principal').keyId || undefined;
  return (
    new Hono<GatewayEnv>()
      .on(
        'GET',
        ...route('/v1/opt-outs', ...reader, listParams, async (c) => {
          const data = await s.consent.list(c.get('principal').accountId, c.req.valid('query'));
          return ok(c, 'Opt-outs retrieved successfully', data);
        }),
      )
      .on(
        'POST',
        ...route('/v1/opt-outs', ...writer, optOutBody, async (c) => {
          const { status, entry } = await s.consent.add(c.get('principal').accountId, c.req.valid('json'), {
            source: 'api',
            apiKeyId: keyOf(c),
          });
          return status === 'opted_out'
            ? ok(c, 'Number opted out', entry, 201)
            : ok(c, 'Number was already opted out', entry);
        }),
      )
      .on(
        'POST',
        ...route('/v1/opt-outs/import', ...writer, async (c) => {
          const { accountId } = c.get('principal');
          const source = await readImportBody(c, 'opt-outs');
          const data =
            'csv' in source
              ? await s.consent.importCsv(accountId, source.csv, keyOf(c))
              : await s.consent.importJson(accountId, source.json, keyOf(c));
          return ok(c, 'Opt-outs imported', data);
        }),
      )
      // After the fixed path /v1/opt-outs/import, which answers first.
      .on(
        'GET',
        ...route('/v1/opt-outs/:phone_number/history', ...reader, historyParams, async (c) => {
          const data = await s.consent.history(
            c.get('principal').accountId,
            c.req.param('phone_number'),
            c.req.valid('query'),
          );
          return ok(c, 'Opt-out history retrieved successfully', data);
        }),
      )
      .on(
        'DELETE',
        ...route('/v1/opt-outs/:phone_number', ...writer, optInBody, async (c) => {
          const data = await s.consent.remove(c.get('principal').accountId, c.req.param('phone_number'), {
            source: 'api',
            evidence: c.req.valid('json').evidence,
            apiKeyId: keyOf(c),
          });
          return ok(c, 'Number opted in again', data);
        }),
      )
  );
}
