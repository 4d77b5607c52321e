import type { MifumoConfig } from '../config';
import { operatorNames } from '../domain/operators';
import {
  APPROVED_EVERYWHERE,
  type Decision,
  type OperatorDecision,
  type OverallStatus,
  operatorDecisions,
  overallStatus,
  type SenderApproval,
  type SenderIdUse,
} from '../domain/sender-approval';
import { invalidField } from '../errors';

/** What sender IDs are checked against: the configuration's gateway-wide ones and its operators. */
export interface SenderIdRules {
  /** Approved for every account and operator (`senderIds`). */
  gatewayWide: readonly string[];
  /** Every operator the gateway knows (its prefix table's), which decide on a sender ID each. */
  operators: readonly string[];
}

export const senderIdRules = (config: MifumoConfig): SenderIdRules => ({
  gatewayWide: config.senderIds,
  operators: operatorNames(config.operators),
});

/** A sender ID as listed: the account's own, or a gateway-wide one (`gateway_wide`, approved everywhere). */
export interface SenderIdView {
  sender_id: string;
  use: SenderIdUse | null;
  note: string | null;
  requested_at: string | null;
  status: OverallStatus;
  gateway_wide: boolean;
  operators: OperatorDecision[];
}

/** An account's own sender IDs, by name, with their decisions (what a send checks its sender ID against). */
export type OwnSenderIds = ReadonlyMap<string, SenderApproval>;

export interface SenderIdRow extends Decision {
  sender_id: string;
  use: SenderIdUse | null;
  note: string | null;
  created_at: string;
}

export interface OperatorRow extends Decision {
  sender_id: string;
  operator: string;
}

export const approvalOf = (row: Decision, operatorRows: readonly OperatorRow[]): SenderApproval => ({
  everyOperator: { status: row.status, reason: row.reason, decided_at: row.decided_at },
  operators: Object.fromEntries(
    operatorRows.map((o) => [o.operator, { status: o.status, reason: o.reason, decided_at: o.decided_at }]),
  ),
});

export function viewOf(
  row: SenderIdRow,
  operatorRows: readonly OperatorRow[],
  rules: SenderIdRules,
): SenderIdView {
  const operators = operatorDecisions(approvalOf(row, operatorRows), rules.operators);
  return {
    sender_id: row.sender_id,
    use: row.use,
    note: row.note,
    requested_at: row.created_at,
    status: overallStatus(operators),
    gateway_wide: false,
    operators,
  };
}

export const gatewayView = (senderId: string, rules: SenderIdRules): SenderIdView => ({
  sender_id: senderId,
  use: null,
  note: null,
  requested_at: null,
  status: 'approved',
  gateway_wide: true,
  operators: operatorDecisions(APPROVED_EVERYWHERE, rules.operators),
});

/**
 * The operators a decision names, spelled as the gateway knows them (any case given); VALIDATION_ERROR
 * naming those it does not know.
 */
export function knownOperators(given: readonly string[], rules: SenderIdRules): string[] {
  const byLowerCase = new Map(rules.operators.map((o) => [o.toLowerCase(), o]));
  const unknown = given.filter((o) => !byLowerCase.has(o.toLowerCase()));
  if (unknown.length)
    throw invalidField(
      'operators',
      `names operators the gateway does not know: ${unknown.join(', ')} (it knows ${rules.operators.join(', ')})`,
    );
  return [...new Set(given.map((o) => byLowerCase.get(o.toLowerCase())!))].sort();
}
