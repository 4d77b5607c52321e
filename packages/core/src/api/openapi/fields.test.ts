import { expect, it } from 'vitest';
import { z } from 'zod';
import { fieldRows, type JsonSchema } from './fields';

const rowsOf = (schema: z.ZodType, io: 'input' | 'output' = 'input') =>
  fieldRows(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema);

it('reads a field’s JSON type, required, default, bounds and description through optional, nullable, default and transform', () => {
  const rows = rowsOf(
    z.strictObject({
      name: z.string().trim().min(1).max(100).describe('A name'),
      note: z
        .string()
        .max(500)
        .nullish()
        .transform((v) => v ?? undefined)
        .describe('A note'),
      page: z.coerce.number().int().min(1).default(1).describe('Which page'),
      kind: z.enum(['a', 'b']).optional().meta({ default: 'a', description: 'Its kind' }),
      tags: z.array(z.string().min(1).max(50)).min(1).max(1).optional().describe('Tags'),
    }),
  );
  expect(rows).toEqual([
    {
      name: 'name',
      type: 'string',
      required: true,
      default: null,
      rules: ['1 to 100 characters'],
      description: 'A name',
    },
    {
      name: 'note',
      type: 'string or null',
      required: false,
      default: null,
      rules: ['at most 500 characters'],
      description: 'A note',
    },
    // A coerced integer has no upper bound worth showing (Number.MAX_SAFE_INTEGER).
    {
      name: 'page',
      type: 'integer',
      required: false,
      default: '1',
      rules: ['at least 1'],
      description: 'Which page',
    },
    {
      name: 'kind',
      type: 'string',
      required: false,
      default: 'a',
      rules: ['one of `a`, `b`'],
      description: 'Its kind',
    },
    {
      name: 'tags',
      type: 'array of strings',
      required: false,
      default: null,
      rules: ['exactly 1 item', 'each: 1 to 50 characters'],
      description: 'Tags',
    },
  ]);
});

it('lists nested objects’ fields after their parent, and array items as `[]`', () => {
  const instant = z.iso.datetime({ offset: true });
  const rows = rowsOf(
    z.strictObject({
      recipients: z
        .array(
          z.strictObject({
            phone: z.string().meta({ format: 'e164', description: 'Its number' }),
            at: instant.nullable().meta({ description: 'When' }),
          }),
        )
        .describe('Each recipient'),
      last_error: z
        .strictObject({ message: z.string().describe('What') })
        .nullable()
        .describe('The last error'),
    }),
    'output',
  );
  expect(rows.map((r) => [r.name, r.type, r.rules.join('; '), r.description])).toEqual([
    ['recipients', 'array of objects', '', 'Each recipient'],
    ['recipients[].phone', 'string', 'E.164 phone number', 'Its number'],
    ['recipients[].at', 'string or null', 'ISO 8601 date-time with offset', 'When'],
    ['last_error', 'object or null', '', 'The last error'],
    ['last_error.message', 'string', '', 'What'],
  ]);
  expect(
    rowsOf(z.array(z.strictObject({ phone_number: z.string().describe('N') }))).map((r) => r.name),
  ).toEqual(['[].phone_number']);
});

it('merges the variants of a union: their constants become one list of values, required only where every variant has it', () => {
  const rows = rowsOf(
    z.discriminatedUnion('reason', [
      z.strictObject({
        reason: z.literal('taken').describe('`taken`: used'),
        number: z.string().describe('The number'),
      }),
      z.strictObject({ reason: z.literal('last').describe('`last`: the last one') }),
    ]),
    'output',
  );
  expect(rows).toEqual([
    {
      name: 'reason',
      type: 'string',
      required: true,
      default: null,
      rules: ['one of `taken`, `last`'],
      description: '`taken`: used; `last`: the last one',
    },
    { name: 'number', type: 'string', required: false, default: null, rules: [], description: 'The number' },
  ]);
});
