/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Consent } from '../../services/consent';
import {
  Csrf,
  FilterForm,
  Notice,
  Page,
  type PageContext,
  Pager,
  PhoneNumberField,
  query,
  Table,
  whenIn,
} from '../layout';
import { ZoneNote } from './inbox';

type Listed = Awaited<ReturnType<Consent['list']>>;
type History = Awaited<ReturnType<Consent['history']>>;

interface Messages {
  notice?: string | undefined;
  error?: string | undefined;
}

const historyPath = (ctx: PageContext, phone: string) => `${ctx.root}/opt-outs/${encodeURIComponent(phone)}/`;

/** The account's opted-out numbers (newest first, searchable by number) and a form to add one. */
export function OptOutsPage({
  ctx,
  zone,
  phone,
  data,
  notice,
  error,
}: Messages & { ctx: PageContext; zone: string; phone: string | undefined; data: Listed }) {
  const { opt_outs, pagination } = data;
  const when = whenIn(zone);
  return (
    <Page ctx={ctx} title="Opt-outs" current="/opt-outs">
      {error ? <Notice kind="error">{error}</Notice> : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <p>Transactional and promotional messages leave these numbers out (one-time passwords still go).</p>
      <FilterForm label="Search opt-outs" button="Search">
        <div>
          <label for="phone_number">Number</label>
          <input type="search" id="phone_number" name="phone_number" value={phone ?? ''} inputmode="tel" />
        </div>
      </FilterForm>
      <ZoneNote zone={zone} />
      <h2>{`Opted out (${pagination.total})`}</h2>
      {opt_outs.length === 0 ? (
        <p class="muted">No opted-out numbers match.</p>
      ) : (
        <Table columns={['Number', 'Since', 'Source', 'Reason']}>
          {opt_outs.map((o) => (
            <tr data-opt-out={o.phone_number}>
              <td class="mono">
                <a href={historyPath(ctx, o.phone_number)}>{o.phone_number}</a>
              </td>
              <td>{when(o.created_at)}</td>
              <td>{o.source}</td>
              <td class="wrap">{o.reason ?? '—'}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager of={pagination} href={(page) => query({ phone_number: phone, page })} />
      <h2>Opt a number out</h2>
      <section class="panel">
        <form method="post" action={`${ctx.root}/opt-outs`} class="grid">
          <Csrf ctx={ctx} />
          <PhoneNumberField id="o-phone" />
          <div>
            <label for="o-reason">Reason (optional)</label>
            <input type="text" id="o-reason" name="reason" maxlength={500} />
          </div>
          <div>
            <button type="submit">Opt out</button>
          </div>
        </form>
      </section>
    </Page>
  );
}

/** A number's opt-outs and opt-ins, oldest first, and (while it is opted out) a form to opt it in again. */
export function OptOutHistoryPage({
  ctx,
  zone,
  history,
  optedOut,
  notice,
  error,
}: Messages & { ctx: PageContext; zone: string; history: History; optedOut: boolean }) {
  const { phone_number, events, pagination } = history;
  const when = whenIn(zone);
  return (
    <Page ctx={ctx} title={`Consent of ${phone_number}`} current="/opt-outs">
      <p>
        <a href={`${ctx.root}/opt-outs/`}>← Opt-outs</a>
      </p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <p data-opted-out={optedOut ? 'yes' : 'no'}>
        {optedOut
          ? 'Opted out: messages leave this number out.'
          : 'Not opted out: messages go to this number.'}
      </p>
      <ZoneNote zone={zone} />
      <Table columns={['When', 'Action', 'Source', 'Reason', 'Evidence', 'Inbound message or key']}>
        {events.map((e) => (
          <tr data-event={e.id} data-action={e.action}>
            <td>{when(e.created_at)}</td>
            <td>{e.action === 'opted_out' ? 'Opted out' : 'Opted in'}</td>
            <td>{e.source}</td>
            <td class="wrap">{e.reason ?? '—'}</td>
            <td class="wrap">{e.evidence ?? '—'}</td>
            <td class="mono">{e.inbound_id ?? e.api_key_id ?? '—'}</td>
          </tr>
        ))}
      </Table>
      <Pager of={pagination} href={(page) => query({ page })} />
      {optedOut ? (
        <>
          <h2>Re-subscribe</h2>
          <section class="panel">
            <form method="post" action={`${historyPath(ctx, phone_number)}opt-in`} class="grid">
              <Csrf ctx={ctx} />
              <div style="grid-column:1/-1">
                <label for="evidence">Evidence the subscriber agreed again (required)</label>
                <textarea id="evidence" name="evidence" rows={2} maxlength={1000} required />
              </div>
              <div>
                <button type="submit">Opt in again</button>
              </div>
            </form>
          </section>
        </>
      ) : null}
    </Page>
  );
}
