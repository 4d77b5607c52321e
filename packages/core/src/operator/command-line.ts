import { UsageError } from './commands/values';

/** The options of the `mifumo` commands, and what each takes. */
export const OPTIONS = {
  json: 'boolean',
  help: 'boolean',
  remote: 'string',
  name: 'string',
  balance: 'string',
  account: 'string',
  permissions: 'string',
  'smart-encoding': 'string',
  'sms-per-minute': 'string',
  'api-calls-per-hour': 'string',
  'contact-ops-per-hour': 'string',
  url: 'string',
  bearer: 'string',
  'grace-seconds': 'string',
  'expires-at': 'string',
  class: 'string',
  until: 'string',
  'quiet-hours': 'string',
  'time-zone': 'string',
  footer: 'string',
  'opt-out-reply': 'string',
  'opt-in-reply': 'string',
  'help-reply': 'string',
  number: 'string',
  keyword: 'string',
  carrier: 'string',
  'webhook-url': 'string',
  unassigned: 'boolean',
  operators: 'string',
  reason: 'string',
} as const;

type Options = typeof OPTIONS;
export type OptionName = keyof Options;

/** A command line read: its words and its options. */
export interface Parsed {
  positionals: string[];
  values: { [K in OptionName]?: (Options[K] extends 'boolean' ? boolean : string) | undefined };
}

const isOption = (name: string): name is OptionName => Object.hasOwn(OPTIONS, name);

/**
 * Reads a command line: `--name value`, `--name=value`, flags (`--json`, `-h`); a word that starts with
 * `-` and a digit (`-5`) is a word. An unknown option, a flag given a value or an option missing its
 * value is a UsageError naming it; a value that starts with `--` must be written `--name=value`.
 */
export function parseCommandLine(argv: readonly string[]): Parsed {
  const parsed: Parsed = { positionals: [], values: {} };
  const values = parsed.values as Record<string, string | boolean>;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '-h') {
      values.help = true;
      continue;
    }
    if (!token.startsWith('--')) {
      if (token.length > 1 && token.startsWith('-') && !/^-\d/.test(token))
        throw new UsageError(`Unknown option '${token}'`);
      parsed.positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
    if (!isOption(name)) throw new UsageError(`Unknown option '--${name}'`);
    if (OPTIONS[name] === 'boolean') {
      if (eq !== -1) throw new UsageError(`Option '--${name}' takes no value`);
      values[name] = true;
      continue;
    }
    if (eq !== -1) {
      values[name] = token.slice(eq + 1);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--'))
      throw new UsageError(
        `Option '--${name} <value>' needs a value (write --${name}=<value> for one that starts with --)`,
      );
    values[name] = value;
    i++;
  }
  return parsed;
}

/** A command line written back from what was read, each option as `--name=value`. */
export function commandLineOf(parsed: Parsed): string[] {
  return [
    ...parsed.positionals,
    ...Object.entries(parsed.values).flatMap(([name, value]) =>
      value === undefined || value === false ? [] : value === true ? [`--${name}`] : [`--${name}=${value}`],
    ),
  ];
}
