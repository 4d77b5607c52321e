import type { ErrorDetails } from './error-details';

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
  OPT_OUT_REQUIRED: 400,
  RECIPIENT_OPTED_OUT: 400,
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

/** After the message: the details (optional where the code's shape allows null), then extra headers. */
type DetailsAndHeaders<C extends ErrorCode> =
  null extends ErrorDetails<C>
    ? [details?: ErrorDetails<C>, headers?: Record<string, string>]
    : [details: ErrorDetails<C>, headers?: Record<string, string>];

/**
 * The one error type of the gateway. Rendered as the seed envelope by the app and by `getResponse()`;
 * its `details` have the shape `ERROR_DETAILS` documents for its code.
 */
export class GatewayError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly details: ErrorDetails<C>;
  /** Extra response headers (Retry-After on a 429, Allow on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: C, message: string, ...[details, headers = {}]: DetailsAndHeaders<C>) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details ?? (null as ErrorDetails<C>);
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

/** VALIDATION_ERROR about one field; its message is the field and its problem (`expires_at must be …`) unless given. */
export const invalidField = (field: string, problem: string, message = `${field} ${problem}`) =>
  new GatewayError('VALIDATION_ERROR', message, [{ field, message: problem }]);
