import type { z } from 'zod';
import type { Permission } from '../../auth/api-key';
import type { ErrorCode } from '../../errors';
import {
  contactSchema,
  deliveriesQuery,
  keySchema,
  keysQuery,
  reportsQuery,
  rotateSecretSchema,
  searchQuery,
  segmentSchema,
  segmentsQuery,
  sendSchema,
  webhookSettingsSchema,
} from '../schemas';
import * as data from './responses';

/** One endpoint as the OpenAPI document and the documentation page describe it. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style, relative to the mount point, with the seed's trailing slash. */
  path: string;
  tag: 'SMS' | 'Contacts' | 'API keys' | 'Webhooks' | 'Carriers';
  summary: string;
  description?: string;
  /** The key permission the route needs; `callback` routes authenticate with the carrier's token. */
  auth: Permission | 'callback';
  params?: Record<string, string>;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body has to be sent (false: an empty POST is read as `{}`). */
  bodyRequired?: boolean;
  status: 200 | 201;
  message: string;
  data: z.ZodType;
  /** Codes this route answers beyond those every route of its kind does. */
  errors: ErrorCode[];
  example?: unknown;
  /** Request headers beyond Authorization. */
  headers?: Record<string, string>;
}

const SEED_SEND = {
  message: 'Hello from Mifumo SMS!',
  recipients: ['+255123456789', '+255987654321'],
  sender_id: 'MIFUMO',
  schedule_time: '2024-01-01T10:00:00Z',
};
const SEND_ERRORS: ErrorCode[] = ['INVALID_PHONE', 'INVALID_SENDER_ID', 'MESSAGE_TOO_LONG', 'NO_ROUTE'];

