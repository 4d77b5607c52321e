/** The part of JSON Schema (2020-12, as zod and the OpenAPI document write it) that fields are read from. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  format?: string;
  pattern?: string;
  examples?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** One field as a reader looks it up: where it is, its JSON type, and what it may hold. */
export interface FieldRow {
  /** Dotted from its object: `recipients[].phone` is the `phone` of each item of `recipients`. */
  name: string;
  /** Its JSON type as a reader names it: `string`, `integer`, `array of objects`, `string or null`. */
  type: string;
  required: boolean;
  /** Its default (a string as is, anything else as JSON), when it has one. */
  default: string | null;
  /** Its allowed values, format and bounds, each a short phrase (`code` in backticks). */
  rules: string[];
  description: string;
}

const FORMATS: Record<string, string> = {
  date: 'date YYYY-MM-DD',
  'date-time': 'ISO 8601 date-time with offset',
  e164: 'E.164 phone number',
  email: 'email address',
  uri: 'http(s) URL',
};

/** The alternatives a schema allows: `anyOf`/`oneOf` members, or each of a type list. */
function variants(schema: JsonSchema): JsonSchema[] {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return options.flatMap(variants);
  if (Array.isArray(schema.type)) return schema.type.map((type) => ({ ...schema, type }));
  return [schema];
}

const isNull = (s: JsonSchema) => s.type === 'null' || (s.const === null && s.type === undefined);
const valuable = (schema: JsonSchema) => variants(schema).filter((v) => !isNull(v));

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function variantType(v: JsonSchema): string {
  if (isNull(v)) return 'null';
  if (v.const !== undefined) return typeOfValue(v.const);
  if (typeof v.type === 'string' && v.type !== 'array') return v.type;
  if (v.type === 'array') return `array of ${plural(v.items ? typeName(v.items) : 'JSON value')}`;
  if (v.enum?.length) return [...new Set(v.enum.map(typeOfValue))].join(' or ');
  if (v.properties) return 'object';
  return 'JSON value';
}

const plural = (type: string) =>
  type
    .split(' or ')
    .map((t) => t.replace(/^(array|string|integer|number|boolean|object|null|JSON value)/, '$1s'))
    .join(' or ');

/** A schema's JSON type, as a reader names it (null last). */
export function typeName(schema: JsonSchema): string {
  const names = [...new Set(variants(schema).map(variantType))];
  return [...names.filter((n) => n !== 'null'), ...names.filter((n) => n === 'null')].join(' or ');
}

/** What a schema says of itself, or (a nullable field) what its value's schema says. */
export function descriptionOf(schema: JsonSchema): string {
  return schema.description ?? valuable(schema).find((v) => v.description)?.description ?? '';
}

const shown = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
const SAFE = Number.MAX_SAFE_INTEGER;

/** Bounds as a phrase: `1 to 100 characters`, `at least 1 item`, `at most 50`. */
function range(min: number | undefined, max: number | undefined, unit = ''): string | null {
  const lo = min === undefined || min <= -SAFE ? undefined : min;
  const hi = max === undefined || max >= SAFE ? undefined : max;
  const of = (n: number) => (unit ? ` ${unit}${n === 1 ? '' : 's'}` : '');
  if (lo !== undefined && hi !== undefined)
    return lo === hi ? `exactly ${lo}${of(lo)}` : `${lo} to ${hi}${of(hi)}`;
  if (lo !== undefined) return `at least ${lo}${of(lo)}`;
  if (hi !== undefined) return `at most ${hi}${of(hi)}`;
  return null;
}

/** What one (non-null) alternative allows: its values, format and bounds. */
function variantRules(v: JsonSchema): string[] {
  const rules: string[] = [];
  if (v.const !== undefined) rules.push(`always ${shown(v.const)}`);
  if (v.enum) rules.push(`one of ${v.enum.map(shown).join(', ')}`);
  if (v.format) rules.push(FORMATS[v.format] ?? v.format);
  else if (v.pattern) rules.push(`matches \`${v.pattern}\``);
  const length = range(v.minLength, v.maxLength, 'character');
  if (length) rules.push(length);
  const value = range(v.minimum, v.maximum);
  if (value) rules.push(value);
  const items = range(v.minItems, v.maxItems, 'item');
  if (items) rules.push(items);
  if (v.type === 'array' && v.items) {
    const each = valuable(v.items).flatMap(variantRules);
    if (each.length) rules.push(`each: ${each.join(', ')}`);
  }
  if (v.examples?.length) rules.push(`e.g. ${v.examples.map(shown).join(', ')}`);
  return rules;
}

/** The properties of the objects a schema allows (several objects: each property once, merged). */
function propertiesOf(schemas: JsonSchema[]): { name: string; schema: JsonSchema; required: boolean }[] {
  const objects = schemas.filter((s) => s.properties);
  const byName = new Map<string, { schemas: JsonSchema[]; required: number }>();
  for (const o of objects)
    for (const [name, schema] of Object.entries(o.properties!)) {
      const entry = byName.get(name) ?? { schemas: [], required: 0 };
      entry.schemas.push(schema);
      if (o.required?.includes(name)) entry.required++;
      byName.set(name, entry);
    }
  return [...byName].map(([name, { schemas: found, required }]) => ({
    name,
    schema: merged(found),
    required: required === objects.length,
  }));
}

/** One property as several objects of a union have it: their constants become one list of values. */
function merged(schemas: JsonSchema[]): JsonSchema {
  if (schemas.length === 1 || !schemas.every((s) => s.const !== undefined)) return schemas[0]!;
  return {
    type: typeOfValue(schemas[0]!.const),
    enum: schemas.map((s) => s.const),
    description: schemas.map(descriptionOf).filter(Boolean).join('; '),
  };
}

/**
 * Every field of an object schema as rows, its nested objects' fields after it (`a.b`, and `a[].b` for
 * the objects of an array). An array of objects at the top gives its items' fields (`[].b`).
 */
export function fieldRows(schema: JsonSchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const values = valuable(schema);
  const arrays = values.filter((v) => v.type === 'array' && v.items);
  for (const { name, schema: field, required } of propertiesOf(values)) {
    const path = `${prefix}${name}`;
    const fieldDefault = field.default ?? valuable(field).find((v) => v.default !== undefined)?.default;
    rows.push({
      name: path,
      type: typeName(field),
      required,
      default:
        fieldDefault === undefined
          ? null
          : typeof fieldDefault === 'string'
            ? fieldDefault
            : JSON.stringify(fieldDefault),
      rules: valuable(field).flatMap(variantRules),
      description: descriptionOf(field),
    });
    rows.push(...fieldRows(field, `${path}.`));
  }
  for (const a of arrays) rows.push(...fieldRows(a.items!, `${prefix.replace(/\.$/, '')}[].`));
  return rows;
}
