/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Services } from '../../api/services';
import type { SettingsChange } from '../../services/account-actions';
import type { FormState } from '../fields';
import { forms, parseForm } from '../forms';
import { SettingsPage } from '../pages/settings';
import type { Refusal } from '../refusal';
import * as dash from './context';

/** The settings form's values as the change they ask for: own quiet hours are in the form's time zone. */
function changeOf(f: ReturnType<typeof forms.settings.parse>, zone: string): SettingsChange {
  const mode = f.quiet_hours;
  return {
    language: f.language,
    timeZone: f.time_zone,
    webhookUrl: f.url,
    compliance: {
      optOutFooter: f.opt_out_footer,
      quietHours:
        mode === 'default'
          ? null
          : mode === 'none'
            ? 'none'
            : { start: f['quiet_hours.start'] ?? '', end: f['quiet_hours.end'] ?? '', timeZone: zone },
    },
  };
}

/** The account's settings: language, time zone, webhook URL, quiet hours and opt-out footer. */
export function settingsRoutes(s: Services, { counted, gatewayZone }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  const settingsPage = async (
    c: dash.Ctx,
    extra: { notice?: string | undefined; error?: Refusal; form?: FormState } = {},
  ) => {
    const accountId = dash.accountOf(c);
    const [own, webhook, rules, gateway] = await Promise.all([
      s.preferences.get(accountId),
      s.webhooks.settings.get(accountId),
      s.compliance.settings(accountId),
      s.compliance.settings(),
    ]);
    return (
      <SettingsPage
        ctx={dash.pageContext(c)}
        own={own}
        defaultZone={rules.quietHours?.timeZone ?? gatewayZone}
        webhookUrl={webhook.url}
        rules={rules}
        gateway={gateway}
        {...extra}
      />
    );
  };
  app.on('GET', dash.both('/dashboard/settings'), ...counted, async (c) => {
    const { values, notice } = dash.listing(c);
    parseForm(forms.empty, values);
    return dash.html(c, await settingsPage(c, { notice }));
  });
  app.on('POST', dash.both('/dashboard/settings'), ...counted, async (c) => {
    try {
      const f = parseForm(forms.settings, c.get('form'));
      const zone =
        f.time_zone ?? (await s.compliance.settings(dash.accountOf(c))).quietHours?.timeZone ?? gatewayZone;
      const changed = await s.actions.updateSettings(dash.principalOf(c), changeOf(f, zone));
      // A new language for the account is shown at once, in place of this session's own choice.
      if (changed.preferences.language !== undefined)
        await s.dashboardSessions.setLanguage(getCookie(c, dash.COOKIE)!, null);
      const any = Object.values(changed).some((part) => Object.keys(part).length > 0);
      return dash.back(c, '/settings/', any ? 'settings-saved' : 'settings-unchanged');
    } catch (e) {
      return dash.refused(c, e, (error, form) => settingsPage(c, { error, form }));
    }
  });
  return app;
}
