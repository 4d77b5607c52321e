/** The `mifumo` commands an operator runs, one usage line (or a few) each. */
export const COMMANDS_USAGE = `  accounts create --name <name> [--balance <amount>]
  accounts list
  accounts topup <account_id> <amount>
  accounts set <account_id> [--smart-encoding on|off|default] [--sms-per-minute N|default]
                [--api-calls-per-hour N|default] [--contact-ops-per-hour N|default]
  keys create --account <account_id> [--name <name>] [--permissions read,write,admin]
              [--expires-at <ISO date-time with offset>]
  keys list [--account <account_id>]
  keys rotate <key_id> [--grace-seconds N]   (default 0: the old key is revoked at once)
              [--expires-at <ISO date-time with offset>]   (default: the old key's lifetime, from now)
  keys revoke <key_id>
  sender-ids add <account_id> <sender_id>   (approved for every operator)
  sender-ids list <account_id>          (each operator's decision; the gateway-wide ones marked as such)
  sender-ids approve <sender_id> --account <account_id> [--operators vodacom,airtel]
  sender-ids reject <sender_id> --account <account_id> --reason "<why>" [--operators vodacom,airtel]
                 (without --operators: for every operator the gateway knows)
  numbers add --account <account_id> --number <short code or phone number> [--keyword <word>]
              [--carrier <carrier_id>] [--webhook-url <url>]   (a shared number: one keyword each)
  numbers list [--account <account_id>]
  numbers remove <number> [--keyword <word>]
  inbound list [--unassigned] [--account <account_id>]   (the 100 newest)
  webhooks show <account_id>
  webhooks set <account_id> [--url <url>|none] [--bearer on|off]
  webhooks rotate <account_id> [--grace-seconds N]   (default a day; the old secret signs too meanwhile)
  compliance show [--account <account_id>]   (the effective settings and the pauses in force)
  compliance set <account_id> [--quiet-hours HH:MM-HH:MM|none|default] [--time-zone <IANA zone>]
                 [--footer "<text with {number}>"|default] [--opt-out-reply <text>|default]
                 [--opt-in-reply <text>|default] [--help-reply <text>|default]
  compliance pause --class promotional [--account <account_id>] [--until <ISO date-time with offset>]
  compliance resume --class promotional [--account <account_id>]   (without --account: gateway-wide)`;
