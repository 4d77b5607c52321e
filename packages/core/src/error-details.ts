import { z } from 'zod';
import { PERMISSIONS } from './auth/api-key';
import { count, e164, text } from './described';
import type { ErrorCode } from './errors';

const fieldProblems = z
  .array(
    z.strictObject({
      field: z.string().meta({
        description:
          'The body field’s dotted path (`recipients.2`), or a query parameter’s or header’s name; `(body)` for the body as a whole, `(request)` for the request as a whole',
      }),
      message: z.string().meta({ description: 'What is wrong with it' }),
    }),
  )
  .min(1);

const permission = z.enum(PERMISSIONS);
/** Numbers (E.164), described. */
const e164List = (description: string) => z.array(e164('A number')).meta({ description });
/** A CONFLICT's `reason`, and what it means. */
const conflict = <R extends string>(reason: R, meaning: string) =>
  z.literal(reason).meta({ description: `\`${reason}\`: ${meaning}` });

/**
 * The one shape of `details` for each error code: what the code answers, what the OpenAPI document
 * shows and what a test checks real responses against. Problems with the request's input (a field,
 * the body, a header) are always a list of `{ field, message }`; a refusal by a limit, a number or the
 * state of something names what refused it in an object; where there is nothing to add, null.
 */
export const ERROR_DETAILS = {
  VALIDATION_ERROR: fieldProblems.meta({ description: 'Each problem, as `{ field, message }`' }),
  INVALID_JSON: fieldProblems.meta({
    description: 'One `{ field: "(body)", message }` saying what is wrong with the body',
  }),
  INVALID_PHONE: z
    .strictObject({
      invalid: z
        .array(
          z.strictObject({
            input: text('The number as it was given'),
            reason: text('Why it is not a valid number'),
          }),
        )
        .meta({ description: 'Each number refused' }),
    })
    .meta({ description: 'Each number refused, as given, and why' }),
  UNSUPPORTED_DESTINATION: z
    .strictObject({ phones: e164List('The numbers that have no price') })
    .meta({ description: 'The numbers (E.164) that have no price' }),
  RECIPIENT_OPTED_OUT: z
    .strictObject({
      suppressed: z
        .array(
          z.strictObject({
            phone: e164('The recipient'),
            reason: z
              .literal('opted_out')
              .meta({ description: 'Why it was left out: the account opted it out' }),
          }),
        )
        .meta({ description: 'Every recipient, each left out' }),
    })
    .meta({
      description:
        'Every recipient (E.164), each with why it was left out: the account has opted it out (send it as `otp` if it is a one-time code)',
    }),
  NO_ROUTE: z
    .strictObject({
      phones: e164List('The numbers no carrier can take'),
      encoding: z.literal('UCS-2').nullable().meta({
        description: 'The encoding no carrier on their route carries; null when they have no route at all',
      }),
    })
    .meta({ description: 'The numbers (E.164) no carrier can take' }),
  OPT_OUT_REQUIRED: z
    .strictObject({
      setting: z.enum(['inbound_number', 'opt_out_footer']).meta({
        description:
          '`inbound_number`: the account has no number to send the opt-out keyword to; `opt_out_footer`: its number is a shared short code and its footer has no `{keyword}`',
      }),
    })
    .meta({ description: 'What the account must configure before it sends promotional messages' }),
  INVALID_SENDER_ID: z
    .strictObject({
      sender_id: text('The sender ID given'),
      approved: z.array(z.string()).nullable().meta({
        description:
          'The sender IDs the account may use for numbers of `operator` (when it is null: for every operator), gateway-wide ones first; null for a malformed ID',
      }),
      operator: z.string().nullable().meta({
        description:
          'The operator (of the first such recipient) the sender ID is not approved for; null when it is refused whatever the recipients (malformed, or not the account’s), or when that recipient’s number is of no known operator',
      }),
      recipients: z
        .array(
          z.strictObject({
            phone: e164('The recipient'),
            operator: z.string().nullable().meta({
              description:
                'Its operator; null: none known (the sender ID must then be approved for every operator)',
            }),
            status: z.enum(['pending', 'rejected']).meta({
              description: 'The sender ID’s status with that operator',
            }),
          }),
        )
        .nullable()
        .meta({
          description:
            'The recipients the sender ID is not approved for (the first 100), each with its operator; null when it is refused whatever the recipients',
        }),
    })
    .meta({ description: 'The sender ID refused, and for which operators and recipients' }),
  MESSAGE_TOO_LONG: z
    .strictObject({
      length: z.number().int().meta({ description: 'Characters of the text' }),
      max_length: z.number().int().nullable().meta({
        description: 'The most characters a message may have (`messages.maxLength`); null: no limit',
      }),
      segments: count('Segments the text takes'),
      max_segments: z.number().int().nullable().meta({
        description: 'The most segments a message may take (`messages.maxSegments`); null: no limit',
      }),
      encoding: z.enum(['GSM-7', 'UCS-2']).meta({ description: 'The text’s encoding' }),
      field: z.string().meta({
        description:
          '`message` when the text itself is too long; in a campaign, the contact’s field whose value makes it too long',
      }),
      contact_id: z.string().nullable().meta({ description: 'The campaign contact whose text it is' }),
    })
    .meta({ description: 'The text’s length and segments, and the limits it passed' }),
  INSUFFICIENT_BALANCE: z
    .strictObject({
      required: z.number().meta({ description: 'What it costs, in major units of `currency`' }),
      currency: text('The account’s currency, ISO 4217 (TZS)'),
    })
    .meta({ description: 'What the request would cost' }),
  RATE_LIMIT_EXCEEDED: z
    .strictObject({
      limit: z
        .enum(['sms_per_minute', 'api_calls_per_hour', 'contact_ops_per_hour', 'auth_failures_per_minute'])
        .meta({ description: 'The limit that refused it' }),
      max: count('What the limit allows in its window'),
      window_seconds: count('The length of its window, in seconds'),
      requested: count('What the request would have used (a send: its recipients)'),
      remaining: count('What is left in the window now'),
      retry_after_seconds: z.number().int().nullable().meta({
        description: 'null when the request alone is more than the limit: split it',
      }),
    })
    .meta({ description: 'The limit that refused the request (the RateLimit-* headers describe the same)' }),
  INVALID_CREDENTIALS: z
    .strictObject({ hint: text('How to authenticate') })
    .meta({ description: 'What was missing or wrong, and how to authenticate' }),
  PERMISSION_DENIED: z
    .strictObject({
      required: permission.meta({ description: 'The permission the route needs' }),
      granted: z.array(permission).meta({ description: 'The permissions the key has' }),
    })
    .nullable()
    .meta({
      description:
        'The permission the route needs and those the key has (null for a dashboard form not made by the dashboard)',
    }),
  NOT_FOUND: z.null().meta({ description: 'The message names what was not found' }),
  METHOD_NOT_ALLOWED: z
    .strictObject({ allowed: z.array(z.string()).meta({ description: 'The methods the path takes' }) })
    .meta({ description: 'The methods the path takes (as the Allow header)' }),
  CONFLICT: z
    .discriminatedUnion('reason', [
      z.strictObject({
        reason: conflict('phone_number_taken', 'another contact of the account has the number'),
        phone_number: text('The number, E.164'),
      }),
      z.strictObject({
        reason: conflict(
          'idempotency_key_reused',
          'the key was used with another body, or by the other kind of request',
        ),
        idempotency_key: text('The Idempotency-Key header given'),
      }),
      z.strictObject({ reason: conflict('last_admin_key', 'the account would be left with no admin key') }),
      z.strictObject({ reason: conflict('key_exists', 'a key with the same value exists') }),
      z.strictObject({
        reason: conflict('campaign_finished', 'the campaign has nothing left to cancel'),
        campaign_id: text('The campaign’s id'),
        status: text('Its status'),
      }),
      z.strictObject({
        reason: conflict('delivery_in_progress', 'the webhook delivery is being attempted now'),
        delivery_id: text('The delivery’s event id'),
      }),
      z.strictObject({ reason: conflict('secret_rotated', 'the signing secret was rotated meanwhile') }),
      z.strictObject({
        reason: conflict('sender_id_exists', 'the account has the sender ID already, or it is gateway-wide'),
        sender_id: text('The sender ID'),
        status: z.enum(['approved', 'partial', 'pending', 'rejected']).meta({
          description: 'Its status over every operator (`approved` for a gateway-wide one)',
        }),
      }),
      z.strictObject({
        reason: conflict('too_many_sender_ids', 'the account has asked for as many sender IDs as it may'),
        max: count('The most sender IDs an account may ask for'),
      }),
      z.strictObject({
        reason: conflict('number_taken', 'the number (and keyword) is assigned already'),
        number: text('The number or short code'),
        keyword: z.string().nullable().meta({ description: 'The keyword; null: the whole number' }),
        account_id: z.string().nullable().meta({ description: 'The account that has it; null: not told' }),
      }),
    ])
    .meta({ description: 'What the request conflicts with: `reason`, and what it is about' }),
  PAYLOAD_TOO_LARGE: z
    .strictObject({ max_bytes: count('The largest body, in bytes') })
    .meta({ description: 'The largest body this route reads' }),
  UNSUPPORTED_MEDIA_TYPE: z
    .strictObject({
      content_type: z.string().nullable().meta({ description: 'The Content-Type header; null: none' }),
    })
    .meta({ description: 'The Content-Type given (null when none)' }),
  HEADERS_TOO_LARGE: z.null().meta({ description: 'Nothing more: the headers were not read' }),
  INTERNAL_ERROR: z.null().meta({ description: 'The cause is logged, never returned' }),
  NOT_READY: z
    .strictObject({
      ready: z.literal(false).meta({ description: 'Always false here' }),
      reasons: z.array(z.string()).meta({ description: 'Why, one line each' }),
      database: z
        .strictObject({
          reachable: z.boolean().meta({ description: 'Whether a query on it succeeded' }),
          migrations_applied: count('Migrations recorded as applied'),
          migrations_expected: count('Migrations this version has'),
        })
        .meta({ description: 'The database, as a query found it' }),
      carriers: z
        .array(
          z.strictObject({
            id: text('The carrier’s id'),
            state: z
              .enum(['bound', 'connecting', 'down', 'ready', 'breaker_open'])
              .meta({ description: 'Its link’s state, or breaker_open while it is skipped' }),
            takes_traffic: z.boolean().meta({ description: 'bound or ready' }),
          }),
        )
        .meta({ description: 'Each configured carrier' }),
    })
    .meta({ description: 'What the readiness check looked at, and why it is not ready' }),
} as const satisfies Record<ErrorCode, z.ZodType>;

/** The `details` an error of `code` carries. */
export type ErrorDetails<C extends ErrorCode> = z.output<(typeof ERROR_DETAILS)[C]>;
