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

export interface AfricasTalkingOptions {
  id: string;
  /** The app's username; `sandbox` sends to the sandbox host unless `baseUrl` says otherwise. */
  username: string;
  apiKey: string;
  /** `https://api.africastalking.com/version1` (`https://api.sandbox.africastalking.com/version1` for `sandbox`). */
  baseUrl?: string;
  callbackToken?: string | undefined;
  timeoutMs?: number;
  /** Requests per second the account may make; the dispatcher paces submits to it. */
  submitsPerSecond?: number | undefined;
  fetch?: Fetch;
}

/** Per-recipient status codes that mean accepted: Processed, Sent, Queued. */
const ACCEPTED = new Set(['100', '101', '102']);
/** Per-recipient codes worth trying again (later, or through another carrier). */
const RETRYABLE = new Set(['405', '407', '500', '501']);

/**
 * The subscriber blocks the sender (opted out of its messages): the send answer's status
 * `UserInBlacklist`, a report's failureReason `UserInBlackList`; compared in any case.
 */
const isBlacklisted = (text: string | undefined) => text?.toLowerCase() === 'userinblacklist';

/** Delivery statuses that end a message; Sent, Submitted and Buffered are on the way and ignored. */
const FINAL_STATUSES: Record<string, DeliveryReport['status']> = {
  success: 'delivered',
  failed: 'failed',
  rejected: 'failed',
  absentsubscriber: 'failed',
  expired: 'failed',
};

interface Recipient {
  statusCode?: unknown;
  status?: unknown;
  messageId?: unknown;
}

/**
 * Africa's Talking bulk SMS: a form POST to /messaging with the `apiKey` header, answered 201 with one
 * `messageId` per recipient (`ATXid_…`) or a per-recipient status code. Delivery reports and incoming
 * messages come as form POSTs to the callback URL set in its dashboard; both may point at ours.
 */
export function createAfricasTalkingCarrier(options: AfricasTalkingOptions): CarrierAdapter {
  const host = options.username === 'sandbox' ? 'api.sandbox.africastalking.com' : 'api.africastalking.com';
  const baseUrl = (options.baseUrl ?? `https://${host}/version1`).replace(/\/+$/, '');
  const client = carrierClient(options.fetch ?? fetch, options.timeoutMs ?? 10_000);
  return {
    id: options.id,
    type: 'africastalking',
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
      const form = new URLSearchParams({
        username: options.username,
        to: message.to,
        message: message.text,
        from: message.from,
        bulkSMSMode: '1',
      });
      const res = await client.call(
        `${baseUrl}/messaging`,
        {
          method: 'POST',
          headers: {
            apiKey: options.apiKey,
            Accept: 'application/json',
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: form.toString(),
        },
        signal,
      );
      const data = (
        parseJson(res.text) as { SMSMessageData?: { Message?: unknown; Recipients?: Recipient[] } }
      )?.SMSMessageData;
      const recipient = data?.Recipients?.[0];
      if (res.status < 200 || res.status >= 300) {
        // A 409 (do-not-disturb) still names the recipient's own status: read that first.
        if (!recipient) throw httpError(res, '');
      }
      if (!recipient) {
        const summary = typeof data?.Message === 'string' ? data.Message : res.text.slice(0, 200);
        throw new CarrierError(`Africa's Talking took no recipient: ${summary}`, {
          retryable: false,
          carrierCode: summary === 'InvalidSenderId' ? 'InvalidSenderId' : 'NO_RECIPIENT',
        });
      }
      const code = String(recipient.statusCode ?? '');
      const id = typeof recipient.messageId === 'string' ? recipient.messageId : '';
      if (ACCEPTED.has(code) && id !== '' && id !== 'None') return { carrierMessageIds: [id] };
      const status = String(recipient.status ?? 'refused');
      throw new CarrierError(`Africa's Talking ${code}: ${status}`, {
        retryable: RETRYABLE.has(code),
        carrierCode: code || 'UNKNOWN',
        optedOut: isBlacklisted(status),
      });
    },

    async handleCallback(request) {
      const fields = await callbackFields(request);
      const id = textField(fields, 'id');
      const text = textField(fields, 'text');
      const from = textField(fields, 'from');
      if (id !== undefined && text !== undefined && from !== undefined) {
        const date = textField(fields, 'date');
        const at =
          date === undefined
            ? Number.NaN
            : Date.parse(date.includes('T') ? date : `${date.replace(' ', 'T')}Z`);
        const message: InboundMessage = {
          carrierMessageId: id,
          from,
          to: textField(fields, 'to') ?? '',
          text,
        };
        if (!Number.isNaN(at)) message.at = at;
        return { reports: [], inbound: [message] };
      }
      const status = textField(fields, 'status');
      if (id === undefined || status === undefined)
        throw new CarrierError(
          'a delivery report needs id and status; an incoming message id, from and text',
          {
            retryable: false,
          },
        );
      const failureReason = textField(fields, 'failureReason');
      const content = receiptContent(
        id,
        FINAL_STATUSES[status.toLowerCase()],
        failureReason ?? status,
        `Africa's Talking reported ${status}`,
      );
      for (const report of content.reports)
        if (report.status === 'failed' && isBlacklisted(failureReason)) report.optedOut = true;
      return content;
    },
  };
}

/** `{ "id": "at", "type": "africastalking", "username": "…", "apiKey": "…", "baseUrl"?, "callbackToken"?, "timeoutMs"? }` */
export const africasTalkingCarrier = defineCarrier({
  type: 'africastalking',
  options: z.strictObject({
    ...aggregatorFields,
    type: z.literal('africastalking'),
    username: z.string().min(1),
    apiKey: z.string().min(1),
  }),
  create: ({ type: _, ...options }) => createAfricasTalkingCarrier(options),
});
