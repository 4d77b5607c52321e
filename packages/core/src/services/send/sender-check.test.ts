import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config';
import type { Decision, SenderApproval } from '../../domain/sender-approval';
import { GatewayError } from '../../errors';
import { senderChecks } from './sender-check';

const checks = senderChecks(configSchema.parse({ senderIds: ['MIFUMO'] }));
const decided = (status: Decision['status']): Decision => ({
  status,
  reason: status === 'rejected' ? 'No' : null,
  decided_at: status === 'pending' ? null : '2026-01-01T00:00:00.000Z',
});
const approval = (every: Decision['status'], operators: Record<string, Decision['status']> = {}) =>
  ({
    everyOperator: decided(every),
    operators: Object.fromEntries(Object.entries(operators).map(([o, s]) => [o, decided(s)])),
  }) satisfies SenderApproval;
const own = new Map([
  ['DUKA', approval('pending', { vodacom: 'approved', airtel: 'rejected' })],
  ['SOKO', approval('approved')],
]);

/** The error a check throws (it must throw one). */
function refusal(check: () => void): GatewayError<'INVALID_SENDER_ID'> {
  try {
    check();
  } catch (e) {
    if (e instanceof GatewayError) return e as GatewayError<'INVALID_SENDER_ID'>;
    throw e;
  }
  throw new Error('not refused');
}

describe('a send’s sender ID (pure)', () => {
  it('lets gateway-wide sender IDs go anywhere, without the account’s', () => {
    expect(checks.gatewayWide('MIFUMO')).toBe(true);
    expect(checks.gatewayWide('DUKA')).toBe(false);
  });

  it('refuses a malformed one and one the account does not have, before any recipient', () => {
    expect(refusal(() => checks.checkOwned('WAY-TOO-LONG-ID', own)).details).toEqual({
      sender_id: 'WAY-TOO-LONG-ID',
      approved: null,
      operator: null,
      recipients: null,
    });
    const other = refusal(() => checks.checkOwned('OTHER', own));
    expect(other.details).toEqual({
      sender_id: 'OTHER',
      approved: ['MIFUMO', 'SOKO'],
      operator: null,
      recipients: null,
    });
    expect(() => checks.checkOwned('DUKA', own)).not.toThrow();
  });

  it('goes to numbers of the operators that approved it', () => {
    const recipients = new Map([
      ['+255754000111', { operator: 'vodacom' }],
      ['+255744000111', { operator: 'vodacom' }],
    ]);
    expect(() => checks.checkOperators('DUKA', own, recipients)).not.toThrow();
  });

  it('refuses the whole send naming each operator that has not approved it, and its recipients', () => {
    const recipients = new Map<string, { operator: string | null }>([
      ['+255754000111', { operator: 'vodacom' }],
      ['+255684000111', { operator: 'airtel' }],
      ['+255654000111', { operator: 'yas' }],
      ['+255644000111', { operator: null }],
    ]);
    const e = refusal(() => checks.checkOperators('DUKA', own, recipients));
    expect(e.message).toBe(
      'Sender ID "DUKA" is not approved for airtel (rejected), yas (pending), numbers of no known operator (rejected): 3 recipient(s) refused, nothing was sent',
    );
    expect(e.details).toEqual({
      sender_id: 'DUKA',
      approved: ['MIFUMO', 'SOKO'],
      operator: 'airtel',
      recipients: [
        { phone: '+255684000111', operator: 'airtel', status: 'rejected' },
        { phone: '+255654000111', operator: 'yas', status: 'pending' },
        { phone: '+255644000111', operator: null, status: 'rejected' },
      ],
    });
  });

  it('names the sender IDs approved for the refused operator (DUKA for vodacom)', () => {
    const soko = new Map([...own, ['SOKO', approval('rejected', { airtel: 'approved' })]]);
    const e = refusal(() =>
      checks.checkOperators('DUKA', soko, new Map([['+255684000111', { operator: 'airtel' }]])),
    );
    expect(e.details.approved).toEqual(['MIFUMO', 'SOKO']);
    const forVodacom = new Map([
      ...own,
      ['DUKA', approval('pending', { vodacom: 'approved' })],
      ['SOKO', approval('rejected')],
    ]);
    const v = refusal(() =>
      checks.checkOperators('SOKO', forVodacom, new Map([['+255754000111', { operator: 'vodacom' }]])),
    );
    expect(v.details).toMatchObject({ operator: 'vodacom', approved: ['MIFUMO', 'DUKA'] });
  });

  it('names at most 100 recipients', () => {
    const many = new Map(
      Array.from({ length: 150 }, (_, i) => [
        `+2556840${String(i).padStart(5, '0')}`,
        { operator: 'airtel' },
      ]),
    );
    const e = refusal(() => checks.checkOperators('DUKA', own, many));
    expect(e.details.recipients).toHaveLength(100);
    expect(e.message).toContain('150 recipient(s) refused');
  });
});
