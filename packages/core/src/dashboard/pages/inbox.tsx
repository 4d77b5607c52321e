/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Conversations } from '../../services/conversations';
import {
  Csrf,
  counted,
  Notice,
  Page,
  type PageContext,
  Pager,
  query,
  Status,
  Table,
  whenIn,
} from '../layout';

type Listed = Awaited<ReturnType<Conversations['list']>>;
type Conversation = Awaited<ReturnType<Conversations['get']>>;

/** Which time zone a page's times are in. */
export const ZoneNote = ({ zone }: { zone: string }) => (
  <p class="muted" data-zone={zone}>{`Times in ${zone}.`}</p>
);

const conversationPath = (ctx: PageContext, from: string) => `${ctx.root}/inbox/${encodeURIComponent(from)}/`;

/** One row per subscriber who wrote in, with their latest message; the newest conversation first. */
export function InboxPage({ ctx, zone, data }: { ctx: PageContext; zone: string; data: Listed }) {
  const { conversations, pagination } = data;
  const when = whenIn(zone);
  return (
    <Page ctx={ctx} title="Inbox" current="/inbox">
      <ZoneNote zone={zone} />
      {conversations.length === 0 ? (
        <p>No messages received yet.</p>
      ) : (
        <Table columns={['From', 'Latest message', 'Received', 'On number', { num: 'Messages' }]}>
          {conversations.map((c) => (
            <tr data-conversation={c.from}>
              <td class="mono">
                <a href={conversationPath(ctx, c.from)}>{c.from}</a>
              </td>
              <td class="wrap">{c.latest.text}</td>
              <td>{when(c.latest.at)}</td>
              <td class="mono">{c.latest.to}</td>
              <td class="num">{c.messages}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager of={pagination} href={(page) => query({ page })} />
    </Page>
  );
}

/** A conversation, oldest first, and a box to reply to the latest message received. */
export function ConversationPage({
  ctx,
  zone,
  conversation,
  notice,
  error,
}: {
  ctx: PageContext;
  zone: string;
  conversation: Conversation;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { from, items } = conversation;
  const when = whenIn(zone);
  return (
    <Page ctx={ctx} title={`Conversation with ${from}`} current="/inbox">
      <p>
        <a href={`${ctx.root}/inbox/`}>← Inbox</a>
      </p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <ZoneNote zone={zone} />
      <Table
        columns={['When', 'Direction', 'Our number', 'Message', 'Status']}
        caption={counted(items.length, 'message')}
      >
        {items.map((m) => (
          <tr data-item={m.id} data-direction={m.direction}>
            <td>{when(m.at)}</td>
            <td>{m.direction === 'in' ? 'Received' : 'Sent'}</td>
            <td class="mono">{m.number}</td>
            <td class="wrap" style="white-space:pre-wrap">
              {m.text}
            </td>
            <td>
              {m.direction === 'out' ? (
                <a href={`${ctx.root}/messages/${encodeURIComponent(m.messageId)}/`}>
                  <Status status={m.status} />
                </a>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </Table>
      <h2>Reply</h2>
      <section class="panel">
        <p class="muted">
          Answers the latest message received, from the number it came in on (a transactional message, charged
          as any send).
        </p>
        <form method="post" action={`${conversationPath(ctx, from)}reply`} class="grid">
          <Csrf ctx={ctx} />
          <div style="grid-column:1/-1">
            <label for="reply">Message</label>
            <textarea id="reply" name="message" rows={3} required />
          </div>
          <div>
            <button type="submit">Send reply</button>
          </div>
        </form>
      </section>
    </Page>
  );
}
