/**
 * The opt-out footer of promotional messages and the replies to opt-out, opt-in and help keywords:
 * templates with `{placeholders}`, rendered here. Pure.
 *
 * A footer names where to send the opt-out keyword: `{number}` (required) is the account's inbound
 * number or short code; `{keyword}` is the account's keyword when that number is a shared short code
 * (`Kusitisha tuma {keyword} ACHA kwenda {number}` → `Kusitisha tuma DUKA ACHA kwenda 15678`), and
 * nothing when the number is the account's own (`Kusitisha tuma ACHA kwenda 15678`: the spaces around
 * an empty placeholder close up). Replies may name `{sender}`: who the messages come from.
 */

/** The gateway's default footer: Swahili for "To stop, send [DUKA] ACHA to 15678". */
export const DEFAULT_OPT_OUT_FOOTER = 'Kusitisha tuma {keyword} ACHA kwenda {number}';

/** The default replies, Swahili then English; each fits one GSM-7 segment with an 11-character sender. */
export const DEFAULT_REPLIES = {
  optOutReply:
    'Umeondolewa kwenye ujumbe wa {sender}. Tuma ANZA kujiunga tena. / You are unsubscribed from {sender}. Reply START to rejoin.',
  optInReply:
    'Umejiunga tena na ujumbe wa {sender}. Tuma ACHA kusitisha. / You are subscribed to {sender} again. Reply STOP to unsubscribe.',
  helpReply:
    '{sender}: Tuma ACHA kusitisha ujumbe, ANZA kujiunga tena. / Reply STOP to unsubscribe, START to rejoin.',
} as const;

/** Characters a footer template may have (it is added to every promotional message). */
export const MAX_FOOTER_LENGTH = 80;
/** Characters a reply template may have. */
export const MAX_REPLY_LENGTH = 300;

export const FOOTER_PLACEHOLDERS = ['number', 'keyword'] as const;
export const REPLY_PLACEHOLDERS = ['sender'] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** What is wrong with a footer template (a sentence), or null. */
export function footerProblem(template: string): string | null {
  return (
    templateProblem(template, FOOTER_PLACEHOLDERS, MAX_FOOTER_LENGTH) ??
    (template.includes('{number}') ? null : 'must contain {number}, where to send the opt-out keyword')
  );
}

/** What is wrong with a reply template (a sentence), or null. */
export const replyProblem = (template: string): string | null =>
  templateProblem(template, REPLY_PLACEHOLDERS, MAX_REPLY_LENGTH);

function templateProblem(template: string, allowed: readonly string[], maxLength: number): string | null {
  if (template.trim() === '') return 'must not be empty';
  if ([...template].length > maxLength) return `must be at most ${maxLength} characters`;
  for (const m of template.matchAll(PLACEHOLDER))
    if (!allowed.includes(m[1]!))
      return `has an unknown placeholder {${m[1]}}; it may use ${allowed.map((p) => `{${p}}`).join(', ')}`;
  return null;
}

/** Where recipients send the opt-out keyword: a number or short code, and the account's keyword on a shared one. */
export interface OptOutRoute {
  number: string;
  keyword: string | null;
}

/**
 * The footer for `route`; null when the route has a keyword but the template has no `{keyword}` (it
 * would send people to a shared code without the keyword that reaches this account).
 */
export function renderFooter(template: string, route: OptOutRoute): string | null {
  if (route.keyword !== null && !template.includes('{keyword}')) return null;
  const text = template.replaceAll('{number}', route.number).replaceAll('{keyword}', route.keyword ?? '');
  return route.keyword === null ? text.replace(/ {2,}/g, ' ').trim() : text;
}

/**
 * `text` with `footer` on a line of its own (a line break costs one character, like a space, in GSM-7
 * and UCS-2 alike, and keeps the footer apart); a text that already ends with it is returned as is.
 */
export function withFooter(text: string, footer: string): string {
  const body = text.trimEnd();
  if (body.endsWith(footer)) return text;
  return body === '' ? footer : `${body}\n${footer}`;
}

/** A reply with `{sender}` filled in. */
export const renderReply = (template: string, sender: string): string =>
  template.replaceAll('{sender}', sender);
