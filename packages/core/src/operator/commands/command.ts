import type { MifumoConfig } from '../../config';
import type { OperatorAdmin } from '../../services/admin';
import type { Parsed } from '../command-line';

/** What a command returns: the data (printed as JSON with --json) and the lines a person reads. */
export interface Outcome {
  data: unknown;
  lines: string[];
}

/** One `mifumo <group> <action>`, on the operator's admin operations and the gateway's configuration. */
export type Command = (admin: OperatorAdmin, args: Parsed, config: MifumoConfig) => Promise<Outcome>;

/** A group's actions by name. */
export type CommandGroup = Record<string, Command>;
