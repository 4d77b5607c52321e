/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { ContactsPage } from '../pages/contacts';
import * as dash from './context';

/** Contacts: search, add one, import a CSV; segments with their counts. */
export function contactsRoutes(s: Services, { contactCounted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  const contactsPage = async (c: dash.Ctx, extra: Partial<Parameters<typeof ContactsPage>[0]> = {}) => {
    const { q, page } = parseForm(forms.contacts, dash.listing(c).values);
    const accountId = dash.accountOf(c);
    const perPage = 50;
    const [found, segments] = await Promise.all([
      s.contacts.search(accountId, { q, limit: perPage, offset: (page - 1) * perPage }),
      s.segments.listSegments(accountId, { page: 1, per_page: 100 }),
    ]);
    return (
      <ContactsPage
        ctx={dash.pageContext(c)}
        q={q}
        page={page}
        found={found}
        segments={segments}
        maxImportRows={s.contactImport.maxRows}
        {...extra}
      />
    );
  };
  app.on('GET', dash.both('/dashboard/contacts'), ...contactCounted, async (c) =>
    dash.html(c, await contactsPage(c, { notice: dash.listing(c).notice })),
  );
  app.on('POST', dash.both('/dashboard/contacts'), ...contactCounted, async (c) => {
    try {
      const { email, ...input } = parseForm(forms.contact, c.get('form'));
      await s.contacts.create(
        dash.accountOf(c),
        parseForm(forms.newContact, { ...input, email: email ?? null }),
      );
      return dash.back(c, '/contacts/', 'contact-added');
    } catch (e) {
      return dash.refused(c, e, (error, form) => contactsPage(c, { error, form }), {
        INVALID_PHONE: 'phone_number',
        CONFLICT: 'phone_number',
      });
    }
  });
  app.on('POST', dash.both('/dashboard/contacts/import'), ...contactCounted, async (c) => {
    try {
      const { file, on_conflict } = parseForm(forms.import, c.get('form'));
      const report = await s.actions.importContacts(
        dash.principalOf(c),
        { csv: await file.text() },
        on_conflict,
      );
      return dash.html(c, await contactsPage(c, { report }));
    } catch (e) {
      return dash.refused(c, e, (error, form) => contactsPage(c, { error, form }), {
        VALIDATION_ERROR: 'file',
      });
    }
  });
  return app;
}
