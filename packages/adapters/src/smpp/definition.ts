import { NATIONAL_LANGUAGES } from '@mifumo/core';
import { z } from 'zod';
import { defineCarrier } from '../build/definition';
import { createSmppCarrier } from './smpp-carrier';

const ms = z.number().int().positive();

/** `{ "id": "vodacom", "type": "smpp", "host": "…", "port": 2775, "systemId": "…", "password": "…", … }` (docs/carriers.md, "SMPP 3.4"). */
export const smppCarrier = defineCarrier({
  type: 'smpp',
  options: z.strictObject({
    id: z.string().min(1),
    type: z.literal('smpp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(2775),
    systemId: z.string().min(1).max(15),
    password: z.string().max(8),
    systemType: z.string().max(12).optional(),
    tls: z
      .union([
        z.boolean(),
        z.strictObject({
          ca: z.string().optional(),
          servername: z.string().optional(),
          rejectUnauthorized: z.boolean().optional(),
        }),
      ])
      .optional(),
    binds: z.number().int().min(1).max(32).optional(),
    bindMode: z.enum(['transceiver', 'transmitter+receiver']).optional(),
    window: z.number().int().min(1).max(1000).optional(),
    submitsPerSecond: z.number().positive().optional(),
    responseTimeoutMs: ms.optional(),
    enquireLinkMs: ms.optional(),
    reconnectMinMs: ms.optional(),
    reconnectMaxMs: ms.optional(),
    throttleBackoffMs: ms.optional(),
    gsm7DataCoding: z.number().int().min(0).max(255).optional(),
    gsm7Wire: z.enum(['unpacked', 'packed', 'latin1']).optional(),
    longMessages: z.enum(['udh', 'sar', 'payload']).optional(),
    receiptIds: z.enum(['auto', 'same', 'decimal', 'hex']).optional(),
    nationalLanguages: z.array(z.enum(NATIONAL_LANGUAGES)).optional(),
    optOutErrorCodes: z
      .array(
        z.string().regex(/^(0x[0-9a-fA-F]{1,8}|err:\d{1,10})$/, '0x<hex command_status> or err:<digits>'),
      )
      .max(100)
      .optional(),
  }),
  create: ({ type: _, ...options }) => createSmppCarrier(options),
});
