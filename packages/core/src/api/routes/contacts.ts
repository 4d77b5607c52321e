import { Hono } from 'hono';
import { createFactory } from 'hono/factory';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { countContactOp, requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { withSlash } from '../routes';
import { contactSchema, searchQuery, segmentSchema } from '../schemas';
import type { Services } from '../services';
import { validate } from '../validate';

const f = createFactory<GatewayEnv>();

export function contactRoutes(s: Services) {
  const create = f.createHandlers(
    requireKey(s, 'write'),
    countContactOp(s),
    jsonBody(),
    validate('json', contactSchema),
    async (c) => {
      const data = await s.contacts.create(c.get('principal').accountId, c.req.valid('json'));
      return ok(c, 'Contact created successfully', data, 201);
    },
  );

  const search = f.createHandlers(
    requireKey(s, 'read'),
    countContactOp(s),
    validate('query', searchQuery),
    async (c) => {
      const data = await s.contacts.search(c.get('principal').accountId, c.req.valid('query'));
      return ok(c, 'Contacts retrieved successfully', data);
    },
  );

  const createSegment = f.createHandlers(
    requireKey(s, 'write'),
    countContactOp(s),
    jsonBody(),
    validate('json', segmentSchema),
    async (c) => {
      const data = await s.segments.createSegment(c.get('principal').accountId, c.req.valid('json'));
      return ok(c, 'Segment created successfully', data, 201);
    },
  );

  const listSegments = f.createHandlers(requireKey(s, 'read'), countContactOp(s), async (c) => {
    const segments = await s.segments.listSegments(c.get('principal').accountId);
    return ok(c, 'Segments retrieved successfully', { segments });
  });

  const getSegment = f.createHandlers(requireKey(s, 'read'), countContactOp(s), async (c) => {
    const data = await s.segments.getSegment(c.get('principal').accountId, c.req.param('segment_id')!);
    return ok(c, 'Segment retrieved successfully', data);
  });

  const [createPath, createSlash] = withSlash('/v1/contacts/create');
  const [searchPath, searchSlash] = withSlash('/v1/contacts/search');
  const [segCreatePath, segCreateSlash] = withSlash('/v1/contacts/segments/create');
  const [segListPath, segListSlash] = withSlash('/v1/contacts/segments');
  const [segPath, segSlash] = withSlash('/v1/contacts/segments/:segment_id');
  return new Hono<GatewayEnv>()
    .post(createPath, ...create)
    .post(createSlash, ...create)
    .get(searchPath, ...search)
    .get(searchSlash, ...search)
    .post(segCreatePath, ...createSegment)
    .post(segCreateSlash, ...createSegment)
    .get(segListPath, ...listSegments)
    .get(segListSlash, ...listSegments)
    .get(segPath, ...getSegment)
    .get(segSlash, ...getSegment);
}
