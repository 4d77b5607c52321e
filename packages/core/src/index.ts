export type { BodyReader } from './api/middleware/body-size';
export { API_KEY_FORM, isApiKeyForm, type Permission } from './auth/api-key';
export type { Principal } from './auth/principal';
export {
  type AwaitingReports,
  type CallbackContent,
  type CarrierAdapter,
  type CarrierCapabilities,
  type CarrierContext,
  CarrierError,
  type CarrierStatus,
  type DeliveryReport,
  type InboundMessage,
  type OutboundMessage,
  type ReportOutcome,
  type SubmitResult,
} from './carriers/contract';
export { createFakeCarrier, type FakeCarrierOptions } from './carriers/fake';
export type { Clock } from './clock';
export { configSchema, describeConfigIssues, type MifumoConfig, type MifumoConfigInput } from './config';
export type { CarrierState, CarrierView } from './dispatch/carrier-states';
export { parseInstant } from './domain/instant';
export { forbiddenAddress } from './domain/ip-address';
export { type OptOutRoute, renderFooter, renderReply, withFooter } from './domain/opt-out-footer';
export { isQuiet, type QuietHours, quietHoursEnd } from './domain/quiet-hours';
export { TRAFFIC_CLASSES, type TrafficClass } from './domain/traffic-class';
export { webhookUrlProblem } from './domain/webhook-url';
export {
  type AnalyzeOptions,
  analyzeMessage,
  type Encoding,
  type MessageAnalysis,
  NATIONAL_LANGUAGES,
  type NationalLanguage,
} from './encoding';
export { ERROR_DETAILS, type ErrorDetails } from './error-details';
export { ERROR_CODES, type ErrorCode, GatewayError } from './errors';
export { consoleLogger, type LogFields, type Logger } from './logger';
export { createMifumo, type Mifumo, type MifumoOptions } from './mifumo';
export { MAX_MAJOR } from './money';
export {
  commandLineOf,
  OPTIONS,
  type OptionName,
  type Parsed,
  parseCommandLine,
} from './operator/command-line';
export { commandOf, runCommand } from './operator/commands';
export type { Outcome } from './operator/commands/command';
export { COMMANDS_USAGE } from './operator/commands/usage';
export { UsageError } from './operator/commands/values';
export type { AccountView } from './services/accounts';
export { type Admin, createAdmin, type OperatorAdmin } from './services/admin';
export type { ApiKeyView } from './services/api-keys';
export { bootstrap } from './services/bootstrap';
export {
  type Compliance,
  type ComplianceChange,
  type CompliancePause,
  type ComplianceSetting,
  type ComplianceSettings,
  PAUSABLE_CLASSES,
  type PausableClass,
  type PromotionalWindow,
} from './services/compliance';
export type { Consent, OptInOrigin, OptOutOrigin } from './services/consent';
export type { AtomicExecutor, ConstraintViolation, StorageDriver } from './storage/driver';
export { migrateToLatest, migrationNames } from './storage/migrations';
export { type PostgresDriverOptions, postgresDriver } from './storage/postgres';
export type { Database } from './storage/schema';
export { type SqliteClient, type SqliteDriverOptions, sqliteDriver } from './storage/sqlite';
export { sqliteViolation } from './storage/sqlite-violation';
export type { ReceivedPayload, WebhookPayload } from './webhooks/payloads';
export { isServerSecret, SERVER_SECRET_FORM } from './webhooks/sealer';
export type { WebhookSettings, WebhookSettingsView } from './webhooks/settings';
export {
  fetchTransport,
  RESPONSE_BODY_CAP,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookTransport,
} from './webhooks/transport';
