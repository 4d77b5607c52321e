import { COMMANDS_USAGE } from '@mifumo/core';

export const USAGE = `Usage: mifumo <command> [--json] [--remote <gateway URL>]
${COMMANDS_USAGE}
  backup <file>                       a consistent copy of the live SQLite database (backup --help)
  restore <file>                      the SQLite database replaced by a backup (gateway stopped)
  smsc-sim [--port 2775] …            an SMSC simulator for development (smsc-sim --help)
Reads DATABASE_URL (default file:./data/mifumo.db) and MIFUMO_CONFIG; webhooks also MIFUMO_SECRET
(or the key file the gateway made: MIFUMO_SECRET_FILE, default beside the SQLite database).
With --remote, runs the command on that gateway instead (a Worker, or a Node gateway elsewhere),
with the operator key it was started with in MIFUMO_OPERATOR_KEY.`;
