import type { Selectable } from 'kysely';
import type { ConsentEventsTable, OptOutsTable } from '../../storage/schema';

export type OptOutRow = Selectable<OptOutsTable>;

export const entryView = (r: OptOutRow) => ({
  phone_number: r.phone,
  reason: r.reason,
  source: r.source,
  inbound_id: r.inbound_id,
  created_at: r.created_at,
});

export const eventView = (e: Selectable<ConsentEventsTable>) => ({
  id: e.id,
  action: e.action,
  source: e.source,
  reason: e.reason,
  evidence: e.evidence,
  api_key_id: e.api_key_id,
  inbound_id: e.inbound_id,
  created_at: e.created_at,
});
