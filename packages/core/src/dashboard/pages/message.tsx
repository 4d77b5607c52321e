/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { deriveMessageStatus, publicStatus } from '../../domain/message-status';
import { toMajor } from '../../money';
import type { createMessageQueries } from '../../services/messages';
import { counted, money, Page, type PageContext, Status, when } from '../layout';

type Timeline = Awaited<ReturnType<ReturnType<typeof createMessageQueries>['timeline']>>;

/** Why a recipient ended or waits: its error code and message. */
function Reason({ code, message }: { code: string | null; message: string | null }) {
  if (!code) return null;
  return (
    <>
      {': '}
      <code>{code}</code> {message ?? ''}
    </>
  );
}

/** One message and each recipient's timeline: queued, sent (by which carrier), delivered, failed or expired (why). */
export function MessagePage({ ctx, timeline }: { ctx: PageContext; timeline: Timeline }) {
  const { message, recipients } = timeline;
  const status = deriveMessageStatus(recipients.map((r) => r.status));
  return (
    <Page ctx={ctx} title={`Message ${message.id}`} current="/messages">
      <p>
        <a href={`${ctx.root}/messages/`}>← All messages</a>
      </p>
      <section class="panel">
        <dl>
          <dt>Status</dt>
          <dd>
            <Status status={status} />
          </dd>
          <dt>Sender ID</dt>
          <dd>{message.sender_id}</dd>
          <dt>Text</dt>
          <dd style="white-space:pre-wrap">{message.body}</dd>
          <dt>Encoding and segments</dt>
          <dd>{`${message.encoding}, ${counted(message.segments, 'segment')}`}</dd>
          <dt>Cost</dt>
          <dd>{money(toMajor(Number(message.cost)), message.currency)}</dd>
          <dt>Created</dt>
          <dd>{when(message.created_at)}</dd>
          {message.schedule_time ? (
            <>
              <dt>Scheduled for</dt>
              <dd>{when(message.schedule_time)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <h2>Recipients</h2>
      {recipients.map((r) => (
        <section class="panel" data-recipient={r.phone} style="margin-bottom:.75rem">
          <h3 style="margin:.25rem 0">
            <span class="mono">{r.phone}</span> <Status status={publicStatus(r.status)} />
          </h3>
          <ol class="timeline">
            <li>{`Queued ${when(r.created_at)}`}</li>
            {r.sent_at ? <li>{`Sent ${when(r.sent_at)} via ${r.carrier_id ?? 'a carrier'}`}</li> : null}
            {r.delivered_at ? <li>{`Delivered ${when(r.delivered_at)}`}</li> : null}
            {r.failed_at ? (
              <li>
                {`Failed ${when(r.failed_at)}`}
                {r.carrier_id && !r.sent_at ? ` at ${r.carrier_id}` : ''}
                <Reason code={r.error_code} message={r.error_message} />
              </li>
            ) : null}
            {r.expired_at ? (
              <li>
                {`Expired ${when(r.expired_at)}`}
                <Reason code={r.error_code} message={r.error_message} />
              </li>
            ) : null}
            {publicStatus(r.status) === 'queued' && r.error_code ? (
              <li>
                {'Waiting to be tried again'}
                <Reason code={r.error_code} message={r.error_message} />
              </li>
            ) : null}
          </ol>
          <p class="muted">{`${counted(Number(r.attempts), 'attempt')} · operator ${r.operator ?? 'unknown'} · ${money(toMajor(Number(r.cost)), message.currency)}`}</p>
        </section>
      ))}
    </Page>
  );
}
