/** Every error the gateway answers with: the seed's six codes plus our own, each with its HTTP status. */
export const ERROR_CODES = {
  INVALID_CREDENTIALS: 401,
  INVALID_PHONE: 400,
  INSUFFICIENT_BALANCE: 402,
  RATE_LIMIT_EXCEEDED: 429,
  INVALID_SENDER_ID: 400,
  MESSAGE_TOO_LONG: 400,
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  NO_ROUTE: 400,
  UNSUPPORTED_DESTINATION: 400,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error type of the gateway. Rendered as the seed envelope by the app and by `getResponse()`. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Extra response headers (Retry-After on a 429, Allow on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    details: unknown = null,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details;
    this.headers = headers;
  }

  toEnvelope() {
    return {
      success: false,
      message: this.message,
      data: null,
      error_code: this.code,
      details: this.details,
    };
  }

  /** A Response in the seed envelope, so a host app's own error handler can render it as is. */
  getResponse(): Response {
    return new Response(JSON.stringify(this.toEnvelope()), {
      status: this.status,
      headers: { ...this.headers, 'content-type': 'application/json; charset=UTF-8' },
    });
  }
}
