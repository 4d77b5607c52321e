import type { ErrorCode, GatewayError } from '../errors';
import type { Translator } from './i18n/translate';

/** A refusal as a page shows it, in the page's language. */
export interface Refusal {
  code: ErrorCode;
  /** The code's sentence (`Something needs correcting.`). */
  summary: string;
  /** What was wrong: each field's problem (`permissions: tick at least one permission`), or the error's message. */
  message: string;
  /** Each field named by the error and its problem, for a form to show beside the field. */
  fields: Record<string, string>;
}

interface Problem {
  field: string;
  message: string;
}
const isProblem = (p: unknown): p is Problem =>
  typeof p === 'object' &&
  p !== null &&
  typeof (p as Problem).field === 'string' &&
  typeof (p as Problem).message === 'string';

/**
 * A refusal in the page's language. Input problems come as `details: [{ field, message }]`; the
 * dashboard's own reasons are translated, the services' messages are shown as they are (with the
 * code). Pure.
 */
export function refusalOf(e: GatewayError, t: Translator): Refusal {
  const raw = (Array.isArray(e.details) ? (e.details as unknown[]) : []).filter(isProblem);
  const problems = raw.map((p) => ({ field: p.field, message: t.reason(p.message) }));
  const listed = (list: Problem[]) => list.map((p) => `${p.field}: ${p.message}`).join('; ');
  return {
    code: e.code,
    summary: t(`error.${e.code}`),
    // A message that only lists the problems (a form's) is listed again in the page's language.
    message: raw.length && e.message === listed(raw) ? listed(problems) : t.reason(e.message),
    fields: Object.fromEntries(problems.map((p) => [p.field, p.message])),
  };
}
