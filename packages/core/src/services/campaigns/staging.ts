import { type Clock, iso } from '../../clock';
import { yieldToEventLoop } from '../../event-loop';
import { createRowInserter } from '../../storage/insert-rows';
import type { Store } from '../../storage/store';
import {
  MESSAGE_COLUMNS,
  messageRow,
  RECIPIENT_COLUMNS,
  recipientRows,
  type StoredSend,
} from '../send/statements';

/** Rows written, or moved, in one atomic step: a few milliseconds of the database's write lock. */
export const ROWS_PER_STEP = 1000;

/** Steps of one campaign's move per `prepareDue`, so the dispatcher's batches come between them. */
const STEPS_PER_PREPARE = 20;

/** Staged rows of a campaign that was never stored (its process died before the debit) are dropped after this. */
const ABANDONED_AFTER_MS = 3_600_000;

/**
 * A campaign's messages and recipients on their way in, so that no step holds the database for long:
 * `stage` writes them, about `ROWS_PER_STEP` rows a step, into tables nothing else reads; the campaign's own
 * atomic step (its debit) then makes them the campaign's, and `move` carries them into `messages` and
 * `recipients` a step at a time. Each move step inserts rows under the ids they were staged with and
 * deletes exactly the staged rows that are now stored, so a move stopped anywhere (a crash, two
 * processes at once) resumes with no recipient lost or doubled. Messages move before recipients.
 */
export function createStaging(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  const { db } = store;
  const stageMessages = createRowInserter(db, 'staged_messages', MESSAGE_COLUMNS, store.maxBindParams);
  const stageRecipients = createRowInserter(
    db,
    'staged_recipients',
    [...RECIPIENT_COLUMNS, 'campaign_id'],
    store.maxBindParams,
  );

  const nextStaged = (table: 'staged_messages' | 'staged_recipients', campaignId: string) =>
    db
      .selectFrom(table)
      .select('id')
      .where('campaign_id', '=', campaignId)
      .orderBy('id')
      .limit(ROWS_PER_STEP);

  /** The next staged rows of the campaign from `from` into `to`, and those rows out of staging, in one atomic step. */
  function moveRows(
    from: 'staged_messages' | 'staged_recipients',
    to: 'messages' | 'recipients',
    columns: readonly string[],
    campaignId: string,
  ) {
    // The two pairs share the columns moved; Kysely cannot type a table chosen at run time.
    const cols = columns as typeof MESSAGE_COLUMNS;
    const next = nextStaged(from, campaignId);
    return store.atomic([
      db
        .insertInto(to as 'messages')
        .columns(cols)
        .expression(
          db
            .selectFrom(from as 'staged_messages')
            .select(cols)
            .where('id', 'in', next),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .compile(),
      db
        .deleteFrom(from)
        .where('id', 'in', db.selectFrom(to).select('id').where('id', 'in', next))
        .compile(),
    ]);
  }

  /** One step: the next staged messages of the campaign, or (once none is left) its next recipients; false when nothing was left. */
  async function moveStep(campaignId: string): Promise<boolean> {
    if (await nextStaged('staged_messages', campaignId).executeTakeFirst()) {
      await moveRows('staged_messages', 'messages', MESSAGE_COLUMNS, campaignId);
      return true;
    }
    if (!(await nextStaged('staged_recipients', campaignId).executeTakeFirst())) return false;
    await moveRows('staged_recipients', 'recipients', RECIPIENT_COLUMNS, campaignId);
    return true;
  }

  /**
   * Moves a stored campaign's staged rows, a step at a time between turns of the event loop, all of
   * them or at most `maxSteps` steps; whether none is left.
   */
  async function move(campaignId: string, maxSteps = Number.POSITIVE_INFINITY) {
    for (let step = 0; step < maxSteps; step++) {
      if (!(await moveStep(campaignId))) return true;
      await yieldToEventLoop();
    }
    return false;
  }

  /** Deletes a campaign's staged rows (it was refused, or never stored), a step at a time. */
  async function discard(campaignId: string) {
    for (const table of ['staged_messages', 'staged_recipients'] as const)
      while (await nextStaged(table, campaignId).executeTakeFirst()) {
        await db.deleteFrom(table).where('id', 'in', nextStaged(table, campaignId)).execute();
        await yieldToEventLoop();
      }
  }

  return {
    /**
     * Writes the campaign's drafts, each with its recipients, in steps of about `ROWS_PER_STEP` rows
     * between turns of the event loop; each draft's message id and the rest of its row come with it.
     */
    async stage(campaignId: string, sends: StoredSend[]) {
      const campaign_id = campaignId;
      let messages: (ReturnType<typeof messageRow> & { campaign_id: string })[] = [];
      let recipients: (ReturnType<typeof recipientRows>[number] & { campaign_id: string })[] = [];
      const flush = async () => {
        await store.atomic([...stageMessages(messages), ...stageRecipients(recipients)]);
        messages = [];
        recipients = [];
        await yieldToEventLoop();
      };
      for (const stored of sends) {
        // A message is written in the same step as its first recipients: none is staged without one.
        messages.push({ ...messageRow(stored), campaign_id });
        for (let start = 0; start < stored.draft.recipients.length; start += ROWS_PER_STEP) {
          for (const r of recipientRows(stored, start, start + ROWS_PER_STEP))
            recipients.push({ ...r, campaign_id });
          if (messages.length + recipients.length >= ROWS_PER_STEP) await flush();
        }
      }
      if (messages.length + recipients.length > 0) await flush();
    },

    move,
    discard,

    /** How many recipients of each of these campaigns are still staged (a page of at most 50 ids). */
    async counts(accountId: string, campaignIds: string[]): Promise<Map<string, number>> {
      if (campaignIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('staged_recipients')
        .select(['campaign_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('account_id', '=', accountId)
        .where('campaign_id', 'in', campaignIds)
        .groupBy('campaign_id')
        .execute();
      return new Map(rows.map((r) => [r.campaign_id, Number(r.n)]));
    },

    /**
     * Moves up to `STEPS_PER_PREPARE` steps of each stored campaign's staged rows, and discards those of
     * campaigns never stored once they are old enough that their request cannot still be running;
     * whether a stored campaign has rows left to move. The work loops run it.
     */
    async prepareDue(): Promise<boolean> {
      let unfinished = false;
      const staged = await db.selectFrom('staged_recipients').select('campaign_id').distinct().execute();
      for (const { campaign_id: id } of staged) {
        const stored = await db.selectFrom('campaigns').select('id').where('id', '=', id).executeTakeFirst();
        if (stored) {
          if (!(await move(id, STEPS_PER_PREPARE))) unfinished = true;
          continue;
        }
        const oldest = await db
          .selectFrom('staged_recipients')
          .select((eb) => eb.fn.min('created_at').as('at'))
          .where('campaign_id', '=', id)
          .executeTakeFirst();
        if (oldest?.at && oldest.at < iso(clock.now() - ABANDONED_AFTER_MS)) await discard(id);
      }
      return unfinished;
    },
  };
}

export type Staging = ReturnType<typeof createStaging>;
