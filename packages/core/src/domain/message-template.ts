import { invalidField } from '../errors';

/** The fields a campaign's text may name: `{name}`, or `{name|default}` for when a contact has none. */
export const TEMPLATE_FIELDS = ['name', 'first_name', 'last_name', 'phone_number', 'email'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

type Part = string | { field: TemplateField; fallback: string | null };

/** A parsed message template: text and placeholders, rendered per recipient. Pure. */
export interface MessageTemplate {
  /** The fields it names, each once. */
  fields: TemplateField[];
  /** Whether every field it names has a default (so phone numbers alone can fill it). */
  allDefaulted: boolean;
  render(values: Partial<Record<TemplateField, string | null>>): string;
}

const PLACEHOLDER = /\{\{|\}\}|\{([^{}|]*)(?:\|([^{}]*))?\}/g;

/**
 * Parses `Habari {first_name|mteja}, oda yako iko tayari`: `{field}` is the contact's value, `{field|text}`
 * that value or, when it is missing or empty, `text`; `{{` and `}}` are literal braces. An unknown
 * field or a lone brace is refused, naming it.
 */
export function parseTemplate(text: string): MessageTemplate {
  const parts: Part[] = [];
  const unknown: string[] = [];
  const between: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    between.push(text.slice(last, m.index));
    parts.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0] === '{{' || m[0] === '}}') {
      parts.push(m[0][0]!);
      continue;
    }
    const field = m[1]!.trim();
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(field)) unknown.push(field);
    else parts.push({ field: field as TemplateField, fallback: m[2] ?? null });
  }
  const rest = text.slice(last);
  between.push(rest);
  if (unknown.length) {
    const problem = `${unknown.map((f) => `{${f}}`).join(', ')}: use ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}, with a default as {name|mteja}`;
    throw invalidField('message', `has unknown placeholder ${problem}`, `Unknown placeholder ${problem}`);
  }
  if (between.some((t) => /[{}]/.test(t)))
    throw invalidField(
      'message',
      'has a lone { or }: write {{ or }} for a brace',
      'A lone { or } in the message: write {{ or }} for a brace',
    );
  parts.push(rest);
  const placeholders = parts.filter((p): p is Exclude<Part, string> => typeof p !== 'string');
  return {
    fields: [...new Set(placeholders.map((p) => p.field))],
    allDefaulted: placeholders.every((p) => p.fallback !== null || p.field === 'phone_number'),
    render(values) {
      let out = '';
      for (const p of parts) {
        if (typeof p === 'string') out += p;
        else {
          const value = values[p.field]?.trim();
          out += value ? value : (p.fallback ?? '');
        }
      }
      return out;
    },
  };
}

/** A contact's template values: `first_name` is the name's first word, `last_name` the rest. */
export function templateValues(contact: { name: string; phone: string; email: string | null }) {
  const [first = '', ...rest] = contact.name.trim().split(/\s+/);
  return {
    name: contact.name,
    first_name: first,
    last_name: rest.join(' '),
    phone_number: contact.phone,
    email: contact.email,
  };
}
