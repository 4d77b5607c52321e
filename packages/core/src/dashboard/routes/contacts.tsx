/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { ContactsPage } from '../pages/contacts';
import {
  accountOf,
  back,
  both,
  type Ctx,
  type DashboardEnv,
  type DashboardGuards,
  html,
  listing,
  pageContext,
  principalOf,
  refused,
} from './context';

/** Contacts: search, add one, import a CSV; segments with their counts. */
export function contactsRoutes(s: Services, { contactCounted }: DashboardGuards) {
  const app = new Hono<DashboardEnv>();
  const contactsPage = async (c: Ctx, extra: Partial<Parameters<typeof ContactsPage>[0]> = {}) => {
    const { q, page } = parseForm(forms.contacts, listing(c).values);
    const accountId = accountOf(c);
    const perPage = 50;
    const [found, segments] = await Promise.all([
      s.contacts.search(accountId, { q, limit: perPage, offset: (page - 1) * perPage }),
      s.segments.listSegments(accountId, { page: 1, per_page: 100 }),
    ]);
    return (
      <ContactsPage
        ctx={pageContext(c)}
        q={q}
        page={page}
        found={found}
        segments={segments}
        maxImportRows={s.contactImport.maxRows}
        {...extra}
      />
    );
  };
  app.on('GET', both('/dashboard/contacts'), ...contactCounted, async (c) =>
    html(c, await contactsPage(c, { notice: listing(c).notice })),
  );
  app.on('POST', both('/dashboard/contacts'), ...contactCounted, async (c) => {
    try {
      const { email, ...input } = parseForm(forms.contact, c.get('form'));
      await s.contacts.create(accountOf(c), parseForm(forms.newContact, { ...input, email: email ?? null }));
      return back(c, '/contacts/', 'contact-added');
    } catch (e) {
      return refused(c, e, (error) => contactsPage(c, { error }));
    }
  });
  app.on('POST', both('/dashboard/contacts/import'), ...contactCounted, async (c) => {
    try {
      const { file, on_conflict } = parseForm(forms.import, c.get('form'));
      const report = await s.actions.importContacts(principalOf(c), { csv: await file.text() }, on_conflict);
      return html(c, await contactsPage(c, { report }));
    } catch (e) {
      return refused(c, e, (error) => contactsPage(c, { error }));
    }
  });
  return app;
}
