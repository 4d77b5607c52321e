import { type Insertable, sql } from 'kysely';
import type { z } from 'zod';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { csvRecords } from '../domain/csv';
import { jsonShape, parseJsonText } from '../domain/json-text';
import { normalizePhone, type PhoneOptions } from '../domain/phone';
import { unsafeFields } from '../domain/safe-text';
import { GatewayError, invalidField } from '../errors';
import { yieldToEventLoop } from '../event-loop';
import type { ContactsTable } from '../storage/schema';
import { chunkRows, type Store } from '../storage/store';
import { issueFields } from '../zod-issues';
import { type ContactInput, contactRow, contactSchema, MAX_TAGS } from './contacts';
import { tagRows } from './segment-criteria';

/** A row to import: its number in the file (the CSV line, or the JSON array's index + 1) and its fields. */
export interface ImportRow {
  row: number;
  values: Record<string, unknown>;
}

/** What an import request carries: CSV text, or the text of a JSON array of contacts. */
export type ImportSource = { csv: string } | { json: string };

export interface ImportReport {
  received: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  /** One entry per refused row (a row can have several), in row order. */
  errors: { row: number; field: string | null; reason: string }[];
}

export type OnConflict = 'skip' | 'update';

const CSV_COLUMNS = ['name', 'phone_number', 'email', 'tags', 'is_active'] as const;
const BOOLEAN: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

/** The columns a CSV import's header may name (`required` among them), and how a cell becomes a field. */
export interface CsvSpec {
  columns: readonly string[];
  required: readonly string[];
  /** Sets the field of `column` from its trimmed cell (or leaves it out). */
  read(values: Record<string, unknown>, column: string, text: string): void;
}

/** A contact list: tags separated by `;`, is_active true/false, yes/no or 1/0 (empty: active), empty email: none. */
const CONTACT_CSV: CsvSpec = {
  columns: CSV_COLUMNS,
  required: ['name', 'phone_number'],
  read(values, column, text) {
    if (column === 'tags')
      values.tags = text
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean);
    else if (column === 'email') values.email = text === '' ? null : text;
    else if (column === 'is_active') {
      if (text !== '') values.is_active = BOOLEAN[text.toLowerCase()] ?? text;
    } else values[column] = text;
  },
};

/** Rows read or checked between two yields to the event loop. */
const CHUNK_ROWS = 1000;

/** The refusal of an import with more than `maxRows` rows: given at the first row past it, where reading stops. */
export const tooManyRows = (maxRows: number) =>
  new GatewayError('VALIDATION_ERROR', `At most ${maxRows} rows per import; this one has more`, [
    { field: '(body)', message: `has more than ${maxRows} rows` },
  ]);

const unreadable = (fault: { line: number; reason: string }) =>
  new GatewayError('VALIDATION_ERROR', `The CSV cannot be read: line ${fault.line}: ${fault.reason}`, [
    { field: '(body)', message: `line ${fault.line}: ${fault.reason}` },
  ]);

/**
 * A CSV list as rows: a header naming some of `spec.columns` (those `spec.required` required, any
 * order; by default a contact list: `name, phone_number, email, tags, is_active`, name and phone_number
 * required). An unknown or missing column refuses the whole file; a bad row only itself. Reading stops
 * at the row past `maxRows`, which refuses the file, so what is held grows with the rows allowed, not
 * with the body.
 */
