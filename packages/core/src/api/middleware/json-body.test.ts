import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';
import { MAX_JSON_DEPTH } from '../../domain/json-text';
import { OPERATIONS } from '../openapi/operations';

/** Every route that reads a JSON body, its path parameters filled in. */
const JSON_ROUTES = OPERATIONS.filter((op) => op.body && op.auth !== 'callback').map(
  (op): [string, string] => [op.method.toUpperCase(), op.path.replace(/\{\w+\}/g, 'x_1')],
);

/** `depth` arrays (or objects) one inside the other, as the field `extra` of an object when `inside`. */
function nested(depth: number, kind: 'array' | 'object', inside = false) {
  const [open, close] = kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
  const levels = inside ? depth - 1 : depth;
  const value = `${open.repeat(levels)}1${close.repeat(levels)}`;
  return inside ? `{"extra":${value}}` : value;
}

/** The operator's routes take the operator key: the gateway here has one. */
const OPERATOR_KEY = 'mk_op_jsonbodytest0123456789abcdef';

describe('JSON bodies nested deeper than the bound', () => {
  let g: TestGateway;
  beforeAll(async () => {
    g = await createTestGateway({ operatorKey: OPERATOR_KEY });
  });
  afterAll(() => g.close());

  describe.each(JSON_ROUTES)('%s %s', (method, path) => {
    it.each([
      ['10,000 arrays', nested(10_000, 'array')],
      ['10,000 objects', nested(10_000, 'object')],
      ['10,000 arrays in a field', nested(10_000, 'array', true)],
      [`${MAX_JSON_DEPTH + 1} objects in a field`, nested(MAX_JSON_DEPTH + 1, 'object', true)],
    ])('%s: 400 VALIDATION_ERROR naming the bound', async (_name, body) => {
      const r = await g.call(method, path, {
        body,
        ...(path.startsWith('/operator/') ? { key: OPERATOR_KEY } : {}),
      });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({
        success: false,
        error_code: 'VALIDATION_ERROR',
        details: [{ field: '(body)', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
      });
    });

    it(`nesting of exactly ${MAX_JSON_DEPTH} levels is read and judged as any body`, async () => {
      const r = await g.call(method, path, { body: nested(MAX_JSON_DEPTH, 'array', true) });
      expect(r.status).toBeLessThan(500);
      expect(JSON.stringify(r.json.details)).not.toContain('nests deeper');
    });
  });

  it('a send at the bound is refused for what it says, not how deep it is', async () => {
    const body = `{"message":"hi","recipients":["+255754000111"],"extra":${nested(MAX_JSON_DEPTH - 1, 'array')}}`;
    const r = await g.call('POST', '/v1/sms/send/', { body });
    expect(r.status).toBe(400);
    expect(r.json.details).toEqual([{ field: 'extra', message: 'unknown field' }]);
  });

  it('an import at the bound stores its good rows and names the deep field of the other', async () => {
    const deep = nested(MAX_JSON_DEPTH - 2, 'object');
    const body = `[{"name":"Asha","phone_number":"0754000111"},{"name":"Juma","phone_number":"0754000112","x":${deep}}]`;
    const r = await g.call('POST', '/v1/contacts/import/', { body });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ received: 2, created: 1, failed: 1 });
    expect(r.json.data.errors).toEqual([{ row: 2, field: 'x', reason: 'unknown field' }]);
  });

  it('brackets and backslashes inside strings do not count as nesting', async () => {
    const text = `${'[{'.repeat(50)}\\"`;
    const r = await g.call('POST', '/v1/sms/quote/', {
      body: { message: text, recipients: ['+255754000111'] },
    });
    expect(r.status).toBe(200);
  });
});
