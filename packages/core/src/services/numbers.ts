import type { Selectable } from 'kysely';
import { type Clock, iso } from '../clock';
import { keywordOf } from '../domain/keywords';
import type { OptOutRoute } from '../domain/opt-out-footer';
import { normalizeServiceNumber } from '../domain/phone';
import { checkWebhookUrl } from '../domain/webhook-url';
import { GatewayError, invalidField } from '../errors';
import { newId } from '../ids';
import { insertForAccount } from '../storage/for-account';
import type { InboundNumbersTable } from '../storage/schema';
import type { Store } from '../storage/store';

/** What a number is checked against: the configuration's region, carriers and webhook rules. */
export interface NumberRules {
  defaultRegion: string;
  carrierIds: readonly string[];
  allowPrivateNetworks: boolean;
}

export interface NumberInput {
  accountId: string;
  /** A short code of 3–8 digits, or a long number (E.164, or national in the default region). */
  number: string;
  /** One word; none (or '') for the messages no keyword of the number matches. */
  keyword?: string | null | undefined;
  /** Only messages from this carrier; none: any carrier. */
  carrierId?: string | null | undefined;
  /** Where its `message.received` events go; none: the account's webhook URL. */
  webhookUrl?: string | null | undefined;
}

/** A number as listed: `keyword` null when it has none. */
export type NumberView = Omit<Selectable<InboundNumbersTable>, 'keyword'> & { keyword: string | null };

export const numberView = (n: Selectable<InboundNumbersTable>): NumberView => ({
  ...n,
  keyword: n.keyword === '' ? null : n.keyword,
});

/** The number kept for `input`, or VALIDATION_ERROR naming `field`. */
function numberOf(input: string, defaultRegion: string, field: string): string {
  const number = normalizeServiceNumber(input, defaultRegion);
  if (number === null)
    throw invalidField(
      field,
      `${JSON.stringify(input)} is neither a short code (3-8 digits) nor a phone number`,
    );
  return number;
}

/** The keyword kept for `input` ('' for none), or VALIDATION_ERROR. */
function keywordFor(input: string | null | undefined): string {
  if (input === undefined || input === null || input === '') return '';
  const k = keywordOf(input);
  if (!k.ok) throw invalidField('keyword', k.reason, `keyword ${JSON.stringify(input)} ${k.reason}`);
  return k.keyword;
}

const shown = (number: string, keyword: string) => (keyword ? `${number} with keyword ${keyword}` : number);

/**
 * The numbers (and keywords on shared numbers) accounts receive on: the operator adds and removes
 * them (the CLI, `mifumo.admin`); an account lists its own.
 */
export function createNumbers({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  const holderOf = (number: string, keyword: string) =>
    db
      .selectFrom('inbound_numbers')
      .selectAll()
      .where('number', '=', number)
      .where('keyword', '=', keyword)
      .executeTakeFirst();

  return {
    /**
     * Gives an account a number (with a keyword, when it shares it). Refuses a bad number, keyword,
     * carrier or webhook URL (VALIDATION_ERROR), an unknown account (NOT_FOUND), and a number and
     * keyword another row holds (CONFLICT naming its account).
     */
    async addNumber(input: NumberInput, rules: NumberRules): Promise<NumberView> {
      const number = numberOf(input.number, rules.defaultRegion, 'number');
      const keyword = keywordFor(input.keyword);
      const carrierId = input.carrierId || null;
      if (carrierId !== null && !rules.carrierIds.includes(carrierId))
        throw invalidField(
          'carrier',
          `${JSON.stringify(carrierId)} is not a configured carrier (${rules.carrierIds.join(', ')})`,
        );
      const webhookUrl = input.webhookUrl || null;
      if (webhookUrl !== null) checkWebhookUrl(webhookUrl, rules.allowPrivateNetworks);
      let row: Selectable<InboundNumbersTable> | undefined;
      try {
        row = await insertForAccount(db, 'inbound_numbers', input.accountId, {
          id: newId('num', clock.now()),
          number,
          keyword,
          carrier_id: carrierId,
          webhook_url: webhookUrl,
          created_at: iso(clock.now()),
        })
          .returningAll()
          .executeTakeFirst();
      } catch (e) {
        if (!store.violates(e, { kind: 'unique', table: 'inbound_numbers' })) throw e;
        const holder = await holderOf(number, keyword);
        throw new GatewayError(
          'CONFLICT',
          `${shown(number, keyword)} is already held by account ${holder?.account_id ?? '(unknown)'}`,
          {
            reason: 'number_taken',
            number,
            keyword: keyword || null,
            account_id: holder?.account_id ?? null,
          },
        );
      }
      if (!row) throw new GatewayError('NOT_FOUND', `No account ${input.accountId}`);
      return numberView(row);
    },

    /** Every number (of one account when given), by number then keyword. */
    async listNumbers(accountId?: string): Promise<NumberView[]> {
      const rows = await db
        .selectFrom('inbound_numbers')
        .selectAll()
        .$if(accountId !== undefined, (q) => q.where('account_id', '=', accountId!))
        .orderBy('number')
        .orderBy('keyword')
        .execute();
      return rows.map(numberView);
    },

    /**
     * Where the account's recipients send the opt-out keyword (what its promotional footer names): its
     * oldest number without a keyword, else its oldest keyword on a shared number; null when it has
     * none. One indexed query.
     */
    async optOutRoute(accountId: string): Promise<OptOutRoute | null> {
      const row = await db
        .selectFrom('inbound_numbers')
        .select(['number', 'keyword'])
        .where('account_id', '=', accountId)
        .orderBy((eb) => eb.case().when('keyword', '=', '').then(0).else(1).end())
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row ? { number: row.number, keyword: row.keyword === '' ? null : row.keyword } : null;
    },

    /** Removes a number (its keyword row when given); NOT_FOUND when no such row. Its messages stay. */
    async removeNumber(input: string, keywordInput: string | null | undefined, defaultRegion: string) {
      const number = numberOf(input, defaultRegion, 'number');
      const keyword = keywordFor(keywordInput);
      const row = await db
        .deleteFrom('inbound_numbers')
        .where('number', '=', number)
        .where('keyword', '=', keyword)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new GatewayError('NOT_FOUND', `No number ${shown(number, keyword)}`);
      return numberView(row);
    },
  };
}
