import { yieldToEventLoop } from '../../event-loop';
import { chunkRows, type Store } from '../../storage/store';

/** Numbers looked up in one statement (a few milliseconds); the event loop turns between them. */
const PHONES_PER_LOOKUP = 1000;

/** Who is opted out: an account's numbers among many, or (account, number) pairs of a dispatch batch. */
export function createSuppression(store: Store) {
  const { db } = store;
  /**
   * Which of `phones` (E.164) the account has opted out. An account with no opt-outs costs one index
   * probe; otherwise the numbers are looked up a page at a time, the event loop turning between pages.
   */
  async function suppressed(accountId: string, phones: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    if (phones.length === 0) return out;
    const any = await db
      .selectFrom('opt_outs')
      .select('phone')
      .where('account_id', '=', accountId)
      .limit(1)
      .executeTakeFirst();
    if (!any) return out;
    const chunks = chunkRows(
      [...new Set(phones)].map((p) => ({ p })),
      Math.min(store.maxBindParams - 1, PHONES_PER_LOOKUP),
    );
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0) await yieldToEventLoop();
      const found = await db
        .selectFrom('opt_outs')
        .select('phone')
        .where('account_id', '=', accountId)
        .where(
          'phone',
          'in',
          chunk.map((c) => c.p),
        )
        .execute();
      for (const f of found) out.add(f.phone);
    }
    return out;
  }

  /**
   * Which of these (account, number) pairs are opted out, as `${accountId} ${phone}` keys, each with
   * when it was opted out: a dispatcher's check of a claimed batch, one query per chunk whatever the
   * accounts.
   */
  async function suppressedPairs(pairs: readonly { accountId: string; phone: string }[]) {
    const out = new Map<string, string>();
    const wanted = new Set(pairs.map((p) => `${p.accountId} ${p.phone}`));
    const per = Math.max(1, Math.floor(Math.min(store.maxBindParams, 2000) / 2));
    for (let i = 0; i < pairs.length; i += per) {
      const chunk = pairs.slice(i, i + per);
      const found = await db
        .selectFrom('opt_outs')
        .select(['account_id', 'phone', 'created_at'])
        .where('account_id', 'in', [...new Set(chunk.map((p) => p.accountId))])
        .where('phone', 'in', [...new Set(chunk.map((p) => p.phone))])
        .execute();
      for (const f of found) {
        const key = `${f.account_id} ${f.phone}`;
        if (wanted.has(key)) out.set(key, f.created_at);
      }
    }
    return out;
  }

  return { suppressed, suppressedPairs };
}
