import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { countContactOp, requireKey } from '../middleware/auth';
import { readImportBody } from '../middleware/import-body';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import {
  contactChangeSchema,
  contactSchema,
  contactsQuery,
  importQuery,
  membersQuery,
  searchQuery,
  segmentChangeSchema,
  segmentSchema,
  segmentsQuery,
} from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const contactBody = jsonBody(contactSchema);
const searchParams = validQuery(searchQuery);
const segmentBody = jsonBody(segmentSchema);
const segmentsParams = validQuery(segmentsQuery);
const contactsParams = validQuery(contactsQuery);
const contactChange = jsonBody(contactChangeSchema);
const importParams = validQuery(importQuery);
const segmentChange = jsonBody(segmentChangeSchema);
const membersParams = validQuery(membersQuery);

export function contactRoutes(s: Services) {
  const reader = [requireKey(s, 'read'), countContactOp(s)] as const;
  const writer = [requireKey(s, 'write'), countContactOp(s)] as const;
  return (
    new Hono<GatewayEnv>()
      .on(
        'POST',
        ...route('/v1/contacts/create', ...writer, contactBody, async (c) => {
          const data = await s.contacts.create(c.get('principal').accountId, c.req.valid('json'));
          return ok(c, 'Contact created successfully', data, 201);
        }),
      )
      .on(
        'GET',
        ...route('/v1/contacts/search', ...reader, searchParams, async (c) => {
          const data = await s.contacts.search(c.get('principal').accountId, c.req.valid('query'));
          return ok(c, 'Contacts retrieved successfully', data);
        }),
      )
      .on(
        'POST',
        ...route('/v1/contacts/segments/create', ...writer, segmentBody, async (c) => {
          const data = await s.segments.createSegment(c.get('principal').accountId, c.req.valid('json'));
          return ok(c, 'Segment created successfully', data, 201);
        }),
      )
      .on(
        'GET',
        ...route('/v1/contacts/segments', ...reader, segmentsParams, async (c) => {
          const data = await s.segments.listSegments(c.get('principal').accountId, c.req.valid('query'));
          return ok(c, 'Segments retrieved successfully', data);
        }),
      )
      .on(
        'GET',
        ...route('/v1/contacts/segments/:segment_id', ...reader, async (c) => {
          const data = await s.segments.getSegment(c.get('principal').accountId, c.req.param('segment_id'));
          return ok(c, 'Segment retrieved successfully', data);
        }),
      )
      .on(
        'PATCH',
        ...route('/v1/contacts/segments/:segment_id', ...writer, segmentChange, async (c) => {
          const data = await s.segments.updateSegment(
            c.get('principal').accountId,
            c.req.param('segment_id'),
            c.req.valid('json'),
          );
          return ok(c, 'Segment updated successfully', data);
        }),
      )
      .on(
        'DELETE',
        ...route('/v1/contacts/segments/:segment_id', ...writer, async (c) => {
          const data = await s.segments.deleteSegment(
            c.get('principal').accountId,
            c.req.param('segment_id'),
          );
          return ok(c, 'Segment deleted', data);
        }),
      )
      .on(
        'GET',
        ...route('/v1/contacts/segments/:segment_id/contacts', ...reader, membersParams, async (c) => {
          const accountId = c.get('principal').accountId;
          const criteria = await s.segments.criteriaOf(accountId, c.req.param('segment_id'));
          const data = await s.contacts.list(accountId, { ...c.req.valid('query'), criteria });
          return ok(c, 'Segment members retrieved successfully', data);
        }),
      )
      .on(
        'POST',
        ...route('/v1/contacts/import', ...writer, importParams, async (c) => {
          const { on_conflict } = c.req.valid('query');
          const data = await s.actions.importContacts(
            c.get('principal'),
            await readImportBody(c),
            on_conflict,
          );
          return ok(c, 'Contacts imported', data);
        }),
      )
      .on(
        'GET',
        ...route('/v1/contacts', ...reader, contactsParams, async (c) => {
          const data = await s.contacts.list(c.get('principal').accountId, c.req.valid('query'));
          return ok(c, 'Contacts retrieved successfully', data);
        }),
      )
      // After every fixed path under /v1/contacts/ (search, create, segments), which answer first.
      .on(
        'GET',
        ...route('/v1/contacts/:contact_id', ...reader, async (c) => {
          const data = await s.contacts.get(c.get('principal').accountId, c.req.param('contact_id'));
          return ok(c, 'Contact retrieved successfully', data);
        }),
      )
      .on(
        'PATCH',
        ...route('/v1/contacts/:contact_id', ...writer, contactChange, async (c) => {
          const data = await s.contacts.update(
            c.get('principal').accountId,
            c.req.param('contact_id'),
            c.req.valid('json'),
          );
          return ok(c, 'Contact updated successfully', data);
        }),
      )
      .on(
        'DELETE',
        ...route('/v1/contacts/:contact_id', ...writer, async (c) => {
          const data = await s.contacts.remove(c.get('principal').accountId, c.req.param('contact_id'));
          return ok(c, 'Contact deleted', data);
        }),
      )
  );
}
