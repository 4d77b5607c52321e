import type { MifumoConfig } from '../../config';
import type { OperatorAdmin } from '../../services/admin';
import type { Parsed } from '../command-line';
import { accounts } from './accounts';
import type { Command, CommandGroup, Outcome } from './command';
import { compliance } from './compliance';
import { keys } from './keys';
import { inbound, numbers } from './numbers';
import { senderIds } from './sender-ids';
import { UsageError } from './values';
import { webhooks } from './webhooks';

/** `mifumo <group> <action>`: each returns data and a human summary. */
export const commands: Record<string, CommandGroup> = {
  accounts,
  keys,
  webhooks,
  compliance,
  numbers,
  inbound,
  'sender-ids': senderIds,
};

/** The command a command line names (its first two words), if any. */
export function commandOf(positionals: readonly string[]): Command | undefined {
  const [group, action] = positionals;
  return group && action && Object.hasOwn(commands, group) && Object.hasOwn(commands[group]!, action)
    ? commands[group]![action]
    : undefined;
}

/** Runs the command a command line names; a UsageError when it names none or is given wrongly. */
export function runCommand(admin: OperatorAdmin, parsed: Parsed, config: MifumoConfig): Promise<Outcome> {
  const command = commandOf(parsed.positionals);
  if (!command)
    throw new UsageError(`unknown command: ${parsed.positionals.slice(0, 2).join(' ') || '(none)'}`);
  return command(admin, { ...parsed, positionals: parsed.positionals.slice(2) }, config);
}
