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
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** When each code is answered, in one line: what the OpenAPI document and the documentation page say. */
export const ERROR_MEANINGS = {
  INVALID_CREDENTIALS:
    'No API key, or one that is unknown, revoked or expired (on a carrier callback: a missing or wrong callback token)',
  INVALID_PHONE:
    'A phone number that is not a valid number: E.164, or national in the default region (`defaultRegion`)',
  INSUFFICIENT_BALANCE:
    'The account’s balance does not cover what a send or campaign costs; nothing is stored or charged',
  RATE_LIMIT_EXCEEDED:
    'A limit is used up: the account’s SMS per minute, API calls or contact operations per hour, or failed sign-ins from one address; try again after Retry-After',
  INVALID_SENDER_ID:
    'The sender ID is malformed, not the account’s, or not approved by the operator of some recipients; nothing is stored or charged',
  MESSAGE_TOO_LONG: 'The text needs more characters or segments than the gateway sends in one message',
  VALIDATION_ERROR:
    'A body field, query parameter or header is missing, unknown, of the wrong type or out of range',
  INVALID_JSON: 'The body is empty, is not JSON, or is not the object (or array) the route reads',
  NO_ROUTE:
    'No configured carrier route takes some of the numbers, or none on their route carries Unicode (UCS-2) text',
  UNSUPPORTED_DESTINATION:
    'A number with no price: outside the default region and not priced by `pricing.prefixes` or `pricing.operators`',
  OPT_OUT_REQUIRED:
    'A promotional message from an account subscribers cannot opt out of: no inbound number, or a shared short code whose footer lacks `{keyword}`',
  RECIPIENT_OPTED_OUT:
    'Every recipient has opted out of the account’s messages; nothing is stored or charged (one-time codes go as `otp`)',
  PERMISSION_DENIED: 'The API key lacks the permission the route needs (`read`, `write` or `admin`)',
  NOT_FOUND:
    'No such endpoint, or no such message, contact, segment, campaign, key or delivery in the account',
  METHOD_NOT_ALLOWED: 'The path exists, but not with this method; the Allow header lists those it takes',
  CONFLICT:
    'The request clashes with what is stored: a phone number taken, an Idempotency-Key reused with another body, the last admin key, a finished campaign, …',
  PAYLOAD_TOO_LARGE:
    'The body is larger than the route reads (`maxBodyBytes`, 1 MiB; imports `contacts.maxImportBytes`, 16 MiB)',
  UNSUPPORTED_MEDIA_TYPE: 'The body’s Content-Type is not `application/json` (or `text/csv` on imports)',
  HEADERS_TOO_LARGE: 'The request line or headers are larger than the Node server reads',
  INTERNAL_ERROR: 'Something failed on the gateway’s side; the cause is logged, never returned',
  NOT_READY:
    '`GET /readyz` only: the database does not answer or is not migrated, or no carrier can take traffic; `details` says which',
} as const satisfies Record<ErrorCode, string>;

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
