/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { deriveMessageStatus, publicStatus } from '../../domain/message-status';
import { toMajor } from '../../money';
import type { createMessageQueries } from '../../services/messages';
import { Notices, Page, type PageContext, ShortId, Status, Time } from '../layout';

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

/** Seconds between reloads of a message's page while a recipient is on its way (queued or sent). */
const RELOAD_SECONDS = 2;

/**
 * One message and each recipient's timeline: queued, sent (by which carrier), delivered, failed or
 * expired (why). While a recipient is on its way the page reloads itself, until every one is final
 * (a scheduled message waits for its time without reloading).
 */
export function MessagePage({
  ctx,
  timeline,
  notice,
}: {
  ctx: PageContext;
  timeline: Timeline;
  /** What was just done (a message sent from the dashboard). */
  notice?: string | undefined;
}) {
  const { t, fmt } = ctx;
  const { message, recipients } = timeline;
  const status = deriveMessageStatus(recipients.map((r) => r.status));
  const at = fmt.whenExact;
  return (
    <Page
      ctx={ctx}
      title={t('message.title', { id: message.id })}
      heading={t.parts('message.title', { id: <ShortId ctx={ctx} id={message.id} /> })}
      current="/messages"
      refresh={status === 'queued' || status === 'sent' ? RELOAD_SECONDS : undefined}
    >
      <Notices notice={notice} />
      <p>
        <a href={`${ctx.root}/messages/`}>{t('message.back')}</a>
      </p>
      <section class="panel">
        <dl>
          <dt>{t('common.status')}</dt>
          <dd>
            <Status ctx={ctx} status={status} />
          </dd>
          <dt>{t('message.senderId')}</dt>
          <dd>{message.sender_id}</dd>
          <dt>{t('message.text')}</dt>
          <dd style="white-space:pre-wrap">{message.body}</dd>
          <dt>{t('message.encoding')}</dt>
          <dd>{`${message.encoding}, ${t.count('segment', message.segments)}`}</dd>
          <dt>{t('common.cost')}</dt>
          <dd>{fmt.money(toMajor(Number(message.cost)), message.currency)}</dd>
          <dt>{t('common.created')}</dt>
          <dd>
            <Time ctx={ctx} at={message.created_at} />
          </dd>
          {message.schedule_time ? (
            <>
              <dt>{t('message.scheduled')}</dt>
              <dd>
                <Time ctx={ctx} at={message.schedule_time} />
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <h2>{t('message.recipients')}</h2>
      {recipients.map((r) => (
        <section class="panel" data-recipient={r.phone} style="margin-bottom:.75rem">
          <h3 style="margin:.25rem 0">
            <span class="mono">{r.phone}</span> <Status ctx={ctx} status={publicStatus(r.status)} />
          </h3>
          <ol class="timeline">
            <li>{t('timeline.queued', { when: at(r.created_at) })}</li>
            {r.sent_at ? (
              <li>
                {t('timeline.sent', { when: at(r.sent_at), carrier: r.carrier_id ?? t('timeline.aCarrier') })}
              </li>
            ) : null}
            {r.delivered_at ? <li>{t('timeline.delivered', { when: at(r.delivered_at) })}</li> : null}
            {r.failed_at ? (
              <li>
                {r.carrier_id && !r.sent_at
                  ? t('timeline.failedAt', { when: at(r.failed_at), carrier: r.carrier_id })
                  : t('timeline.failed', { when: at(r.failed_at) })}
                <Reason code={r.error_code} message={r.error_message} />
              </li>
            ) : null}
            {r.expired_at ? (
              <li>
                {t('timeline.expired', { when: at(r.expired_at) })}
                <Reason code={r.error_code} message={r.error_message} />
              </li>
            ) : null}
            {publicStatus(r.status) === 'queued' && r.error_code ? (
              <li>
                {t('timeline.waiting')}
                <Reason code={r.error_code} message={r.error_message} />
              </li>
            ) : null}
          </ol>
          <p class="muted">
            {t('timeline.summary', {
              attempts: t.count('attempt', Number(r.attempts)),
              operator: r.operator ?? t('timeline.unknownOperator'),
              cost: fmt.money(toMajor(Number(r.cost)), message.currency),
            })}
          </p>
        </section>
      ))}
    </Page>
  );
}