export async function csvRows(
  text: string,
  maxRows: number,
  spec: CsvSpec = CONTACT_CSV,
): Promise<{ rows: ImportRow[]; errors: ImportReport['errors'] }> {
  const allowed = spec.columns;
  // A record wider than a row can be is only kept as far as it shows that; the header too.
  const records = csvRecords(text, allowed.length);
  const { value: header } = records.next();
  if (!header)
    throw invalidField(
      '(body)',
      'is empty: it needs a header row',
      'The CSV is empty: it needs a header row',
    );
  if ('reason' in header) throw unreadable(header);
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = columns.filter((c) => !allowed.includes(c));
  const missing = spec.required.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (unknown.length || missing.length || repeated.length)
    throw new GatewayError(
      'VALIDATION_ERROR',
      `The CSV header must name ${allowed.join(', ')} (${spec.required.join(' and ')} required), each once`,
      [
        ...unknown.map((field) => ({ field, message: 'unknown column' })),
        ...missing.map((field) => ({ field, message: 'missing column' })),
        ...[...new Set(repeated)].map((field) => ({ field, message: 'repeated column' })),
      ],
    );
  const rows: ImportRow[] = [];
  const errors: ImportReport['errors'] = [];
  let count = 0;
  for (const record of records) {
    if ('reason' in record) throw unreadable(record);
    if (++count > maxRows) throw tooManyRows(maxRows);
    if (count % CHUNK_ROWS === 0) await yieldToEventLoop();
    const { line, fields } = record;
    if (fields.length !== columns.length) {
      const width = fields.length > allowed.length ? `more than ${allowed.length}` : fields.length;
      errors.push({ row: line, field: null, reason: `has ${width} fields, the header ${columns.length}` });
      continue;
    }
    const values: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      spec.read(values, column, fields[i]!.trim());
    });
    rows.push({ row: line, values });
  }
  return { rows, errors };
}

/**
 * A JSON array of objects (`what`: contacts by default) as rows numbered from 1 (an element that is not
 * an object is a bad row). Its elements are counted by a scan of the text before anything is built: more
 * than `maxRows` refuses it there. Malformed JSON or a non-array is INVALID_JSON.
 */
export function jsonRows(
  text: string,
  maxRows: number,
  what = 'contacts',
): { rows: ImportRow[]; errors: ImportReport['errors'] } {
  const shape = jsonShape(text, maxRows);
  if (shape.items > maxRows) throw tooManyRows(maxRows);
  const body = parseJsonText(text, shape);
  if (!Array.isArray(body))
    throw new GatewayError('INVALID_JSON', `The request body must be a JSON array of ${what}`, [
      { field: '(body)', message: `must be a JSON array of ${what}` },
    ]);
  const rows: ImportRow[] = [];
  const errors: ImportReport['errors'] = [];
  body.forEach((values: unknown, i) => {
    if (typeof values === 'object' && values !== null && !Array.isArray(values))
      rows.push({ row: i + 1, values: values as Record<string, unknown> });
    else errors.push({ row: i + 1, field: null, reason: 'must be an object' });
  });
  return { rows, errors };
}

/**
 * Why a row is too big to check field by field (each of its keys or tags would be an error of its
 * own), or null: so what one row costs is bounded by what a contact can hold, not by the body.
 */
function oversized(values: Record<string, unknown>): { field: string | null; reason: string } | null {
  const fields = Object.keys(values).length;
  if (fields > CSV_COLUMNS.length)
    return { field: null, reason: `has ${fields} fields; a contact has ${CSV_COLUMNS.join(', ')}` };
  const { tags } = values;
  if (Array.isArray(tags) && tags.length > MAX_TAGS)
    return { field: 'tags', reason: `has ${tags.length} tags; a contact has at most ${MAX_TAGS}` };
  return null;
}

/** A row that passed its checks: its number in the file, its fields, and its number in E.164. */
export interface ValidRow<T> {
  row: number;
  input: T;
  phone: string;
}

/**
 * The rows that pass, each bad one reported in `errors` (its number, field and reason): too big to
 * check field by field (`oversized`), text no database can store, refused by `schema`, an invalid
 * `phone_number`, or a number an earlier row already has. Checked in turns of the event loop.
 */
