import { readdirSync, readFileSync } from 'node:fs';
import { configSchema, ERROR_DETAILS } from '@mifumo/core';
import { expect, it } from 'vitest';
import { nodeCarriers } from './carriers';

const ROOT = new URL('../../../', import.meta.url);
/** The README and every docs/ page. */
const PAGES = ['README.md', ...readdirSync(new URL('docs/', ROOT)).map((f) => `docs/${f}`)].map((path) =>
  readFileSync(new URL(path, ROOT), 'utf8'),
);
const blocks = PAGES.flatMap((text) =>
  [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>),
);

it('every JSON block of the README and the docs/ pages is what it says: a config the Node runtime builds, a carrier entry it builds, a webhook payload (a status or message.received), or an error answer', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  for (const block of blocks) {
    if (block.event === 'message.received') {
      // The message.received payload.
      expect(Object.keys(block).sort()).toEqual([
        'event',
        'from',
        'in_reply_to',
        'inbound_id',
        'keyword',
        'received_at',
        'text',
        'to',
      ]);
      continue;
    }
    if ('error_code' in block) {
      // An answer in the envelope: its details have the shape its code documents.
      expect(Object.keys(block).sort()).toEqual(['data', 'details', 'error_code', 'message', 'success']);
      ERROR_DETAILS[block.error_code as keyof typeof ERROR_DETAILS].parse(block.details);
      continue;
    }
    if ('message_id' in block) {
      // The webhook payload: the seed's shape exactly.
      expect(Object.keys(block).sort()).toEqual(['message_id', 'metadata', 'recipients', 'status']);
      continue;
    }
    const config = configSchema.parse('carriers' in block ? block : { carriers: [block] });
    expect(nodeCarriers(config).length).toBe(config.carriers.length);
  }
});
