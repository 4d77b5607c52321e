import type { AccountsTable } from '../storage/schema';

/** An account's limits: its own overrides where set, else the configured defaults. */
export interface AccountLimits {
  smsPerMinute: number;
  apiCallsPerHour: number;
  contactOpsPerHour: number;
}

export function accountLimits(
  row: Pick<AccountsTable, 'sms_per_minute' | 'api_calls_per_hour' | 'contact_ops_per_hour'>,
  defaults: AccountLimits,
): AccountLimits {
  return {
    smsPerMinute: row.sms_per_minute === null ? defaults.smsPerMinute : Number(row.sms_per_minute),
    apiCallsPerHour:
      row.api_calls_per_hour === null ? defaults.apiCallsPerHour : Number(row.api_calls_per_hour),
    contactOpsPerHour:
      row.contact_ops_per_hour === null ? defaults.contactOpsPerHour : Number(row.contact_ops_per_hour),
  };
}
