import { type CarrierAdapter, CarrierError, type DeliveryReport, type InboundMessage } from '@mifumo/core';
import { z } from 'zod';
import { defineCarrier } from '../build/definition';
import { aggregatorFields } from './options';
import {
  callbackFields,
  carrierClient,
  type Fetch,
  httpError,
  parseJson,
  receiptContent,
  textField,
} from './request';

export interface BeemOptions {
  id: string;
  apiKey: string;
  secretKey: string;
  /** `https://apisms.beem.africa` unless a sandbox or a test server stands in. */
  baseUrl?: string;
  callbackToken?: string | undefined;
  timeoutMs?: number;
  /** Requests per second the account may make; the dispatcher paces submits to it. */
  submitsPerSecond?: number | undefined;
  fetch?: Fetch;
}

/** Beem's response codes that refuse the message itself; any other failure may pass later or elsewhere. */
const PERMANENT_CODES = new Set([
  '101',
  '104',
  '109',
  '110',
  '111',
  '113',
  '114',
  '115',
  '116',
  '118',
  '119',
  '121',
]);

/** DLR statuses that end a message; `PENDING` and the like are not final and are ignored. */
const FINAL_STATUSES: Record<string, DeliveryReport['status']> = {
  DELIVERED: 'delivered',
  UNDELIVERED: 'failed',
  FAILED: 'failed',
  REJECTED: 'failed',
  EXPIRED: 'failed',
};

/**
 * A Beem Two-Way SMS callback: a subscriber's message to the account's number or short code, or null
 * when `fields` are not one (a delivery report). Beem publishes no schema for it; the fields read are
 * those Beem's Two-Way SMS integrations use (the gowelle/laravel-beem-africa package's inbound SMS
 * webhook reads `from`, `to`, `message` and `timestamp`), with the spellings its other callbacks use
 * accepted too: `from` (or `source_addr`), `to` (or `dest_addr`), `message` (text, or an object with
 * `text`) or `text`, `timestamp` (any date-time `Date.parse` reads), and an id from
 * `transaction_id`, `message_id` or `id` when one is given.
 */
function inboundOf(fields: Record<string, unknown>): InboundMessage | null {
  const from = textField(fields, 'from', 'source_addr');
  const body = fields.message;
  const nested =
    body !== null && typeof body === 'object'
      ? textField(body as Record<string, unknown>, 'text')
      : undefined;
  const text = textField(fields, 'message', 'text') ?? nested;
  if (from === undefined || text === undefined) return null;
  const message: InboundMessage = { from, to: textField(fields, 'to', 'dest_addr') ?? '', text };
  const id = textField(fields, 'transaction_id', 'message_id', 'id');
  if (id !== undefined) message.carrierMessageId = id;
  const at = Date.parse(textField(fields, 'timestamp') ?? '');
  if (!Number.isNaN(at)) message.at = at;
  return message;
}

/**
 * Beem Africa (apisms.beem.africa): one JSON POST to /v1/send per recipient with Basic auth; the whole
 * text goes as one message (Beem splits it) with `encoding` 0 (GSM) or 8 (UCS-2). Beem answers one
 * `request_id` per request and no id per recipient, so that is the carrier id its delivery callbacks
 * (`request_id`, `dest_addr`, `Status`/`status`) are matched by. Two-Way SMS callbacks (`inboundOf`)
 * come to the same callback URL.
 */
export function createBeemCarrier(options: BeemOptions): CarrierAdapter {
  const baseUrl = (options.baseUrl ?? 'https://apisms.beem.africa').replace(/\/+$/, '');
  const client = carrierClient(options.fetch ?? fetch, options.timeoutMs ?? 10_000);
  // btoa takes Latin-1 only: the credentials go as UTF-8 bytes (RFC 7617), whatever they hold.
  const credentials = new TextEncoder().encode(`${options.apiKey}:${options.secretKey}`);
  const auth = `Basic ${btoa(String.fromCharCode(...credentials))}`;
  return {
    id: options.id,
    type: 'beem',
    callbackToken: options.callbackToken,
    capabilities: {
      ucs2: true,
      longMessages: 'carrier',
      reports: 'callback',
      runtime: 'any',
      submitsPerSecond: options.submitsPerSecond,
    },

    stop: client.stop,

    async submit(message, signal) {
      const res = await client.call(
        `${baseUrl}/v1/send`,
        {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({
            source_addr: message.from,
            schedule_time: '',
            encoding: message.encoding === 'UCS-2' ? 8 : 0,
            message: message.text,
            recipients: [{ recipient_id: 1, dest_addr: message.to.replace(/^\+/, '') }],
          }),
        },
        signal,
      );
      const body = parseJson(res.text) as
        | { code?: unknown; message?: unknown; successful?: unknown; valid?: unknown; request_id?: unknown }
        | undefined;
      const code = body?.code === undefined ? undefined : String(body.code);
      const requestId = body && textField(body, 'request_id');
      if (
        res.status >= 200 &&
        res.status < 300 &&
        code === '100' &&
        body?.successful !== false &&
        requestId
      ) {
        if (body?.valid === 0)
          throw new CarrierError('Beem accepted the request but not the recipient', {
            retryable: false,
            carrierCode: '101',
          });
        return { carrierMessageIds: [requestId] };
      }
      const text = typeof body?.message === 'string' ? body.message : '';
      if (code === undefined || code === '100') throw httpError(res, text);
      throw new CarrierError(`Beem ${code}: ${text}`, {
        retryable: !PERMANENT_CODES.has(code),
        carrierCode: code,
      });
    },

    async handleCallback(request) {
      const fields = await callbackFields(request);
      const requestId = textField(fields, 'request_id');
      const status = textField(fields, 'Status', 'status')?.toUpperCase();
      if (requestId === undefined || status === undefined) {
        const inbound = inboundOf(fields);
        if (inbound) return { reports: [], inbound: [inbound] };
        throw new CarrierError(
          'a Beem delivery report needs request_id and Status; a Two-Way SMS message from and message',
          { retryable: false },
        );
      }
      return receiptContent(requestId, FINAL_STATUSES[status], status, `Beem reported ${status}`);
    },
  };
}

/** `{ "id": "beem", "type": "beem", "apiKey": "…", "secretKey": "…", "baseUrl"?, "callbackToken"?, "timeoutMs"? }` */
export const beemCarrier = defineCarrier({
  type: 'beem',
  options: z.strictObject({
    ...aggregatorFields,
    type: z.literal('beem'),
    apiKey: z.string().min(1),
    secretKey: z.string().min(1),
  }),
  create: ({ type: _, ...options }) => createBeemCarrier(options),
});
