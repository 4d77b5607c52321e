/**
 * Where an account's sender ID may be used. Tanzanian operators register sender IDs one by one, so
 * each operator decides on its own: `pending` until it does, then `approved` or `rejected`.
 */
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** What an account says it sends as the sender ID, when it asks for it. */
export const SENDER_ID_USES = ['transactional', 'promotional'] as const;
export type SenderIdUse = (typeof SENDER_ID_USES)[number];

/**
 * A sender ID's state over every operator: `approved` (for every operator the gateway knows), `partial`
 * (for some), `pending` (for none yet, some still deciding) or `rejected` (by every operator).
 */
export type OverallStatus = 'approved' | 'partial' | 'pending' | 'rejected';

/** A decision: the status, why it was rejected (null otherwise), and when (null: not decided yet). */
export interface Decision {
  status: ApprovalStatus;
  reason: string | null;
  decided_at: string | null;
}

/**
 * An account's sender ID: the decision for every operator (`everyOperator`), and the operators that
 * decided otherwise (`operators`, by name).
 */
export interface SenderApproval {
  everyOperator: Decision;
  operators: Readonly<Record<string, Decision>>;
}

export interface OperatorDecision extends Decision {
  operator: string;
}

/** A gateway-wide sender ID: approved for every operator, decided by the configuration. */
export const APPROVED_EVERYWHERE: SenderApproval = {
  everyOperator: { status: 'approved', reason: null, decided_at: null },
  operators: {},
};

/** Each operator's decision: every operator the gateway knows, and any other that decided, sorted by name. */
export function operatorDecisions(approval: SenderApproval, known: readonly string[]): OperatorDecision[] {
  const names = [...new Set([...known, ...Object.keys(approval.operators)])].sort();
  return names.map((operator) => ({
    operator,
    ...(approval.operators[operator] ?? approval.everyOperator),
  }));
}

/** The overall status of these operators' decisions. */
export function overallStatus(decisions: readonly { status: ApprovalStatus }[]): OverallStatus {
  const all = (status: ApprovalStatus) => decisions.every((d) => d.status === status);
  if (all('approved')) return 'approved';
  if (decisions.some((d) => d.status === 'approved')) return 'partial';
  return all('rejected') ? 'rejected' : 'pending';
}

/**
 * The sender ID's status for a number of `operator`. A number of no known operator (null) may have
 * moved anywhere: the sender ID must be approved for every operator; else it is `rejected` when any
 * operator rejected it, `pending` otherwise.
 */
export function statusFor(
  approval: SenderApproval,
  operator: string | null,
  known: readonly string[],
): ApprovalStatus {
  if (operator !== null) return (approval.operators[operator] ?? approval.everyOperator).status;
  const decisions = operatorDecisions(approval, known);
  if (decisions.every((d) => d.status === 'approved')) return 'approved';
  return decisions.some((d) => d.status === 'rejected') ? 'rejected' : 'pending';
}
