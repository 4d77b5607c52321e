import type { MifumoConfig } from '../../config';
import { operatorNames } from '../../domain/operators';
import { type SenderApproval, statusFor } from '../../domain/sender-approval';
import { checkSenderIdForm, isWellFormedSenderId } from '../../domain/sender-id';
import { GatewayError } from '../../errors';
import type { OwnSenderIds } from '../sender-id-views';

/** Recipients a refusal names at most (a campaign's audience may be large). */
const MAX_NAMED = 100;

/** A recipient the sender ID is not approved for. */
interface Refused {
  phone: string;
  operator: string | null;
  status: 'pending' | 'rejected';
}

const operatorName = (operator: string | null) => operator ?? 'numbers of no known operator';

/**
 * The checks of a send's sender ID, pure: gateway-wide ones (`senderIds`) go to every number; an
 * account's own one only to numbers of the operators that approved it (a number of no known operator:
 * only when every operator did). Refusals are INVALID_SENDER_ID naming the operators and recipients.
 */
export function senderChecks(config: MifumoConfig) {
  const gatewayWide = new Set(config.senderIds.filter(isWellFormedSenderId));
  const known = operatorNames(config.operators);

  /** The sender IDs the account may use for numbers of `operator` (null: of every operator). */
  function approvedFor(own: OwnSenderIds, operator: string | null): string[] {
    const approved = (a: SenderApproval) => statusFor(a, operator, known) === 'approved';
    return [
      ...gatewayWide,
      ...[...own].filter(([id, a]) => !gatewayWide.has(id) && approved(a)).map(([id]) => id),
    ];
  }

  return {
    gatewayWide: (senderId: string) => gatewayWide.has(senderId),

    /** INVALID_SENDER_ID unless the sender ID is well formed and the account's own. */
    checkOwned(senderId: string, own: OwnSenderIds) {
      checkSenderIdForm(senderId);
      if (!own.has(senderId))
        throw new GatewayError(
          'INVALID_SENDER_ID',
          `Sender ID ${JSON.stringify(senderId)} is not approved for this account`,
          { sender_id: senderId, approved: approvedFor(own, null), operator: null, recipients: null },
        );
    },

    /**
     * INVALID_SENDER_ID when the account's sender ID is not approved for some recipients' operators:
     * the whole send is refused, naming each operator and the recipients concerned.
     */
    checkOperators(
      senderId: string,
      own: OwnSenderIds,
      recipients: ReadonlyMap<string, { operator: string | null }>,
    ) {
      const approval = own.get(senderId)!;
      const refused: Refused[] = [];
      for (const [phone, { operator }] of recipients) {
        const status = statusFor(approval, operator, known);
        if (status !== 'approved') refused.push({ phone, operator, status });
      }
      const first = refused[0];
      if (!first) return;
      const operators = new Map(refused.map((r) => [r.operator, r.status]));
      const named = [...operators].map(([operator, status]) => `${operatorName(operator)} (${status})`);
      throw new GatewayError(
        'INVALID_SENDER_ID',
        `Sender ID ${JSON.stringify(senderId)} is not approved for ${named.join(', ')}: ${refused.length} recipient(s) refused, nothing was sent`,
        {
          sender_id: senderId,
          approved: approvedFor(own, first.operator),
          operator: first.operator,
          recipients: refused.slice(0, MAX_NAMED),
        },
      );
    },
  };
}
