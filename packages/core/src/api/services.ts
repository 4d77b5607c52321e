import type { Context } from 'hono';
import type { Authenticator } from '../auth/authenticator';
import type { Clock } from '../clock';
import type { MifumoConfig } from '../config';
import type { DashboardSessions } from '../dashboard/sessions';
import type { CarrierView } from '../dispatch/carrier-states';
import type { Limiter } from '../ratelimit/limiter';
import type { AccountActions } from '../services/account-actions';
import type { AccountSenderIds } from '../services/account-sender-ids';
import type { Activity } from '../services/activity';
import type { Admin, OperatorAdmin } from '../services/admin';
import type { Callbacks } from '../services/callbacks';
import type { ResolveAudience } from '../services/campaigns/audience';
import type { Campaigns } from '../services/campaigns/campaigns';
import type { Compliance } from '../services/compliance';
import type { Consent } from '../services/consent';
import type { ContactImport } from '../services/contact-import';
import type { Contacts } from '../services/contacts';
import type { Conversations } from '../services/conversations';
import type { Exports } from '../services/exports';
import type { InboundQueries } from '../services/inbound-messages';
import type { createMessageQueries } from '../services/messages';
import type { PreferencesService } from '../services/preferences';
import type { Privacy } from '../services/privacy';
import type { Segments } from '../services/segments';
import type { Sender } from '../services/send/send';
import type { Usage } from '../services/usage';
import type { UsageReports } from '../services/usage-report';
import type { WebhookDeliveries } from '../webhooks/deliveries';
import type { WebhookSettings } from '../webhooks/settings';
import type { BodyReader } from './middleware/body-size';

/** What the HTTP routes call: the same functions the in-process `api` calls. */
export interface Services {
  config: MifumoConfig;
  clock: Clock;
  auth: Authenticator;
  limiter: Limiter;
  /** The client's address for the failed-authentication throttle. */
  clientAddress: (c: Context) => string;
  /** The runtime's own body reader, when it has one (Node's). */
  readBody?: BodyReader | undefined;
  admin: Admin;
  sender: Sender;
  messages: ReturnType<typeof createMessageQueries>;
  /** The account's inbound messages. */
  inbound: InboundQueries;
  /** The account's conversations with subscribers (the dashboard's inbox). */
  conversations: Conversations;
  contacts: Contacts;
  segments: Segments;
  /** Who a segment or chosen contacts are, as a campaign reads them (the dashboard's Send page too). */
  audiences: ResolveAudience;
  callbacks: Callbacks;
  webhooks: { settings: WebhookSettings; deliveries: WebhookDeliveries };
  activity: Activity;
  /** Key and webhook changes, recorded in the activity log (the routes' and the dashboard's). */
  actions: AccountActions;
  dashboardSessions: DashboardSessions;
  /** What an account holds about one number (access requests). */
  privacy: Privacy;
  usage: Usage;
  /** Usage over a range of days, per day and per operator (the usage endpoint). */
  usageReports: UsageReports;
  /** Delivery reports and the ledger as streamed CSV. */
  exports: Exports;
  contactImport: ContactImport;
  campaigns: Campaigns;
  /** The account's opt-outs and their log. */
  consent: Consent;
  /** The account's own sender IDs (asking for one, listing them with the gateway-wide ones). */
  senderIds: AccountSenderIds;
  /** The accounts' compliance settings (quiet hours, opt-out texts). */
  compliance: Compliance;
  /** The accounts' dashboard language and time zone. */
  preferences: PreferencesService;
  /** Each carrier's state (its circuit across the fleet, the rest in this process): the API and the dashboard. */
  carriers: () => Promise<CarrierView[]>;
  /** The operator's commands over HTTP: the operator key's SHA-256 (null: off) and what they run on. */
  operator: { keyHash: Promise<string | null>; admin: OperatorAdmin };
}