export async function validRows<T extends { phone_number: string }>(
  rows: readonly ImportRow[],
  errors: ImportReport['errors'],
  check: {
    schema: z.ZodType<T>;
    phoneOptions: PhoneOptions;
    oversized: (values: Record<string, unknown>) => { field: string | null; reason: string } | null;
  },
): Promise<ValidRow<T>[]> {
  const valid: ValidRow<T>[] = [];
  const seen = new Map<string, number>();
  for (const [i, { row, values }] of rows.entries()) {
    if (i > 0 && i % CHUNK_ROWS === 0) await yieldToEventLoop();
    const tooBig = check.oversized(values);
    if (tooBig) {
      errors.push({ row, ...tooBig });
      continue;
    }
    // Text no database can store (U+0000, a lone surrogate) refuses the row, as it refuses a request.
    const unsafe = unsafeFields(values);
    if (unsafe.length) {
      for (const u of unsafe) errors.push({ row, field: u.field, reason: u.message });
      continue;
    }
    const parsed = check.schema.safeParse(values);
    if (!parsed.success) {
      for (const issue of issueFields(parsed.error))
        errors.push({ row, field: issue.field, reason: issue.message });
      continue;
    }
    const phone = normalizePhone(parsed.data.phone_number, check.phoneOptions);
    if (!phone.ok) {
      errors.push({ row, field: 'phone_number', reason: phone.reason });
      continue;
    }
    const first = seen.get(phone.e164);
    if (first !== undefined) {
      errors.push({ row, field: 'phone_number', reason: `${phone.e164} repeats row ${first}` });
      continue;
    }
    seen.set(phone.e164, row);
    valid.push({ row, input: parsed.data, phone: phone.e164 });
  }
  return valid;
}

/** The rows an import received (parsed ones and those refused before parsing), refused past `maxRows`. */
export function receivedRows(rows: readonly ImportRow[], earlier: ImportReport['errors'], maxRows: number) {
  const received = rows.length + new Set(earlier.map((e) => e.row)).size;
  if (received > maxRows) throw tooManyRows(maxRows);
  return received;
}

/** How many rows `errors` refused (a row can have several errors). */
export const failedRows = (errors: ImportReport['errors']) => new Set(errors.map((e) => e.row)).size;

/**
 * Bulk import of contacts, upserted by phone number. Every valid row is stored in one atomic step (a
 * few multi-row statements), or none is; a bad row (its number, field and reason reported) does not
 * stop the others. National numbers are read in the configured default region.
 */
