import { type CarrierAdapter, CarrierError } from '@mifumo/core';
import { z } from 'zod';
import { defineCarrier } from '../build/definition';
import { asText, fillTemplate, placeholdersIn, valueAt } from './json-path';
import { callbackToken } from './options';
import { callbackFields, carrierClient, type Fetch, httpError, parseJson, receiptContent } from './request';

/** What a body template may use. */
export const PLACEHOLDERS = [
  'to',
  'toDigits',
  'from',
  'text',
  'id',
  'messageId',
  'encoding',
  'parts',
] as const;

const path = z.string().regex(/^[\w-]+(\.[\w-]+)*$/, 'a dotted path such as data.message_id');

const genericSchema = z.strictObject({
  id: z.string().min(1),
  type: z.literal('http'),
  /** Where a message is POSTed. */
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).default({}),
  /** The JSON body, with `{{placeholders}}` (see PLACEHOLDERS). */
  body: z.record(z.string(), z.unknown()).superRefine((body, ctx) => {
    for (const name of placeholdersIn(body))
      if (!(PLACEHOLDERS as readonly string[]).includes(name))
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder {{${name}}} (known: ${PLACEHOLDERS.join(', ')})`,
        });
  }),
  /** Where the carrier's id is in a successful response. */
  idPath: path,
  /** Where an error's code and text are in a refusal, if anywhere. */
  errorCodePath: path.optional(),
  errorMessagePath: path.optional(),
  /** Error codes that refuse the message for good (a 4xx other than 401/403/429 always does). */
  permanentCodes: z.array(z.string()).default([]),
  /** How delivery callbacks read (JSON or form); without it the carrier sends none. */
  callback: z
    .strictObject({
      idPath: path,
      statusPath: path,
      delivered: z.array(z.string().min(1)).min(1),
      failed: z.array(z.string().min(1)).min(1),
      errorPath: path.optional(),
    })
    .optional(),
  callbackToken: callbackToken.optional(),
  ucs2: z.boolean().default(true),
  submitsPerSecond: z.number().positive().optional(),
  timeoutMs: z.number().int().positive().default(10_000),
});

export type GenericHttpOptions = z.output<typeof genericSchema> & { fetch?: Fetch };

/**
 * Any JSON-over-HTTP SMS API, described in configuration: a body template, where the id and errors are
 * in the answer, and how its delivery callbacks read. The whole text goes in one request.
 */
export function createGenericHttpCarrier(options: GenericHttpOptions): CarrierAdapter {
  const client = carrierClient(options.fetch ?? fetch, options.timeoutMs);
  const permanent = new Set(options.permanentCodes);
  const { callback } = options;
  const adapter: CarrierAdapter = {
    id: options.id,
    type: 'http',
    callbackToken: options.callbackToken,
    capabilities: {
      ucs2: options.ucs2,
      longMessages: 'carrier',
      reports: callback ? 'callback' : 'none',
      submitsPerSecond: options.submitsPerSecond,
      runtime: 'any',
    },

    stop: client.stop,

    async submit(message, signal) {
      const body = fillTemplate(options.body, {
        to: message.to,
        toDigits: message.to.replace(/^\+/, ''),
        from: message.from,
        text: message.text,
        id: message.id,
        messageId: message.messageId,
        encoding: message.encoding,
        parts: message.parts.length,
      });
      const res = await client.call(
        options.url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...options.headers },
          body: JSON.stringify(body),
        },
        signal,
      );
      const json = parseJson(res.text);
      const id = asText(valueAt(json, options.idPath));
      if (res.status >= 200 && res.status < 300 && id !== undefined) return { carrierMessageIds: [id] };
      const code = options.errorCodePath ? asText(valueAt(json, options.errorCodePath)) : undefined;
      const text = (options.errorMessagePath && asText(valueAt(json, options.errorMessagePath))) || '';
      if (code !== undefined && permanent.has(code))
        throw new CarrierError(text || `refused with ${code}`, { retryable: false, carrierCode: code });
      if (res.status >= 200 && res.status < 300)
        throw new CarrierError(`no id at ${options.idPath} in the answer${text ? `: ${text}` : ''}`, {
          retryable: code === undefined,
          carrierCode: code ?? 'NO_ID',
        });
      const error = httpError(res, text);
      if (code === undefined) throw error;
      throw new CarrierError(error.message, {
        retryable: error.retryable,
        carrierCode: code,
        retryAfterMs: error.retryAfterMs,
      });
    },
  };
  if (callback)
    adapter.handleCallback = async (request) => {
      const fields = await callbackFields(request);
      const id = asText(valueAt(fields, callback.idPath));
      const status = asText(valueAt(fields, callback.statusPath));
      if (id === undefined || status === undefined)
        throw new CarrierError(`a callback needs ${callback.idPath} and ${callback.statusPath}`, {
          retryable: false,
        });
      const final = callback.delivered.includes(status)
        ? 'delivered'
        : callback.failed.includes(status)
          ? 'failed'
          : null;
      const errorMessage = callback.errorPath ? asText(valueAt(fields, callback.errorPath)) : undefined;
      return receiptContent(id, final, status, errorMessage);
    };
  return adapter;
}

/** A JSON HTTP API described in configuration (see docs/carriers.md, "Generic JSON API"). */
export const genericHttpCarrier = defineCarrier({
  type: 'http',
  options: genericSchema,
  create: (options) => createGenericHttpCarrier(options),
});
