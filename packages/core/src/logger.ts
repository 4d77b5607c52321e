/** Where the gateway reports what it cannot answer to a caller: failed dispatches, dropped reports, 500s. */
export interface Logger {
  error(message: string, detail?: unknown): void;
  /** Something to fix that stops nothing (a setting production needs, a step that is retried); `error` when absent. */
  warn?(message: string, detail?: unknown): void;
}

const args = (message: string, detail: unknown) => (detail === undefined ? [message] : [message, detail]);

export const consoleLogger: Logger = {
  error: (message, detail) => console.error(...args(message, detail)),
  warn: (message, detail) => console.warn(...args(message, detail)),
};
