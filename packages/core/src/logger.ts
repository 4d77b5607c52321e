/** What a log line is about, where it is known: the request, its account, a message. */
export interface LogFields {
  request_id?: string | undefined;
  account_id?: string | undefined;
  message_id?: string | undefined;
  [name: string]: string | number | boolean | null | undefined;
}

/**
 * Where the gateway reports: what it cannot answer to a caller (failed dispatches, dropped reports,
 * 500s) as errors, what to fix as warnings, and (when the runtime listens) one `info` line per request.
 */
export interface Logger {
  error(message: string, detail?: unknown, fields?: LogFields): void;
  /** Something to fix that stops nothing (a setting production needs, a step that is retried); `error` when absent. */
  warn?(message: string, detail?: unknown, fields?: LogFields): void;
  /** What happened, for the record (each request); dropped when absent. */
  info?(message: string, fields?: LogFields): void;
}

const args = (message: string, detail: unknown) => (detail === undefined ? [message] : [message, detail]);

export const consoleLogger: Logger = {
  error: (message, detail) => console.error(...args(message, detail)),
  warn: (message, detail) => console.warn(...args(message, detail)),
};
