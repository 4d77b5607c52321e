/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { DEFAULT_LANGUAGE, LANGUAGES } from '../../domain/language';
import type { QuietHours } from '../../domain/quiet-hours';
import type { ComplianceSettings } from '../../services/compliance';
import type { Preferences } from '../../services/preferences';
import { Field, type FormState, SelectField, stateFor } from '../fields';
import { Csrf, Notices, Page, type PageContext } from '../layout';
import type { Refusal } from '../refusal';

/** Every IANA zone this runtime knows, offered as the time zone is typed. */
const ZONES = Intl.supportedValuesOf('timeZone');

export interface SettingsPageProps {
  ctx: PageContext;
  /** The account's own language and time zone (null: the defaults). */
  own: Preferences;
  /** The time zone shown while the account has none of its own. */
  defaultZone: string;
  webhookUrl: string | null;
  /** The account's compliance settings, and the gateway's (what an empty field goes back to). */
  rules: ComplianceSettings;
  gateway: ComplianceSettings;
  form?: FormState | undefined;
  notice?: string | undefined;
  error?: Refusal | undefined;
}

/** The account's language, time zone, webhook URL, quiet hours and opt-out footer, in one form. */
export function SettingsPage(p: SettingsPageProps) {
  const { ctx, own, rules, gateway } = p;
  const { t } = ctx;
  const action = `${ctx.root}/settings`;
  const form = stateFor(p.form, action);
  const ownQuiet = rules.overrides.includes('quietHours') ? (rules.quietHours ?? 'none') : null;
  const ownHours = typeof ownQuiet === 'object' ? ownQuiet : null;
  const hours = (q: QuietHours | null) =>
    q ? `${q.start}–${q.end} (${q.timeZone})` : t('settings.quietNoneShort');
  return (
    <Page ctx={ctx} title={t('nav.settings')} current="/settings">
      <Notices error={p.error} notice={p.notice} />
      <form method="post" action={action}>
        <Csrf ctx={ctx} />
        <section class="panel">
          <h2>{t('settings.display')}</h2>
          <div class="fields">
            <SelectField
              form={form}
              name="language"
              id="language"
              label={t('setting.language')}
              start={own.language ?? ''}
              options={[
                {
                  value: '',
                  label: t('settings.languageDefault', { language: t(`language.${DEFAULT_LANGUAGE}`) }),
                },
                ...LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) })),
              ]}
            />
            <Field
              form={form}
              name="time_zone"
              id="time_zone"
              label={t('setting.timeZone')}
              start={own.timeZone ?? ''}
              hint={t('settings.timeZoneHint', { zone: p.defaultZone })}
              attributes={{
                list: 'zones',
                placeholder: p.defaultZone,
                autocomplete: 'off',
                spellcheck: false,
              }}
            />
            <datalist id="zones">
              {ZONES.map((z) => (
                <option value={z} />
              ))}
            </datalist>
          </div>
        </section>
        <section class="panel">
          <h2>{t('webhooks.where')}</h2>
          <Field
            form={form}
            name="url"
            id="url"
            label={t('setting.url')}
            start={p.webhookUrl ?? ''}
            hint={t('settings.urlHint')}
            attributes={{ type: 'url', placeholder: 'https://example.co.tz/sms-events' }}
          />
        </section>
        <section class="panel">
          <h2>{t('settings.promotional')}</h2>
          <div class="fields">
            <SelectField
              form={form}
              name="quiet_hours"
              id="quiet_hours"
              label={t('setting.quietHours')}
              start={ownQuiet === null ? 'default' : ownQuiet === 'none' ? 'none' : 'own'}
              options={[
                { value: 'default', label: t('settings.quietDefault', { hours: hours(gateway.quietHours) }) },
                { value: 'none', label: t('settings.quietNone') },
                { value: 'own', label: t('settings.quietOwn') },
              ]}
            />
            <Field
              form={form}
              name="quiet_hours.start"
              id="quiet_start"
              label={t('settings.quietStart')}
              start={ownHours?.start ?? gateway.quietHours?.start ?? ''}
              attributes={{ type: 'time' }}
            />
            <Field
              form={form}
              name="quiet_hours.end"
              id="quiet_end"
              label={t('settings.quietEnd')}
              start={ownHours?.end ?? gateway.quietHours?.end ?? ''}
              attributes={{ type: 'time' }}
            />
          </div>
          <p class="hint">{t('settings.quietHint')}</p>
          <Field
            form={form}
            name="opt_out_footer"
            id="opt_out_footer"
            label={t('setting.optOutFooter')}
            start={rules.overrides.includes('optOutFooter') ? rules.optOutFooter : ''}
            hint={t('settings.footerHint', {
              number: '{number}',
              keyword: '{keyword}',
              footer: gateway.optOutFooter,
            })}
            attributes={{ maxlength: 80, placeholder: gateway.optOutFooter }}
          />
        </section>
        <p>
          <button type="submit">{t('common.save')}</button>
        </p>
      </form>
    </Page>
  );
}