export function createContactImport(deps: { store: Store; clock: Clock; config: MifumoConfig }) {
  const { store, clock, config } = deps;
  const { db } = store;
  const maxRows = config.contacts.maxImportRows;
  const phoneOptions = { defaultRegion: config.defaultRegion, strict: config.messages.strictPhoneValidation };

  async function existing(accountId: string, phones: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const chunk of chunkRows(
      phones.map((p) => ({ p })),
      store.maxBindParams - 1,
    )) {
      const found = await db
        .selectFrom('contacts')
        .select(['id', 'phone'])
        .where('account_id', '=', accountId)
        .where(
          'phone',
          'in',
          chunk.map((c) => c.p),
        )
        .execute();
      for (const f of found) ids.set(f.phone, f.id);
    }
    return ids;
  }

  /** The statements of one attempt, and its counts; fails (unique or foreign key) if another import raced it. */
  async function statements(accountId: string, valid: ValidRow<ContactInput>[], onConflict: OnConflict) {
    const known = await existing(
      accountId,
      valid.map((v) => v.phone),
    );
    const at = iso(clock.now());
    const stored = onConflict === 'update' ? valid : valid.filter((v) => !known.has(v.phone));
    // Rows that leave a column out keep its value: grouped by the optional columns they carry.
    const groups = new Map<string, { rows: Insertable<ContactsTable>[]; update: (keyof ContactsTable)[] }>();
    const tagged: { id: string; tags: string[] }[] = [];
    const replaced: { id: string }[] = [];
    for (const v of stored) {
      const row = contactRow(accountId, v.input, v.phone, at);
      const id = known.get(v.phone);
      if (id !== undefined) row.id = id;
      const update: (keyof ContactsTable)[] = ['name', 'search_name', 'updated_at'];
      if (v.input.email !== undefined) update.push('email', 'search_email');
      if (v.input.is_active !== undefined) update.push('is_active');
      const key = update.join();
      const group = groups.get(key) ?? { rows: [], update };
      group.rows.push(row);
      groups.set(key, group);
      // A known contact's tags are replaced when the row gives them (an empty list clears them).
      if (id !== undefined && v.input.tags !== undefined) replaced.push({ id });
      if (id === undefined || v.input.tags !== undefined)
        tagged.push({ id: row.id, tags: v.input.tags ?? [] });
    }
    const queries = [];
    for (const { rows, update } of groups.values())
      for (const chunk of chunkRows(rows, store.maxBindParams))
        queries.push(
          db
            .insertInto('contacts')
            .values(chunk)
            .onConflict((oc) => {
              const on = oc.columns(['account_id', 'phone']);
              // skip: a row another request stored meanwhile is left alone (its tags then fail the attempt).
              return onConflict === 'skip'
                ? on.doNothing()
                : on.doUpdateSet((eb) => Object.fromEntries(update.map((c) => [c, eb.ref(`excluded.${c}`)])));
            })
            .compile(),
        );
    for (const chunk of chunkRows(replaced, store.maxBindParams))
      queries.push(
        db
          .deleteFrom('contact_tags')
          .where(
            'contact_id',
            'in',
            chunk.map((c) => c.id),
          )
          .compile(),
      );
    const tags = tagged.flatMap((t) => tagRows(t.id, accountId, t.tags));
    for (const chunk of chunkRows(tags, store.maxBindParams))
      queries.push(db.insertInto('contact_tags').values(chunk).compile());
    if (stored.length)
      queries.push(
        db
          .updateTable('accounts')
          .set({ contacts_version: sql`contacts_version + 1` })
          .where('id', '=', accountId)
          .compile(),
      );
    const updated = stored.filter((v) => known.has(v.phone)).length;
    return {
      queries,
      created: stored.length - updated,
      updated,
      skipped: valid.length - stored.length,
    };
  }

  async function importRows(
    accountId: string,
    rows: readonly ImportRow[],
    onConflict: OnConflict,
    earlier: ImportReport['errors'] = [],
  ): Promise<ImportReport> {
    const received = receivedRows(rows, earlier, maxRows);
    const errors = [...earlier];
    const valid = await validRows(rows, errors, { schema: contactSchema, phoneOptions, oversized });
    errors.sort((a, b) => a.row - b.row);
    for (let attempt = 1; ; attempt++) {
      const plan = await statements(accountId, valid, onConflict);
      try {
        await store.atomic(plan.queries);
      } catch (e) {
        const raced =
          store.violates(e, { kind: 'unique', table: 'contacts' }) ||
          store.violates(e, { kind: 'foreign_key' });
        if (raced && attempt < 3) continue;
        throw e;
      }
      const { queries: _, ...counts } = plan;
      return { received, ...counts, failed: failedRows(errors), errors };
    }
  }

  return {
    maxRows,
    /** Rows as JSON objects. */
    importRows,
    /** A JSON array of contacts (`jsonRows`, the API's JSON body); elements that are not objects are reported as bad rows. */
    async importJson(accountId: string, text: string, onConflict: OnConflict) {
      const { rows, errors } = jsonRows(text, maxRows);
      return importRows(accountId, rows, onConflict, errors);
    },
    /** A CSV file (`csvRows`); rows it cannot read are reported like any other bad row. */
    async importCsv(accountId: string, text: string, onConflict: OnConflict) {
      const { rows, errors } = await csvRows(text, maxRows);
      return importRows(accountId, rows, onConflict, errors);
    },
  };
}

export type ContactImport = ReturnType<typeof createContactImport>;
