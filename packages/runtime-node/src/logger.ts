import type { LogFields, Logger } from '@mifumo/core';

export type LogFormat = 'pretty' | 'json';
export type LogLevel = 'error' | 'warn' | 'info';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2 };

/**
 * A phone number in a log line, however written: 9 to 15 digits standing alone (not part of a longer
 * run), each maybe after a space, `-` or `.`, after an optional `+` (or its URL form `%2B`).
 */
const PHONE = /(?<!\d)(?:\+|%2[Bb])?\d(?:[ .-]?\d){8,14}(?!\d)/g;

/** `text` with every phone number in it masked, its first and last three digits kept: `+255******111`. */
export function maskPhones(text: string): string {
  return text.replace(PHONE, (found) => {
    const digits = found.replace(/^(\+|%2[Bb])/, '').replace(/\D/g, '').length;
    let seen = 0;
    return found.replace(/\d/g, (d, at: number) =>
      at < (found.startsWith('%2') ? 3 : 0) ? d : ++seen <= 3 || seen > digits - 3 ? d : '*',
    );
  });
}

/** Fields that name the gateway's own records (ids): kept as they are, so a log and a client meet. */
const ID_FIELD = /_id$/;

/** What a log line says of `detail`: an error's name, message (and code) and stack; anything else as it is. */
function describe(detail: unknown, mask: (s: string) => string): Record<string, unknown> {
  if (detail === undefined) return {};
  if (detail instanceof Error) {
    const code = (detail as { code?: unknown }).code;
    return {
      error: {
        name: detail.name,
        message: mask(detail.message),
        ...(code === undefined ? {} : { code: String(code) }),
        ...(detail.stack ? { stack: mask(detail.stack) } : {}),
      },
    };
  }
  return {
    detail: typeof detail === 'string' ? mask(detail) : mask(JSON.stringify(detail) ?? String(detail)),
  };
}

/**
 * The Node runtime's logger: `json`, one object per line (`level`, `time`, `message`, then the line's
 * fields: `request_id`, `account_id`, `message_id`… and an `error` with its stack), for log collectors;
 * `pretty`, a line a person reads. Lines under `level` are dropped; phone numbers are masked unless
 * `maskPhones` is false. Errors and warnings go to `errors` (stderr), the rest to `out` (stdout).
 */
export function nodeLogger(options: {
  format: LogFormat;
  level: LogLevel;
  maskPhones?: boolean;
  out?: (line: string) => void;
  errors?: (line: string) => void;
  now?: () => Date;
}): Logger {
  const mask = options.maskPhones === false ? (s: string) => s : maskPhones;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const errors = options.errors ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const enabled = (level: LogLevel) => RANK[level] <= RANK[options.level];

  function line(level: LogLevel, message: string, detail: unknown, fields: LogFields | undefined) {
    const kept: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields ?? {}))
      if (value !== undefined)
        kept[name] = typeof value === 'string' && !ID_FIELD.test(name) ? mask(value) : value;
    const about = describe(detail, mask);
    const time = now().toISOString();
    if (options.format === 'json')
      return JSON.stringify({ level, time, message: mask(message), ...kept, ...about });
    const pairs = Object.entries(kept).map(([name, value]) => `${name}=${value}`);
    const error = about.error as { message: string; stack?: string } | undefined;
    const tail = error ? `\n${error.stack ?? error.message}` : about.detail ? ` ${about.detail}` : '';
    return `${time} ${level.toUpperCase()} ${mask(message)}${pairs.length ? ` ${pairs.join(' ')}` : ''}${tail}`;
  }

  return {
    error: (message, detail, fields) => errors(line('error', message, detail, fields)),
    ...(enabled('warn')
      ? { warn: (message, detail, fields) => errors(line('warn', message, detail, fields)) }
      : { warn: () => {} }),
    ...(enabled('info') ? { info: (message, fields) => out(line('info', message, undefined, fields)) } : {}),
  };
}
