/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Conversations } from '../../services/conversations';
import { type FormState, stateFor, TextAreaField } from '../fields';
import {
  Csrf,
  Notices,
  Page,
  type PageContext,
  Pager,
  query,
  Status,
  Table,
  Time,
  ZoneNote,
} from '../layout';
import type { Refusal } from '../refusal';

type Listed = Awaited<ReturnType<Conversations['list']>>;
type Conversation = Awaited<ReturnType<Conversations['get']>>;

const conversationPath = (ctx: PageContext, from: string) => `${ctx.root}/inbox/${encodeURIComponent(from)}/`;

/** One row per subscriber who wrote in, with their latest message; the newest conversation first. */
export function InboxPage({ ctx, data }: { ctx: PageContext; data: Listed }) {
  const { t, fmt } = ctx;
  const { conversations, pagination } = data;
  return (
    <Page ctx={ctx} title={t('nav.inbox')} current="/inbox">
      <ZoneNote ctx={ctx} />
      {conversations.length === 0 ? (
        <p>{t('inbox.none')}</p>
      ) : (
        <Table
          columns={[
            t('inbox.from'),
            t('inbox.latest'),
            t('inbox.received'),
            t('inbox.onNumber'),
            { num: t('inbox.messages') },
          ]}
        >
          {conversations.map((c) => (
            <tr data-conversation={c.from}>
              <td class="mono">
                <a href={conversationPath(ctx, c.from)}>{c.from}</a>
              </td>
              <td class="wrap">{c.latest.text}</td>
              <td>
                <Time ctx={ctx} at={c.latest.at} />
              </td>
              <td class="mono">{c.latest.to}</td>
              <td class="num">{fmt.number(c.messages)}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager ctx={ctx} of={pagination} href={(page) => query({ page })} />
    </Page>
  );
}

/** A conversation, oldest first, and a box to reply to the latest message received. */
export function ConversationPage({
  ctx,
  conversation,
  notice,
  error,
  form,
}: {
  ctx: PageContext;
  conversation: Conversation;
  notice?: string | undefined;
  error?: Refusal | undefined;
  /** The reply as it was refused. */
  form?: FormState | undefined;
}) {
  const { t } = ctx;
  const { from, items } = conversation;
  const replying = stateFor(form, `${conversationPath(ctx, from)}reply`);
  return (
    <Page ctx={ctx} title={t('conversation.title', { from })} current="/inbox">
      <p>
        <a href={`${ctx.root}/inbox/`}>{t('conversation.back')}</a>
      </p>
      <Notices error={error} notice={notice} />
      <ZoneNote ctx={ctx} />
      <Table
        columns={[
          t('common.when'),
          t('conversation.direction'),
          t('conversation.ourNumber'),
          t('common.message'),
          t('common.status'),
        ]}
        caption={t.count('message', items.length)}
      >
        {items.map((m) => (
          <tr data-item={m.id} data-direction={m.direction}>
            <td>
              <Time ctx={ctx} at={m.at} />
            </td>
            <td>{t(m.direction === 'in' ? 'conversation.in' : 'conversation.out')}</td>
            <td class="mono">{m.number}</td>
            <td class="wrap" style="white-space:pre-wrap">
              {m.text}
            </td>
            <td>
              {m.direction === 'out' ? (
                <a href={`${ctx.root}/messages/${encodeURIComponent(m.messageId)}/`}>
                  <Status ctx={ctx} status={m.status} />
                </a>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </Table>
      <h2>{t('conversation.reply')}</h2>
      <section class="panel">
        <p class="muted">{t('conversation.replyHelp')}</p>
        <form method="post" action={replying.action} class="grid">
          <Csrf ctx={ctx} />
          <TextAreaField
            form={replying}
            name="message"
            id="reply"
            label={t('common.message')}
            attributes={{ rows: 3, required: true }}
          />
          <div>
            <button type="submit">{t('conversation.send')}</button>
          </div>
        </form>
      </section>
    </Page>
  );
}
