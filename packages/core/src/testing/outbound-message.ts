import type { OutboundMessage } from '../carriers/contract';
import { analyzeMessage } from '../encoding';

let serial = 0;

/** A recipient's copy as the dispatcher hands it to a carrier: `text` analysed, fresh ids, to a Vodacom number. */
export function outboundMessage(text: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const analysis = analyzeMessage(text);
  serial++;
  return {
    id: `rcp_test${serial}`,
    messageId: `msg_test${serial}`,
    to: '+255754000111',
    from: 'MIFUMO',
    text: analysis.text,
    encoding: analysis.encoding,
    parts: analysis.parts,
    nationalLanguage: analysis.nationalLanguage,
    ...overrides,
  };
}
