/** The value at a dotted path (`data.recipients.0.id`) in parsed JSON, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A value as text when it is a string or a finite number (an id, a code, a status). */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Fills a body template: every string holding `{{name}}` gets the value; a string that is exactly one
 * placeholder takes the value's own type. Unknown names are left as they are (configuration checks them).
 */
export function fillTemplate(template: unknown, values: Readonly<Record<string, string | number>>): unknown {
  if (typeof template === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(template);
    if (whole && whole[1]! in values) return values[whole[1]!];
    return template.replace(/\{\{(\w+)\}\}/g, (m, name: string) =>
      name in values ? String(values[name]) : m,
    );
  }
  if (Array.isArray(template)) return template.map((t) => fillTemplate(t, values));
  if (template !== null && typeof template === 'object')
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillTemplate(v, values)]));
  return template;
}

/** The `{{name}}` placeholders a template uses. */
export function placeholdersIn(template: unknown): string[] {
  const text = JSON.stringify(template) ?? '';
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
}
