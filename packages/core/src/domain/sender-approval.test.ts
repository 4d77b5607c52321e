import { describe, expect, it } from 'vitest';
import {
  APPROVED_EVERYWHERE,
  type Decision,
  operatorDecisions,
  overallStatus,
  type SenderApproval,
  statusFor,
} from './sender-approval';

const KNOWN = ['airtel', 'vodacom', 'yas'];
const pending: Decision = { status: 'pending', reason: null, decided_at: null };
const approved: Decision = { status: 'approved', reason: null, decided_at: '2026-01-01T00:00:00.000Z' };
const rejected: Decision = {
  status: 'rejected',
  reason: 'Not registered',
  decided_at: '2026-01-02T00:00:00.000Z',
};
const approval = (everyOperator: Decision, operators: Record<string, Decision> = {}): SenderApproval => ({
  everyOperator,
  operators,
});

describe('a sender ID’s decisions', () => {
  it('lists every known operator by name, each with its own decision or the one for every operator', () => {
    expect(operatorDecisions(approval(pending, { vodacom: approved }), KNOWN)).toEqual([
      { operator: 'airtel', ...pending },
      { operator: 'vodacom', ...approved },
      { operator: 'yas', ...pending },
    ]);
  });

  it('keeps an operator that decided but is no longer known (the configuration changed)', () => {
    const names = operatorDecisions(approval(approved, { smile: rejected }), KNOWN).map((d) => d.operator);
    expect(names).toEqual(['airtel', 'smile', 'vodacom', 'yas']);
  });

  it.each([
    [approval(approved), 'approved'],
    [approval(approved, { yas: rejected }), 'partial'],
    [approval(pending, { yas: approved }), 'partial'],
    [approval(pending), 'pending'],
    [approval(rejected, { airtel: pending }), 'pending'],
    [approval(rejected), 'rejected'],
  ] as const)('%# is %s overall', (a, status) => {
    expect(overallStatus(operatorDecisions(a, KNOWN))).toBe(status);
  });

  it('answers a number’s operator with that operator’s decision, else the one for every operator', () => {
    const a = approval(pending, { vodacom: approved, yas: rejected });
    expect(['vodacom', 'yas', 'airtel', 'halotel'].map((o) => statusFor(a, o, KNOWN))).toEqual([
      'approved',
      'rejected',
      'pending',
      'pending',
    ]);
  });

  it('approves a number of no known operator only where every operator approved', () => {
    expect(statusFor(APPROVED_EVERYWHERE, null, KNOWN)).toBe('approved');
    expect(statusFor(approval(approved, { yas: rejected }), null, KNOWN)).toBe('rejected');
    expect(statusFor(approval(pending, { vodacom: approved }), null, KNOWN)).toBe('pending');
  });
});
