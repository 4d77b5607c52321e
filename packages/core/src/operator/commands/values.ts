import { GatewayError } from '../../errors';

/** A command line the commands cannot take: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A number given as text, or a UsageError naming `what`. */
export function amount(text: string | undefined, what: string): number {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n))
    throw new UsageError(`${what} must be a number`);
  return n;
}

/** A value that must be given, or a UsageError naming it. */
export function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/** A value refused as the service would refuse it: one line, exit status 1. */
export const badValue = (flag: string, problem: string) =>
  new GatewayError('VALIDATION_ERROR', `${flag} ${problem}`, [{ field: flag, message: problem }]);

/** `--grace-seconds`: a whole number of seconds up to a week, or `fallback` when not given. */
export function graceSeconds(value: string | undefined, fallback: number): number {
  const grace = value === undefined ? fallback : amount(value, '--grace-seconds');
  if (!Number.isInteger(grace) || grace < 0 || grace > 604_800)
    throw new UsageError('--grace-seconds must be a whole number from 0 to 604800 (a week)');
  return grace;
}
