/** Where the gateway reports what it cannot answer to a caller: failed dispatches, dropped reports, 500s. */
export interface Logger {
  error(message: string, detail?: unknown): void;
}

export const consoleLogger: Logger = { error: (message, detail) => console.error(message, detail ?? '') };
