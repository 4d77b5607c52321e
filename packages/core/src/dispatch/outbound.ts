import type { OutboundMessage } from '../carriers/contract';
import { analyzeMessage, type NationalLanguage } from '../encoding';
import type { Claimed, ClaimedMessage } from './claims';

/**
 * Each claimed recipient's copy as its carrier gets it. The body is stored as sent (smart-encoding
 * replacements made), so analysing it again with the same shift table gives the same parts.
 */
export function outboundMessages(
  claimed: readonly Claimed[],
  messages: readonly ClaimedMessage[],
): OutboundMessage[] {
  const byId = new Map(
    messages.map((m) => {
      const languages = m.national_language === null ? [] : [m.national_language as NationalLanguage];
      return [
        m.id,
        {
          from: m.sender_id,
          text: m.body,
          validUntil: m.valid_until === null ? undefined : Date.parse(m.valid_until),
          analysis: analyzeMessage(m.body, { nationalLanguages: languages }),
        },
      ];
    }),
  );
  return claimed.map((r) => {
    const m = byId.get(r.message_id);
    if (!m) throw new Error(`recipient ${r.id} of missing message ${r.message_id}`);
    return {
      id: r.id,
      messageId: r.message_id,
      to: r.phone,
      from: m.from,
      text: m.text,
      encoding: m.analysis.encoding,
      parts: m.analysis.parts,
      nationalLanguage: m.analysis.nationalLanguage,
      ...(m.validUntil === undefined ? {} : { validUntil: m.validUntil }),
    };
  });
}