/** Every endpoint of the API; a test fails when the app has a route that is missing here. */
export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/sms/send/',
    tag: 'SMS',
    summary: 'Send SMS',
    description:
      'Stores and charges the message, then submits it to a carrier. Answers `queued` (or `scheduled` with a future `schedule_time`); follow it with the status endpoint or a webhook. An `Idempotency-Key` header makes retries safe: the same key and body answer the first response and send nothing more.',
    auth: 'write',
    body: sendSchema,
    status: 200,
    message: 'SMS sent successfully',
    data: data.sendData,
    errors: [...SEND_ERRORS, 'INSUFFICIENT_BALANCE', 'CONFLICT'],
    example: SEED_SEND,
    headers: { 'Idempotency-Key': '1 to 255 visible ASCII characters, per account (optional)' },
  },
  {
    method: 'post',
    path: '/v1/sms/quote/',
    tag: 'SMS',
    summary: 'Quote an SMS',
    description: 'The same checks and pricing as a send; nothing is stored, sent or charged.',
    auth: 'read',
    body: sendSchema,
    status: 200,
    message: 'Quote calculated successfully; nothing was sent or charged',
    data: data.quoteData,
    errors: SEND_ERRORS,
    example: { message: 'Habari “rafiki”', recipients: ['0754000111'] },
  },
  {
    method: 'get',
    path: '/v1/sms/status/{message_id}/',
    tag: 'SMS',
    summary: 'Message status',
    description: 'The message and each recipient: queued → sent → delivered | failed.',
    auth: 'read',
    params: { message_id: 'The `message_id` a send answered' },
    status: 200,
    message: 'Message status retrieved successfully',
    data: data.statusData,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/sms/delivery-reports/',
    tag: 'SMS',
    summary: 'Delivery reports',
    description:
      'One row per recipient, newest first, filtered by date (`YYYY-MM-DD` or ISO 8601) and status.',
    auth: 'read',
    query: reportsQuery,
    status: 200,
    message: 'Delivery reports retrieved successfully',
    data: data.reportsData,
    errors: ['VALIDATION_ERROR'],
  },
  {
    method: 'get',
    path: '/v1/sms/balance/',
    tag: 'SMS',
    summary: 'Account balance',
    auth: 'read',
    status: 200,
    message: 'Balance retrieved successfully',
    data: data.balanceData,
    errors: [],
  },
  {
    method: 'post',
    path: '/v1/contacts/create/',
    tag: 'Contacts',
    summary: 'Create a contact',
    description: 'The phone number is normalised to E.164 and unique per account.',
    auth: 'write',
    body: contactSchema,
    status: 201,
    message: 'Contact created successfully',
    data: data.contactData,
    errors: ['INVALID_PHONE', 'CONFLICT'],
    example: {
      name: 'John Doe',
      phone_number: '+255123456789',
      email: 'john@example.com',
      tags: ['customer', 'vip'],
    },
  },
  {
    method: 'get',
    path: '/v1/contacts/search/',
    tag: 'Contacts',
    summary: 'Search contacts',
    description: 'By name, phone or email (any case or accent), or by segment.',
    auth: 'read',
    query: searchQuery,
    status: 200,
    message: 'Contacts retrieved successfully',
    data: data.searchData,
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/contacts/segments/create/',
    tag: 'Contacts',
    summary: 'Create a segment',
    auth: 'write',
    body: segmentSchema,
    status: 201,
    message: 'Segment created successfully',
    data: data.segmentData,
    errors: [],
    example: { name: 'VIP Customers', description: 'High-value customers', criteria: { tags: ['vip'] } },
  },
  {
    method: 'get',
    path: '/v1/contacts/segments/',
    tag: 'Contacts',
    summary: 'List segments',
    auth: 'read',
    query: segmentsQuery,
    status: 200,
    message: 'Segments retrieved successfully',
    data: data.segmentsData,
    errors: ['VALIDATION_ERROR'],
  },
  {
    method: 'get',
    path: '/v1/contacts/segments/{segment_id}/',
    tag: 'Contacts',
    summary: 'Get a segment',
    auth: 'read',
    params: { segment_id: 'The segment’s id' },
    status: 200,
    message: 'Segment retrieved successfully',
    data: data.segmentData,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/keys/',
    tag: 'API keys',
    summary: 'Create an API key',
    description: 'The key is in the answer once and never again: store it.',
    auth: 'admin',
    body: keySchema,
    status: 201,
    message: 'API key created; store it now, it is not shown again',
    data: data.newKeyData,
    errors: [],
    example: { name: 'reports', permissions: ['read'] },
  },
  {
    method: 'get',
    path: '/v1/keys/',
    tag: 'API keys',
    summary: 'List API keys',
    auth: 'admin',
    query: keysQuery,
    status: 200,
    message: 'API keys retrieved successfully',
    data: data.keysData,
    errors: ['VALIDATION_ERROR'],
  },
  {
    method: 'delete',
    path: '/v1/keys/{key_id}/',
    tag: 'API keys',
    summary: 'Revoke an API key',
    description: 'Refused with CONFLICT for the account’s last admin key.',
    auth: 'admin',
    params: { key_id: 'The key’s id (not the key)' },
    status: 200,
    message: 'API key revoked',
    data: data.keyData,
    errors: ['NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/v1/webhooks/',
    tag: 'Webhooks',
    summary: 'Webhook settings',
    description: 'The default URL, the Bearer header setting and the signing secret (made on first use).',
    auth: 'admin',
    status: 200,
    message: 'Webhook settings retrieved successfully',
    data: data.webhookSettingsData,
    errors: [],
  },
  {
    method: 'put',
    path: '/v1/webhooks/',
    tag: 'Webhooks',
    summary: 'Set the webhook URL',
    description:
      'A URL the gateway will not call (not http(s), credentials, internal addresses) is refused, saying why.',
    auth: 'admin',
    body: webhookSettingsSchema,
    status: 200,
    message: 'Webhook settings updated',
    data: data.webhookSettingsData,
    errors: [],
    example: { url: 'https://shop.example/sms-hook', bearer_auth: true },
  },
  {
    method: 'post',
    path: '/v1/webhooks/rotate-secret/',
    tag: 'Webhooks',
    summary: 'Rotate the signing secret',
    description: 'The previous secret keeps signing too for `grace_period_seconds` (default a day).',
    auth: 'admin',
    body: rotateSecretSchema,
    bodyRequired: false,
    status: 200,
    message: 'Signing secret rotated; the previous one signs too until previous_secret_valid_until',
    data: data.webhookSettingsData,
    errors: ['CONFLICT'],
    example: { grace_period_seconds: 3600 },
  },
  {
    method: 'get',
    path: '/v1/webhooks/deliveries/',
    tag: 'Webhooks',
    summary: 'List webhook deliveries',
    auth: 'admin',
    query: deliveriesQuery,
    status: 200,
    message: 'Webhook deliveries retrieved successfully',
    data: data.deliveriesData,
    errors: ['VALIDATION_ERROR'],
  },
  {
    method: 'get',
    path: '/v1/webhooks/deliveries/{delivery_id}/',
    tag: 'Webhooks',
    summary: 'Get a webhook delivery',
    auth: 'admin',
    params: { delivery_id: 'The event id (`X-Mifumo-Event-Id`)' },
    status: 200,
    message: 'Webhook delivery retrieved successfully',
    data: data.deliveryData,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/webhooks/deliveries/{delivery_id}/resend/',
    tag: 'Webhooks',
    summary: 'Send a webhook again',
    description: 'Due at once, same event id, a fresh retry window; CONFLICT while it is being attempted.',
    auth: 'admin',
    params: { delivery_id: 'The event id (`X-Mifumo-Event-Id`)' },
    status: 200,
    message: 'Webhook delivery queued to be sent again',
    data: data.deliveryData,
    errors: ['NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/v1/carriers/{carrier_id}/callback/',
    tag: 'Carriers',
    summary: 'Carrier callback',
    description:
      'Delivery reports and inbound messages POSTed by an HTTP aggregator, in its own format, authenticated by the carrier’s `callbackToken` as `?token=` or `Authorization: Bearer`.',
    auth: 'callback',
    params: { carrier_id: 'The carrier’s `id` in the configuration' },
    status: 200,
    message: 'Callback received',
    data: data.callbackData,
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
  },
];
